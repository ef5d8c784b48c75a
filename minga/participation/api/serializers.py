"""Public representations of participatory processes and their phases (published processes
only; nothing of the back office)."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from minga.core.phases import timeline

from ..processes import selectors
from ..processes.models import Phase, Process


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class ProcessTerritorySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="DPA code of the parish, or the government's code of the neighbourhood.")
    name = serializers.CharField(help_text="Name of the territory.")


class ParticipatoryPhaseSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField(help_text="past, current or upcoming, at the time of the request.")
    features = serializers.ListField(
        child=serializers.CharField(),
        help_text="What citizens can do while the phase is on: propose, support, comment, evaluate, vote, show_results.",
    )
    settings = serializers.DictField(help_text="Settings of the phase.")

    class Meta:
        model = Phase
        fields = ["position", "title", "description", "starts_at", "ends_at", "state", "features", "settings"]

    def get_state(self, phase) -> str:
        return timeline.state(phase, self.context["now"])


class ParticipatoryProcessSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField(help_text="upcoming, ongoing or finished, at the time of the request.")
    territories = serializers.SerializerMethodField(
        help_text="Parishes or neighbourhoods covered; empty: the whole territory of the government."
    )
    current_phase = serializers.SerializerMethodField(help_text="Position of the phase on now, or null.")
    phases = serializers.SerializerMethodField(help_text="The phases, in order.")
    settings = serializers.DictField(help_text="Settings of the process (thresholds, limits, verification per action).")
    image = serializers.SerializerMethodField(help_text="Address of the picture, or null.")
    url = serializers.SerializerMethodField(help_text="Address of the process's public page.")

    class Meta:
        model = Process
        fields = [
            "slug",
            "title",
            "summary",
            "description",
            "kind",
            "territories",
            "starts_at",
            "ends_at",
            "status",
            "current_phase",
            "phases",
            "settings",
            "image",
            "image_alt",
            "updated_at",
            "url",
        ]

    def get_status(self, process) -> str:
        return process.status(self.context["now"])

    @extend_schema_field(ProcessTerritorySerializer(many=True))
    def get_territories(self, process) -> list:
        return [
            {"code": item.get("code", ""), "name": item.get("name") or item.get("code", "")}
            for item in process.territories or []
        ]

    def get_current_phase(self, process) -> int | None:
        phase = selectors.current_phase(process, self.context["now"])
        return phase.position if phase is not None else None

    @extend_schema_field(ParticipatoryPhaseSerializer(many=True))
    def get_phases(self, process) -> list:
        return ParticipatoryPhaseSerializer(selectors.phases_of(process), many=True, context=self.context).data

    def get_image(self, process) -> str | None:
        return _absolute(self.context.get("request"), process.image.url) if process.image else None

    def get_url(self, process) -> str:
        return _absolute(
            self.context.get("request"), reverse("participation:process_detail", kwargs={"slug": process.slug})
        )
