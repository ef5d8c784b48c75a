"""Serializers of the core endpoints: the government's public profile, the governments in
its territory, and who is calling."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..registry import enabled_manifests
from ..tenancy.models import Government
from ..tenancy.selectors import government_home_url


class ModuleSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("Stable identifier of the module."))
    label = serializers.CharField(help_text=_("Name of the module."))
    description = serializers.CharField(help_text=_("What the module offers."))


def _absolute(request, location: str) -> str:
    return request.build_absolute_uri(location) if request is not None else location


class GovernmentSummarySerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", help_text=_("Level, in words."))
    portal = serializers.SerializerMethodField(help_text=_("Address of the government's portal."))
    api = serializers.SerializerMethodField(help_text=_("Address of the government's API."))

    class Meta:
        model = Government
        fields = ["slug", "name", "short_name", "level", "level_display", "dpa_code", "portal", "api"]

    @extend_schema_field(serializers.URLField())
    def get_portal(self, government) -> str:
        return _absolute(self.context.get("request"), government_home_url(government))

    @extend_schema_field(serializers.URLField())
    def get_api(self, government) -> str:
        return _absolute(self.context.get("request"), f"{government_home_url(government)}api/v1/")


class GovernmentSerializer(GovernmentSummarySerializer):
    parent = GovernmentSummarySerializer(read_only=True, allow_null=True, help_text=_("The government above."))
    modules = serializers.SerializerMethodField(help_text=_("Modules this government has switched on."))
    logo = serializers.ImageField(read_only=True, use_url=True, allow_null=True)

    class Meta(GovernmentSummarySerializer.Meta):
        fields = [
            *GovernmentSummarySerializer.Meta.fields,
            "parent",
            "description",
            "contact_email",
            "contact_phone",
            "address",
            "website",
            "logo",
            "primary_colour",
            "accent_colour",
            "is_demo",
            "modules",
        ]

    @extend_schema_field(ModuleSerializer(many=True))
    def get_modules(self, government) -> list[dict]:
        return [
            {"key": m.key, "label": str(m.label), "description": str(m.description)}
            for m in enabled_manifests(government)
        ]


class TokenSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=_("What the token is used for."))
    prefix = serializers.CharField(help_text=_("Public part of the token."))
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True, help_text=_("Empty: never."))
    last_used_at = serializers.DateTimeField(allow_null=True)


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    name = serializers.CharField(help_text=_("Name shown to others."))
    government = serializers.CharField(help_text=_("Slug of the government being asked."))
    roles = serializers.DictField(
        child=serializers.CharField(),
        help_text=_('Roles in this government by module ("" for the whole government).'),
    )
    token = TokenSerializer(allow_null=True, help_text=_("The token used for this request, if any."))


class IndexSerializer(serializers.Serializer):
    government = serializers.CharField(help_text=_("Name of the government."))
    links = serializers.DictField(child=serializers.URLField(), help_text=_("Main entry points."))
    endpoints = serializers.ListField(
        child=serializers.CharField(), help_text=_("Every path of this API (see the schema for details).")
    )
