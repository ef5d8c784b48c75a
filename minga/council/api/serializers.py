"""The shape of the council API's records (Open Civic Data field names), read from the dicts of
api/data.py; they describe the OpenAPI document too."""

from __future__ import annotations

from rest_framework import serializers


class CouncilOrganizationRefSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="ocd-organization/… identifier.")
    name = serializers.CharField()


class CouncilActRefSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="ocd-bill/… identifier.")
    identifier = serializers.CharField(help_text="The secretariat's number, e.g. PO-2026-004.")
    title = serializers.CharField()


class CouncilSponsorshipSerializer(serializers.Serializer):
    name = serializers.CharField()
    person_id = serializers.CharField(help_text="ocd-person/… identifier.")
    primary = serializers.BooleanField(help_text="Whether this member presented the act.")
    classification = serializers.CharField(help_text="primary or cosponsor.")


class CouncilBillActionSerializer(serializers.Serializer):
    date = serializers.DateField()
    classification = serializers.ListField(child=serializers.CharField(), help_text="The stage's code.")
    description = serializers.CharField(help_text="The stage's name.")
    note = serializers.CharField(help_text="Details of the step, if any.")
    organization = CouncilOrganizationRefSerializer(allow_null=True, help_text="The committee, for a committee step.")
    version = serializers.IntegerField(allow_null=True, help_text="Number of the version this step produced.")


class CouncilBillVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    note = serializers.CharField(help_text="Name of the version, e.g. Texto para segundo debate.")
    date = serializers.DateField()
    units = serializers.IntegerField(help_text="Titles, chapters, articles and provisions of the text.")
    articles = serializers.IntegerField()


class CouncilBillSummarySerializer(serializers.Serializer):
    id = serializers.CharField(help_text="ocd-bill/… identifier.")
    identifier = serializers.CharField(help_text="The secretariat's number, e.g. PO-2026-004.")
    title = serializers.CharField()
    classification = serializers.ListField(
        child=serializers.CharField(), help_text="ordinance, resolution or agreement."
    )
    abstract = serializers.CharField(help_text="What the act does, in plain words.")
    subject = serializers.ListField(child=serializers.CharField(), help_text="Names of its subjects.")
    from_organization = CouncilOrganizationRefSerializer(allow_null=True, help_text="The council.")
    committee = CouncilOrganizationRefSerializer(allow_null=True, help_text="The committee the act is assigned to.")
    sponsorships = CouncilSponsorshipSerializer(many=True)
    stage = serializers.CharField(help_text="Code of the stage of its latest step; empty before the first.")
    stage_label = serializers.CharField(help_text="Name of that stage.")
    stage_date = serializers.DateField(allow_null=True)
    updated_at = serializers.DateTimeField()
    url = serializers.CharField(help_text="Address of the act's public page.")


class CouncilBillSerializer(CouncilBillSummarySerializer):
    actions = CouncilBillActionSerializer(many=True, help_text="The dated steps of its procedure, in order.")
    versions = CouncilBillVersionSerializer(many=True, help_text="The versions of its text, in order.")


class CouncilMembershipSerializer(serializers.Serializer):
    organization = CouncilOrganizationRefSerializer()
    role = serializers.CharField(help_text="Code of the role: president, vice, member, alternate, chair.")
    label = serializers.CharField(help_text="How the seat is called.")
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True, help_text="Empty while running.")


class CouncilPersonSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="ocd-person/… identifier.")
    name = serializers.CharField()
    party = serializers.CharField(help_text="Party or movement that nominated them.")
    email = serializers.CharField(help_text="Institutional contact address.")
    image = serializers.CharField(allow_null=True, help_text="Address of the portrait, or null.")
    memberships = CouncilMembershipSerializer(many=True, help_text="Seats in the council and its committees.")
    url = serializers.CharField(help_text="Address of the member's public page.")


class CouncilOrganizationSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="ocd-organization/… identifier.")
    name = serializers.CharField()
    classification = serializers.CharField(help_text="legislature (the council) or committee.")
    parent_id = serializers.CharField(allow_null=True, help_text="For a committee: the council.")
    active = serializers.BooleanField()
    url = serializers.CharField(help_text="Address of the public page.")


class CouncilAgendaItemSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    description = serializers.CharField(help_text="The item as the convocation reads it.")
    notes = serializers.CharField()
    bill = CouncilActRefSerializer(allow_null=True, help_text="The act the item deals with, when public.")
    outcome = serializers.CharField(help_text="pending, approved, rejected, deferred, withdrawn or noted.")
    outcome_note = serializers.CharField()
    vote_events = serializers.ListField(child=serializers.CharField(), help_text="ocd-vote/… identifiers.")


class CouncilEventSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="ocd-event/… identifier.")
    name = serializers.CharField()
    number = serializers.CharField()
    classification = serializers.CharField(help_text="ordinary, extraordinary or committee.")
    status = serializers.CharField(help_text="convened, held, closed or cancelled.")
    start_date = serializers.DateTimeField()
    location = serializers.CharField()
    organization = CouncilOrganizationRefSerializer(
        allow_null=True, help_text="The council or the committee that meets."
    )
    media = serializers.ListField(child=serializers.CharField(), help_text="Stream addresses.")
    agenda = CouncilAgendaItemSerializer(many=True)
    url = serializers.CharField(help_text="Address of the session's public page.")


class CouncilVoteCountSerializer(serializers.Serializer):
    option = serializers.CharField(help_text="yes, no, abstain, blank or absent.")
    value = serializers.IntegerField()


class CouncilPersonVoteSerializer(serializers.Serializer):
    option = serializers.CharField(help_text="yes, no, abstain, blank or absent.")
    voter_name = serializers.CharField()
    voter_id = serializers.CharField(help_text="ocd-person/… identifier.")


class CouncilEmptyChairSerializer(serializers.Serializer):
    option = serializers.CharField(help_text="The vote of the citizen in the silla vacía.")
    name = serializers.CharField(help_text="Their name as published.")


class CouncilVoteEventSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="ocd-vote/… identifier.")
    motion_text = serializers.CharField()
    result = serializers.CharField(help_text="passed or failed.")
    event_id = serializers.CharField(help_text="The session (ocd-event/…).")
    agenda_item = serializers.IntegerField(help_text="Number of the agenda item.")
    order = serializers.IntegerField(help_text="1 for the item's first vote, then in order.")
    start_date = serializers.DateTimeField(help_text="When the session started.")
    bill = CouncilActRefSerializer(allow_null=True, help_text="The act voted on, when public.")
    counts = CouncilVoteCountSerializer(many=True)
    votes = CouncilPersonVoteSerializer(many=True)
    empty_chair = CouncilEmptyChairSerializer(
        allow_null=True, help_text="The silla vacía's vote, when someone sat in it."
    )
