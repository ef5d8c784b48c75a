from __future__ import annotations

from rest_framework import serializers

from ..models import ProgressUpdate, Project, ProjectLink


class ProgressSerializer(serializers.ModelSerializer):
    photos = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()

    class Meta:
        model = ProgressUpdate
        fields = [
            "reported_on",
            "physical_progress",
            "financial_progress",
            "amount_paid",
            "note",
            "photos",
            "documents",
        ]

    def get_photos(self, update) -> list[dict]:
        request = self.context.get("request")
        return [
            {
                "url": request.build_absolute_uri(photo.image.url) if request else photo.image.url,
                "caption": photo.caption,
                "latitude": photo.latitude,
                "longitude": photo.longitude,
            }
            for photo in update.photos.all()
        ]

    def get_documents(self, update) -> list[dict]:
        request = self.context.get("request")
        return [
            {"title": d.title, "url": request.build_absolute_uri(d.href) if request and d.file else d.href}
            for d in update.documents.all()
        ]


class IndicatorsSerializer(serializers.Serializer):
    gap = serializers.DecimalField(
        max_digits=6, decimal_places=2, help_text="Financial minus physical progress (points)."
    )
    delay_days = serializers.IntegerField(allow_null=True, help_text="Days past the planned end.")
    overrun_percent = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    days_since_update = serializers.IntegerField(allow_null=True)
    flags = serializers.ListField(child=serializers.CharField())


class ProjectSerializer(serializers.ModelSerializer):
    sector_label = serializers.CharField(source="get_sector_display")
    status_label = serializers.CharField(source="get_status_display")
    bbox = serializers.SerializerMethodField()
    budget_lines = serializers.SerializerMethodField()
    ocids = serializers.SerializerMethodField()
    indicators = IndicatorsSerializer()

    class Meta:
        model = Project
        fields = [
            "slug",
            "code",
            "title",
            "description",
            "sector",
            "sector_label",
            "status",
            "status_label",
            "pdot_objectives",
            "sdg_targets",
            "area_of_interest",
            "responsible_unit",
            "contractor",
            "dpa_code",
            "territory_name",
            "beneficiaries",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "amount_planned",
            "amount_contracted",
            "amount_paid",
            "physical_progress",
            "financial_progress",
            "last_progress_on",
            "geometry",
            "bbox",
            "budget_lines",
            "ocids",
            "indicators",
            "updated_at",
        ]

    def get_bbox(self, project) -> list[float] | None:
        if project.min_lon is None:
            return None
        return [project.min_lon, project.min_lat, project.max_lon, project.max_lat]

    def get_budget_lines(self, project) -> list[str]:
        return [link.key for link in project.links.all() if link.kind == ProjectLink.Kind.BUDGET_LINE]

    def get_ocids(self, project) -> list[str]:
        return [link.key for link in project.links.all() if link.kind == ProjectLink.Kind.PROCESS]
