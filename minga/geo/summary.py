"""What the government's home page shows of the geovisor."""

from __future__ import annotations

from django.utils.translation import gettext as _

from minga.core.tenancy.scoping import government_scope

from . import selectors


def public_stats(government) -> dict:
    with government_scope(government):
        return {_("Map layers"): selectors.public_layers(government).count()}
