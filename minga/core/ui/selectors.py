from ..registry import PublicUpdate, enabled_manifests


def latest_updates(government, *, limit: int = 10) -> list[PublicUpdate]:
    """The newest public updates of every enabled module, merged by date."""
    updates: list[PublicUpdate] = []
    for manifest in enabled_manifests(government):
        if manifest.latest_updates is not None:
            updates.extend(manifest.latest_updates(government, limit))
    return sorted(updates, key=lambda u: u.updated_at, reverse=True)[:limit]


def public_sections(government) -> list[dict]:
    sections = []
    for manifest in enabled_manifests(government):
        public_entries = [entry for entry in manifest.nav if not entry.backoffice]
        if public_entries:
            stats = manifest.public_stats(government) if manifest.public_stats else {}
            sections.append({"manifest": manifest, "entries": public_entries, "stats": stats})
    return sections
