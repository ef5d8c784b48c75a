"""Spanish is the default language and English is complete: every string the code marks for
translation has a Spanish translation, and the compiled catalogues match their sources."""

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from minga.core.management.commands.compile_catalogs import catalogues

LOCALE = Path(settings.BASE_DIR) / "locale"
# The project catalogue (strings outside any module) and each module's own (minga/<app>/locale/).
SPANISH = [path for path in catalogues() if path.parent.parent.name == "es"]
MODULES_WITH_STRINGS = (
    "core",
    "institution",
    "catalog",
    "budget",
    "works",
    "geo",
    "procurement",
    "participation",
    "council",
)


def _translated_spanish() -> set:
    return {(e.msgctxt, e.msgid) for path in SPANISH for e in polib.pofile(str(path)).translated_entries()}


def test_every_module_keeps_its_own_catalogue():
    for module in MODULES_WITH_STRINGS:
        for language in ("es", "en"):
            path = Path(settings.BASE_DIR) / module / "locale" / language / "LC_MESSAGES" / "django.po"
            assert len(polib.pofile(str(path))) > 20, path


def test_spanish_catalogue_is_complete():
    for path in SPANISH:
        catalogue = polib.pofile(str(path))
        untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
        fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
        where = path.relative_to(settings.BASE_DIR)
        assert not untranslated, f"{where}: {len(untranslated)} untranslated Spanish entries, e.g. {untranslated[:10]}"
        assert not fuzzy, f"{where}: fuzzy Spanish entries: {fuzzy[:10]}"


@pytest.mark.parametrize("po_path", catalogues(), ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_compiled_catalogues_match_their_sources(po_path):
    compiled = polib.mofile(str(po_path.with_suffix(".mo")))
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.pofile(str(po_path)).translated_entries()
    }
    built = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in compiled if e.msgid}
    assert source == built, "run `make messages` (the .mo files are stale)"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_every_marked_string_is_in_the_catalogue(tmp_path, monkeypatch):
    """Extract the strings from a copy of the code and compare with the committed catalogue
    (a copy, because makemessages writes into any locale/ directory it finds)."""
    source = tmp_path / "src"
    shutil.copytree(
        settings.BASE_DIR,
        source / "minga",
        ignore=shutil.ignore_patterns("locale", "__pycache__", "static", "migrations", "tests"),
    )
    (source / "locale" / "es" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(LOCALE / "es" / "LC_MESSAGES" / "django.po", source / "locale" / "es" / "LC_MESSAGES" / "django.po")
    monkeypatch.chdir(source)
    with override_settings(LOCALE_PATHS=[]):
        call_command("makemessages", locale=["es"], no_location=True, no_obsolete=True, verbosity=0)
    extracted = polib.pofile(str(source / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    committed = _translated_spanish()
    missing = sorted({e.msgid for e in extracted if (e.msgctxt, e.msgid) not in committed and not e.obsolete})
    assert not missing, f"{len(missing)} strings are not translated to Spanish, e.g. {missing[:15]}"
