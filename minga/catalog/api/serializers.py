"""Public representations of the catalog's metadata (/api/v1/datos/conjuntos/, temas/,
publicadores/). The views hand each dataset in with what they computed for the whole page
(freshness, publisher, absolute links), so serializing runs no queries of its own."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..datasets.models import Frequency, Resource, ResourceFormat
from ..quality import freshness


class GovernmentRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class ThemeRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class TagRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class LicenceSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="SPDX-style identifier, e.g. CC-BY-4.0.")
    name = serializers.CharField()
    url = serializers.CharField(allow_blank=True)
    is_open = serializers.BooleanField()


class PublisherUnitSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Stable identifier of the unit in the organisation chart.")
    slug = serializers.CharField()
    url = serializers.CharField(allow_blank=True, help_text="The unit's public page.")


class PublisherSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The publishing unit's name.")
    email = serializers.CharField(allow_blank=True)
    unit = PublisherUnitSerializer(
        allow_null=True, help_text="The unit of the organisation chart, or null when the publisher is only a name."
    )


class FreshnessSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=[freshness.ON_TIME, freshness.DUE_SOON, freshness.LATE, freshness.NO_PROMISE],
        help_text="on_time, due_soon, late, or none when no update is promised.",
    )
    last_updated = serializers.DateTimeField(allow_null=True, help_text="When the data last changed.")
    next_update_due = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField(help_text="The update is late.")
    days_late = serializers.IntegerField(help_text="How many days late; 0 when not late.")


def unit_ref(publisher, request) -> dict | None:
    """Only while the directory lists the unit: a stored key alone links nowhere."""
    if not publisher.unit_slug:
        return None
    url = request.build_absolute_uri(publisher.url) if request is not None and publisher.url else publisher.url
    return {"key": publisher.unit_key, "slug": publisher.unit_slug, "url": url}


def _freshness(dataset) -> dict:
    found = dataset.freshness
    return {
        "state": found.state,
        "last_updated": found.last_updated,
        "next_update_due": found.due,
        "overdue": found.is_late,
        "days_late": found.days if found.is_late else 0,
    }


class DatasetSummarySerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="Public identifier, unique within its government.")
    title = serializers.CharField()
    summary = serializers.CharField()
    government = serializers.SerializerMethodField()
    themes = serializers.SerializerMethodField()
    publisher = serializers.SerializerMethodField()
    licence = serializers.SerializerMethodField()
    frequency = serializers.ChoiceField(choices=Frequency.choices, help_text="EU frequency vocabulary code.")
    formats = serializers.SerializerMethodField(help_text="Formats of its files and links.")
    freshness = serializers.SerializerMethodField()
    quality_score = serializers.IntegerField(allow_null=True, help_text="0 to 100; null until computed.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField(help_text="The dataset's public page.")
    api_url = serializers.SerializerMethodField(help_text="This dataset in the API of its own government.")

    @extend_schema_field(GovernmentRefSerializer)
    def get_government(self, dataset) -> dict:
        return {"slug": dataset.government.slug, "name": dataset.government.name}

    @extend_schema_field(ThemeRefSerializer(many=True))
    def get_themes(self, dataset) -> list:
        return [{"slug": theme.slug, "name": theme.name} for theme in dataset.themes.all()]

    @extend_schema_field(PublisherSerializer)
    def get_publisher(self, dataset) -> dict:
        found = dataset.api_publisher
        return {
            "name": found.name,
            "email": dataset.publisher_email or found.email,
            "unit": unit_ref(found, self.context.get("request")),
        }

    @extend_schema_field(LicenceSerializer)
    def get_licence(self, dataset) -> dict:
        licence = dataset.licence
        return {"code": licence.code, "name": licence.name, "url": licence.url, "is_open": licence.is_open}

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ResourceFormat.choices)))
    def get_formats(self, dataset) -> list[str]:
        return sorted({resource.format for resource in dataset.resources.all()})

    @extend_schema_field(FreshnessSerializer)
    def get_freshness(self, dataset) -> dict:
        return _freshness(dataset)

    def get_url(self, dataset) -> str:
        return dataset.api_links["page"]

    def get_api_url(self, dataset) -> str:
        return dataset.api_links["api"]


class TableLinksSerializer(serializers.Serializer):
    rows = serializers.IntegerField(help_text="Rows of the table being served.")
    query = serializers.CharField(help_text="Query API of the table (filters, sort, pages, group-by).")
    openapi = serializers.CharField(help_text="OpenAPI description of that endpoint, with the real columns.")
    csv = serializers.CharField()
    json = serializers.CharField()
    xlsx = serializers.CharField()


class ResourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    kind = serializers.ChoiceField(choices=Resource.Kind.choices)
    format = serializers.ChoiceField(choices=ResourceFormat.choices)
    media_type = serializers.CharField()
    size = serializers.IntegerField(allow_null=True, help_text="Bytes.")
    sha256 = serializers.CharField(allow_blank=True, help_text="SHA-256 checksum of the file, in hex.")
    download_url = serializers.CharField(help_text="Download of the file (or a redirect to the link).")
    data_updated_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    table = TableLinksSerializer(allow_null=True, help_text="The loaded table and its APIs; null when not loaded.")


class QualityCheckSerializer(serializers.Serializer):
    key = serializers.CharField()
    state = serializers.ChoiceField(choices=["ok", "fail", "na"])
    weight = serializers.IntegerField()
    text = serializers.CharField(help_text="The reason, in the language asked for.")


class QualitySerializer(serializers.Serializer):
    score = serializers.IntegerField(allow_null=True)
    checked_at = serializers.DateTimeField(allow_null=True)
    checks = QualityCheckSerializer(many=True)


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)


class DatasetDetailSerializer(DatasetSummarySerializer):
    description = serializers.CharField(allow_blank=True)
    tags = serializers.SerializerMethodField()
    contact = serializers.SerializerMethodField()
    temporal_start = serializers.DateField(allow_null=True)
    temporal_end = serializers.DateField(allow_null=True)
    spatial_coverage = serializers.ListField(child=serializers.CharField(), help_text="INEC DPA codes.")
    lotaip_obligation = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField(help_text="Number of changes of the dataset.")
    quality = serializers.SerializerMethodField()
    resources = serializers.SerializerMethodField()

    @extend_schema_field(TagRefSerializer(many=True))
    def get_tags(self, dataset) -> list:
        return [{"slug": tag.slug, "name": tag.name} for tag in dataset.tags.all()]

    @extend_schema_field(ContactSerializer)
    def get_contact(self, dataset) -> dict:
        return {"name": dataset.contact_name, "email": dataset.contact_email}

    @extend_schema_field(QualitySerializer)
    def get_quality(self, dataset) -> dict:
        return dataset.api_quality

    @extend_schema_field(ResourceSerializer(many=True))
    def get_resources(self, dataset) -> list:
        return dataset.api_resources


class ThemeSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="Value of the `tema` filter.")
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    dcat_theme = serializers.CharField(help_text="DCAT-AP data theme code, e.g. GOVE.")
    dcat_uri = serializers.CharField()
    dataset_count = serializers.IntegerField(help_text="Published datasets listed with this theme.")
    datasets_url = serializers.CharField(help_text="The datasets list filtered by this theme.")


class PublisherListSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Value of the `publicador` filter.")
    government = GovernmentRefSerializer()
    unit = PublisherUnitSerializer(allow_null=True)
    email = serializers.CharField(allow_blank=True, help_text="The unit's contact e-mail.")
    dataset_count = serializers.IntegerField(help_text="Published datasets.")
    datasets_url = serializers.CharField(help_text="The datasets list filtered by this publisher.")
