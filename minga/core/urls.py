"""Core routes. `government_patterns` are served inside a government (its host or
/g/<slug>/); `platform_patterns` on the platform host. Both live in the "core" namespace."""

from django.urls import path

from .accounts.urls import account_patterns
from .api.urls import token_patterns
from .audit.urls import audit_patterns, audit_public_patterns
from .backoffice.urls import backoffice_patterns
from .comments.urls import comment_patterns
from .notifications.urls import notification_patterns, preference_patterns
from .progress.urls import progress_patterns
from .search.urls import search_patterns
from .tenancy.urls import platform_admin_patterns
from .ui import basemap
from .ui import views as ui
from .verification.urls import identity_patterns, verification_patterns

shared_patterns = [
    path("idioma/", ui.set_language, name="set_language"),
    path("tema.css", ui.theme_css, name="theme_css"),
    *account_patterns,
    *identity_patterns,
    *preference_patterns,
]

government_patterns = [
    path("", ui.government_home, name="home"),
    path("novedades.atom", ui.atom_feed, name="atom_feed"),
    path("mapa-base.geojson", basemap.basemap_view, name="basemap"),
    *search_patterns,
    *backoffice_patterns,
    *progress_patterns,
    *notification_patterns,
    *comment_patterns,
    *audit_patterns,
    *token_patterns,
    *verification_patterns,
    *shared_patterns,
]

platform_patterns = [
    path("", ui.platform_home, name="platform_home"),
    *audit_public_patterns,
    *platform_admin_patterns,
    *shared_patterns,
]
