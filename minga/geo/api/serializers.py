"""Public representation of the geovisor's layers (metadata and links; the features are served
by OGC API – Features and the downloads)."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from ..models import Layer


def _absolute(request, name: str, **kwargs) -> str:
    path = reverse(name, kwargs=kwargs)
    return request.build_absolute_uri(path) if request is not None else path


class LayerSerializer(serializers.ModelSerializer):
    bbox = serializers.SerializerMethodField(help_text="west, south, east, north in WGS 84 longitude/latitude.")
    attributes = serializers.ListField(
        source="properties", child=serializers.CharField(), help_text="Names of the features' attributes."
    )
    url = serializers.SerializerMethodField(help_text="Address of the layer's public page.")
    geojson_url = serializers.SerializerMethodField(help_text="Download of every feature as GeoJSON.")
    csv_url = serializers.SerializerMethodField(help_text="Download as CSV with the geometry as WKT.")
    ogc_items_url = serializers.SerializerMethodField(help_text="The layer's items in OGC API – Features.")

    class Meta:
        model = Layer
        fields = [
            "slug",
            "title",
            "description",
            "source",
            "source_date",
            "licence",
            "attribution",
            "original_crs",
            "geometry_kind",
            "feature_count",
            "attributes",
            "bbox",
            "version",
            "imported_at",
            "url",
            "geojson_url",
            "csv_url",
            "ogc_items_url",
        ]

    def get_bbox(self, layer) -> list[float] | None:
        return list(layer.bbox) if layer.bbox else None

    def get_url(self, layer) -> str:
        return _absolute(self.context.get("request"), "geo:layer_detail", slug=layer.slug)

    def get_geojson_url(self, layer) -> str:
        return _absolute(self.context.get("request"), "geo:layer_geojson", slug=layer.slug)

    def get_csv_url(self, layer) -> str:
        return _absolute(self.context.get("request"), "geo:layer_csv", slug=layer.slug)

    def get_ogc_items_url(self, layer) -> str:
        return _absolute(self.context.get("request"), "geo-ogc:items", collection_id=layer.slug)
