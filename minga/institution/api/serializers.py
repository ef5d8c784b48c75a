"""Public representations of units, authorities and events (only public data)."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from ..models import AgendaEvent, Authority, DeclarationLink, Unit


def _absolute(request, name: str, **kwargs) -> str:
    path = reverse(name, kwargs=kwargs)
    return request.build_absolute_uri(path) if request is not None else path


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["slug", "name", "acronym"]


class AuthorityRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Authority
        fields = ["slug", "name", "position"]


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SerializerMethodField(help_text="Public identifier (slug) of the unit above, or null.")
    head = serializers.SerializerMethodField(help_text="The published authority heading the unit, or null.")
    functions = serializers.SerializerMethodField(help_text="Functions of the unit, one per item.")
    url = serializers.SerializerMethodField(help_text="Address of the unit's public page.")

    class Meta:
        model = Unit
        fields = [
            "slug",
            "name",
            "acronym",
            "kind",
            "parent",
            "head",
            "description",
            "functions",
            "email",
            "phone",
            "address",
            "order",
            "updated_at",
            "url",
        ]

    def get_parent(self, unit) -> str | None:
        return unit.parent.slug if unit.parent_id and unit.parent.is_public else None

    def get_head(self, unit) -> dict | None:
        if unit.head_id and unit.head.is_published:
            return AuthorityRefSerializer(unit.head).data
        return None

    def get_functions(self, unit) -> list[str]:
        return unit.function_list()

    def get_url(self, unit) -> str:
        return _absolute(self.context.get("request"), "institution:unit_detail", slug=unit.slug)


class DeclarationSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeclarationLink
        fields = ["title", "url", "year"]


class AuthoritySerializer(serializers.ModelSerializer):
    unit = serializers.SerializerMethodField(help_text="The unit where the authority serves, if public.")
    photo = serializers.SerializerMethodField(help_text="Address of the portrait, or null.")
    is_current = serializers.SerializerMethodField(help_text="Whether the term covers today.")
    declarations = DeclarationSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField(help_text="Address of the authority's public page.")
    agenda_ics = serializers.SerializerMethodField(help_text="iCalendar feed of the authority's public agenda.")

    class Meta:
        model = Authority
        fields = [
            "slug",
            "name",
            "position",
            "unit",
            "term_start",
            "term_end",
            "is_current",
            "biography",
            "email",
            "phone",
            "photo",
            "declarations",
            "updated_at",
            "url",
            "agenda_ics",
        ]

    def get_unit(self, authority) -> dict | None:
        if authority.unit_id and authority.unit.is_public:
            return UnitRefSerializer(authority.unit).data
        return None

    def get_photo(self, authority) -> str | None:
        if not authority.photo:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(authority.photo.url) if request is not None else authority.photo.url

    def get_is_current(self, authority) -> bool:
        return authority.is_current(self.context["today"])

    def get_url(self, authority) -> str:
        return _absolute(self.context.get("request"), "institution:authority_detail", slug=authority.slug)

    def get_agenda_ics(self, authority) -> str:
        return _absolute(self.context.get("request"), "institution:authority_ics", slug=authority.slug)


class EventSerializer(serializers.ModelSerializer):
    unit = serializers.SerializerMethodField(help_text="The organising unit, if public.")
    authorities = AuthorityRefSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField(help_text="Address of the event's public page.")

    class Meta:
        model = AgendaEvent
        fields = [
            "uid",
            "title",
            "starts_at",
            "ends_at",
            "all_day",
            "location",
            "participants",
            "description",
            "status",
            "unit",
            "authorities",
            "minutes_url",
            "updated_at",
            "url",
        ]

    def get_unit(self, event) -> dict | None:
        if event.unit_id and event.unit.is_public:
            return UnitRefSerializer(event.unit).data
        return None

    def get_url(self, event) -> str:
        return _absolute(self.context.get("request"), "institution:event_detail", uid=event.uid)
