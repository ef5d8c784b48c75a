"""What the geovisor makes findable: public layers with features (private ones never)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from minga.core.search.registry import SearchEntry, SearchRegistration
from minga.core.tenancy.paths import government_path

from .models import Layer

LAYER_KIND = "geo.layer"


def _layers(government):
    return Layer.objects.filter(government=government).public()


def _layer_entry(layer: Layer) -> SearchEntry:
    return SearchEntry(
        title=layer.title,
        url=government_path("geo:layer_detail", slug=layer.slug),
        summary=layer.description[:300],
        body="\n".join([layer.source, layer.attribution, " ".join(layer.properties or [])]),
        updated_at=layer.updated_at,
    )


REGISTRATIONS = (
    SearchRegistration(kind=LAYER_KIND, module="geo", label=_("Map layers"), queryset=_layers, entry=_layer_entry),
)
