from django.core.cache import cache

from ..db_routing import primary_reads
from .hosts import hostname_of, is_platform_host
from .models import Government, GovernmentHost

# v2: approved GovernmentHost rows only (v1 read the lists administrators typed).
HOSTS_CACHE_KEY = "minga:government-hosts:v2"
HOSTS_CACHE_SECONDS = 60
GOVERNMENT_CACHE_SECONDS = 300


def _host_maps() -> tuple[dict[str, int], dict[int, str]]:
    """({host: government id}, {government id: its first host}) of the approved host names of
    active governments. A platform name is left out even if one was stored."""
    maps = cache.get(HOSTS_CACHE_KEY)
    if maps is None:
        by_host, first = {}, {}
        with primary_reads():  # kept for every process: never from a replica that lags
            rows = list(
                GovernmentHost.objects.filter(status=GovernmentHost.Status.APPROVED, government__is_active=True)
                .order_by("pk")
                .values_list("host", "government_id")
            )
        for host, government_id in rows:
            if is_platform_host(host):
                continue
            by_host[host] = government_id
            first.setdefault(government_id, host)
        maps = (by_host, first)
        cache.set(HOSTS_CACHE_KEY, maps, HOSTS_CACHE_SECONDS)
    return maps


def forget_hosts() -> None:
    cache.delete(HOSTS_CACHE_KEY)


def government_for_host(host: str) -> Government | None:
    """The government whose approved own host name this is. The platform's names never
    resolve to a government."""
    name = hostname_of(host)
    if not name or is_platform_host(name):
        return None
    government_id = _host_maps()[0].get(name)
    if government_id is None:
        return None
    return Government.objects.active().filter(id=government_id).first()


def own_host(government: Government) -> str | None:
    """The host name a government's links use, if it has an approved one."""
    return _host_maps()[1].get(government.pk)


def host_names_of(government: Government):
    return GovernmentHost.objects.filter(government=government).order_by("pk")


def pending_host_count() -> int:
    return GovernmentHost.objects.filter(status=GovernmentHost.Status.REQUESTED).count()


def host_names_for_review():
    """Every host name with its government: requests awaiting approval first."""
    return GovernmentHost.objects.select_related("government", "requested_by", "approved_by").order_by(
        "-status", "government__name", "host"
    )


def _slug_key(slug: str) -> str:
    return f"minga:government:slug:{slug}"


def government_for_slug(slug: str) -> Government | None:
    """The government served under /g/<slug>/, from the cache when possible: this runs on
    every request. Services that change a government call forget_government()."""
    key = _slug_key(slug)
    government = cache.get(key)
    if government is None:
        with primary_reads():  # kept for every process: never from a replica that lags
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
    host = own_host(government)
    if host:
        return f"//{host}/"
    return f"/g/{government.slug}/"
