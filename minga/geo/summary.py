"""What the government's home page shows of the geovisor."""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import selectors


def public_stats(government) -> dict:
    return {_("Map layers"): selectors.public_layers(government).count()}
