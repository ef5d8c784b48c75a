"""The open licences data is usually published under, by their SPDX identifier: what a page
shows instead of a bare code ("CC-BY-4.0"), and the licences the catalog offers a government
the first time. Modules that keep a licence as a code (the geovisor's layers) show it through
``licence_display``; an unknown code is shown as typed."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class KnownLicence:
    code: str  # SPDX identifier
    name: object  # a lazy translation
    url: str
    is_open: bool = True


KNOWN_LICENCES = (
    KnownLicence(
        "CC-BY-4.0", _("Creative Commons Attribution 4.0 International"), "https://creativecommons.org/licenses/by/4.0/"
    ),
    KnownLicence(
        "CC0-1.0",
        _("Creative Commons CC0 1.0 (public domain)"),
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    KnownLicence(
        "CC-BY-SA-4.0",
        _("Creative Commons Attribution-ShareAlike 4.0 International"),
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    KnownLicence("ODbL-1.0", _("Open Database License 1.0"), "https://opendatacommons.org/licenses/odbl/1-0/"),
    KnownLicence(
        "PDDL-1.0",
        _("Open Data Commons Public Domain Dedication and License 1.0"),
        "https://opendatacommons.org/licenses/pddl/1-0/",
    ),
    KnownLicence(
        "ODC-By-1.0", _("Open Data Commons Attribution License 1.0"), "https://opendatacommons.org/licenses/by/1-0/"
    ),
)

_BY_CODE = {licence.code.casefold(): licence for licence in KNOWN_LICENCES}


def known_licence(code: str | None) -> KnownLicence | None:
    return _BY_CODE.get((code or "").strip().casefold())
