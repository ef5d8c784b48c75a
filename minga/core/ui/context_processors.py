from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from ..notifications.selectors import unread_count
from ..permissions import has_write_role, roles_of
from ..registry import NavEntry, enabled_manifests

CORE_OFFICE_NAV = (
    NavEntry(
        _("Government profile"), "core:government_profile", backoffice=True, permission="core.administer_government"
    ),
    NavEntry(_("Modules"), "core:modules", backoffice=True, permission="core.administer_government"),
    NavEntry(_("People and roles"), "core:members", backoffice=True, permission="core.administer_government"),
    NavEntry(
        _("Identity verification"),
        "core:verification_office",
        backoffice=True,
        permission="verification.view_backoffice",
    ),
    NavEntry(_("Comment moderation"), "core:comment_queue", backoffice=True, permission="core.moderate_comments"),
    NavEntry(_("Audit log"), "core:audit_log", backoffice=True, permission="core.view_audit"),
    NavEntry(
        _("Searches without results"), "core:search_demand", backoffice=True, permission="core.administer_government"
    ),
    NavEntry(_("API tokens"), "core:api_tokens", backoffice=True, permission="core.manage_own_tokens"),
)


def shell(request):
    """What the page shell needs: the government, its public and back-office navigation."""
    government = getattr(request, "government", None)
    context = {"platform_name": settings.PLATFORM_NAME, "government": government}
    if government is None:
        return context
    public_nav, office_nav = [], []
    section_nav, section_label = [], ""
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    namespace = match.app_name if match is not None else ""
    # Back-office pages (named office_…) have the officials' menu instead.
    public_page = match is not None and not (match.url_name or "").startswith("office")
    module_entry = None
    for manifest in enabled_manifests(government):
        public = [entry for entry in manifest.nav if not entry.backoffice]
        public_nav += [entry for entry in public if not entry.section]
        if manifest.key == namespace and public:
            module_entry = public[0]
            if public_page and any(entry.section for entry in public):
                section_nav, section_label = public, manifest.label
        for entry in manifest.nav:
            if not entry.backoffice:
                continue
            if user is not None and user.is_authenticated and user.has_perm(entry.permission, government):
                office_nav.append(entry)
    core_nav = [
        entry
        for entry in CORE_OFFICE_NAV
        if user is not None and user.is_authenticated and user.has_perm(entry.permission, government)
    ]
    context.update(
        core_office_nav=core_nav,
        public_nav=public_nav,
        # The pages of the module being read, when it has more than its main one.
        section_nav=section_nav,
        section_label=section_label,
        module_entry=module_entry,
        office_nav=office_nav,
        is_official=bool(user and roles_of(user, government)),
        has_write_role=bool(user and user.is_authenticated and has_write_role(user, government)),
        # Counted only when a page shows the bell (signed-in people).
        unread_notifications=SimpleLazyObject(lambda: unread_count(user, government)),
    )
    return context
