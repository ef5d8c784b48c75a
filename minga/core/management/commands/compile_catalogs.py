"""Compile the translation catalogues (.po -> .mo) with polib, so that no system gettext
tools are needed to run Minga. `make messages` extracts and then calls this."""

from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


def locale_dirs() -> list[Path]:
    """The project catalogue (LOCALE_PATHS) and the catalogues of Minga's own apps that keep
    one (``minga/<app>/locale/``; makemessages writes a module's strings there when it exists)."""
    found = [Path(base) for base in settings.LOCALE_PATHS]
    base_dir = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        app_locale = Path(config.path).resolve() / "locale"
        if app_locale.is_dir() and base_dir in app_locale.parents:
            found.append(app_locale)
    return found


def catalogues() -> list[Path]:
    return sorted(p for base in locale_dirs() for p in base.glob("*/LC_MESSAGES/*.po"))


class Command(BaseCommand):
    help = "Compile every .po catalogue of the project and of its apps to .mo."

    def handle(self, *args, **options):
        for po_path in catalogues():
            polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
            self.stdout.write(f"compiled {po_path.relative_to(settings.BASE_DIR)}")
