"""What the government home and the Atom feed show, gathered from every enabled module.
Both are computed once per government, language and content version (see page_cache) and
kept for PUBLIC_PAGE_CACHE_SECONDS, so signed-in visitors and the feed do not pay for every
module's queries on each request either."""

from django.conf import settings
from django.core.cache import cache
from django.urls import get_script_prefix
from django.utils.translation import get_language

from ..registry import PublicUpdate, enabled_manifests
from .page_cache import content_version


def _cached(kind: str, government, compute):
    seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    # Links are reversed under the current prefix (/g/<slug>/ or the own host), so it is part of the key.
    key = f"minga:home:{kind}:{government.pk}:{content_version(government)}:{get_language()}:{get_script_prefix()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def latest_updates(government, *, limit: int = 10) -> list[PublicUpdate]:
    """The newest public updates of every enabled module, merged by date."""

    def compute() -> list[PublicUpdate]:
        updates: list[PublicUpdate] = []
        for manifest in enabled_manifests(government):
            if manifest.latest_updates is not None:
                updates.extend(manifest.latest_updates(government, limit))
        return sorted(updates, key=lambda u: u.updated_at, reverse=True)[:limit]

    return _cached(f"updates:{limit}", government, compute)


def public_sections(government) -> list[dict]:
    def stats() -> dict[str, dict]:
        return {
            manifest.key: {str(label): value for label, value in manifest.public_stats(government).items()}
            for manifest in enabled_manifests(government)
            if manifest.public_stats
        }

    stats_by_module = _cached("stats", government, stats)
    sections = []
    for manifest in enabled_manifests(government):
        public_entries = [entry for entry in manifest.nav if not entry.backoffice]
        if public_entries:
            sections.append(
                {"manifest": manifest, "entries": public_entries, "stats": stats_by_module.get(manifest.key, {})}
            )
    return sections
