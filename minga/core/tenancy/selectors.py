from django.core.cache import cache

from .models import Government

HOSTS_CACHE_KEY = "minga:government-hosts:v1"
HOSTS_CACHE_SECONDS = 60


def _host_map() -> dict[str, int]:
    mapping = cache.get(HOSTS_CACHE_KEY)
    if mapping is None:
        mapping = {}
        for government_id, hosts in Government.objects.active().values_list("id", "hosts"):
            for host in hosts or []:
                mapping[str(host).lower()] = government_id
        cache.set(HOSTS_CACHE_KEY, mapping, HOSTS_CACHE_SECONDS)
    return mapping


def forget_hosts() -> None:
    cache.delete(HOSTS_CACHE_KEY)


def government_for_host(host: str) -> Government | None:
    government_id = _host_map().get(host) or _host_map().get(host.split(":")[0])
    if government_id is None:
        return None
    return Government.objects.active().filter(id=government_id).first()


def government_for_slug(slug: str) -> Government | None:
    return Government.objects.active().select_related("parent").filter(slug=slug).first()


def public_governments():
    return Government.objects.active().select_related("parent").order_by("dpa_code")


def child_governments(government: Government):
    return Government.objects.children_of(government).order_by("name")


def government_home_url(government: Government) -> str:
    if government.hosts:
        return f"//{government.hosts[0]}/"
    return f"/g/{government.slug}/"
