from django.core.cache import cache

from .models import Government

HOSTS_CACHE_KEY = "minga:government-hosts:v1"
HOSTS_CACHE_SECONDS = 60
GOVERNMENT_CACHE_SECONDS = 300


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


def _slug_key(slug: str) -> str:
    return f"minga:government:slug:{slug}"


def government_for_slug(slug: str) -> Government | None:
    """The government served under /g/<slug>/, from the cache when possible: this runs on
    every request. Services that change a government call forget_government()."""
    key = _slug_key(slug)
    government = cache.get(key)
    if government is None:
        government = Government.objects.active().select_related("parent").filter(slug=slug).first()
        if government is None:
            return None
        cache.set(key, government, GOVERNMENT_CACHE_SECONDS)
    return government


def forget_government(government: Government) -> None:
    cache.delete(_slug_key(government.slug))
    forget_hosts()


def public_governments():
    return Government.objects.active().select_related("parent").order_by("dpa_code")


def child_governments(government: Government):
    return Government.objects.children_of(government).order_by("name")


def government_home_url(government: Government) -> str:
    if government.hosts:
        return f"//{government.hosts[0]}/"
    return f"/g/{government.slug}/"
