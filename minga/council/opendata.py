"""Open data of the Open Council, in the Open Civic Data vocabulary (bills, actions, versions,
people and memberships as in Popolo, events with their agenda, vote events with their counts
and votes): eight tables the catalog publishes as datasets and reloads after every audited
write of the council (council/audit.py calls core.opendata.tables_changed). Only what the
public pages show: public acts, convened sessions (drafts never), and the votes of those."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from minga.core.opendata import OpenDataColumn, OpenDataTable
from minga.core.tenancy.paths import government_link, government_path

from .acts.models import Act, Action, Sponsorship, Version
from .lifecycle.stages import STAGE_CHOICES
from .members.models import CommitteeMembership, Council, Membership
from .search import session_path
from .sessions.models import VOTE_OPTIONS, AgendaItem, Session, Vote, VoteEvent

MODULE = "council"
STAGES = dict(STAGE_CHOICES)


def _col(name, label, description="", kind="text") -> OpenDataColumn:
    return OpenDataColumn(name, str(label), str(description), type=kind)


def _local(value):
    return timezone.localtime(value) if value else None


def public_acts(government):
    return Act.objects.for_government(government).published()


def public_sessions(government):
    return Session.objects.for_government(government).published()


def act_rows(government) -> list[tuple]:
    acts = (
        public_acts(government)
        .select_related("committee")
        .prefetch_related("subjects", Prefetch("sponsorships", queryset=Sponsorship.objects.select_related("person")))
        .order_by("created_at", "pk")
    )
    rows = []
    for act in acts:
        sponsors = list(act.sponsorships.all())
        rows.append(
            (
                act.ocd_id,
                act.identifier,
                act.title,
                act.kind,
                str(act.get_kind_display()),
                act.summary,
                "; ".join(subject.name for subject in act.subjects.all()),
                "; ".join(sponsor.person.name for sponsor in sponsors),
                "; ".join(sponsor.person.ocd_id for sponsor in sponsors),
                next((sponsor.person.name for sponsor in sponsors if sponsor.primary), ""),
                act.committee.name if act.committee else "",
                act.stage,
                str(STAGES.get(act.stage, "")),
                act.stage_date,
                _local(act.created_at),
                _local(act.updated_at),
                government_link(government, government_path("council:act_detail", slug=act.slug)),
            )
        )
    return rows


def action_rows(government) -> list[tuple]:
    actions = (
        Action.objects.for_government(government)
        .filter(act__is_public=True)
        .select_related("act", "committee", "version")
        .order_by("act__created_at", "act_id", "date", "pk")
    )
    return [
        (
            action.act.ocd_id,
            action.act.identifier,
            action.date,
            action.stage,
            str(STAGES.get(action.stage, action.stage)),
            action.description,
            action.committee.name if action.committee else "",
            action.version.number if action.version else None,
        )
        for action in actions
    ]


def version_rows(government) -> list[tuple]:
    versions = (
        Version.objects.for_government(government)
        .filter(act__is_public=True)
        .select_related("act")
        .annotate(unit_count=Count("units"), article_count=Count("units", filter=Q(units__kind="article")))
        .order_by("act__created_at", "act_id", "number")
    )
    return [
        (
            version.act.ocd_id,
            version.act.identifier,
            version.number,
            version.label,
            version.dated,
            version.note,
            version.unit_count,
            version.article_count,
        )
        for version in versions
    ]


def member_rows(government) -> list[tuple]:
    """One row per membership: the council seats, then the committee seats."""
    rows = []
    seats = Membership.objects.for_government(government).select_related("person", "council", "alternate_of")
    for seat in seats.order_by("person__name", "starts_on", "pk"):
        person = seat.person
        rows.append(
            (
                person.ocd_id,
                person.name,
                person.party,
                person.email,
                seat.council.ocd_id,
                seat.council.name,
                seat.role,
                seat.label or str(seat.get_role_display()),
                seat.alternate_of.ocd_id if seat.alternate_of else "",
                seat.starts_on,
                seat.ends_on,
                government_link(government, government_path("council:member_detail", slug=person.slug)),
            )
        )
    committee_seats = CommitteeMembership.objects.for_government(government).select_related("person", "committee")
    for seat in committee_seats.order_by("committee__name", "person__name", "pk"):
        person = seat.person
        rows.append(
            (
                person.ocd_id,
                person.name,
                person.party,
                person.email,
                seat.committee.ocd_id,
                seat.committee.name,
                seat.role,
                str(seat.get_role_display()),
                "",
                seat.starts_on,
                seat.ends_on,
                government_link(government, government_path("council:member_detail", slug=person.slug)),
            )
        )
    return rows


def session_rows(government) -> list[tuple]:
    council = Council.objects.for_government(government).first()
    sessions = (
        public_sessions(government)
        .select_related("committee")
        .annotate(item_count=Count("items"))
        .order_by("starts_at")
    )
    rows = []
    for session in sessions:
        body = session.committee or council
        rows.append(
            (
                session.ocd_id,
                session.number,
                session.title,
                session.kind,
                str(session.get_kind_display()),
                body.ocd_id if body else "",
                body.name if body else "",
                session.status,
                str(session.get_status_display()),
                _local(session.starts_at),
                session.place,
                session.stream_url,
                session.item_count,
                session.minutes_summary,
                government_link(government, session_path(session)),
            )
        )
    return rows


def agenda_rows(government) -> list[tuple]:
    items = (
        AgendaItem.objects.for_government(government)
        .filter(session__in=public_sessions(government))
        .select_related("session", "act")
        .order_by("session__starts_at", "session_id", "position")
    )
    rows = []
    for item in items:
        act = item.act if item.act is not None and item.act.is_public else None
        rows.append(
            (
                item.session.ocd_id,
                item.position,
                item.title,
                act.ocd_id if act else "",
                act.identifier if act else "",
                item.outcome,
                str(item.get_outcome_display()),
                item.outcome_note,
            )
        )
    return rows


def public_vote_events(government):
    return VoteEvent.objects.for_government(government).filter(item__session__in=public_sessions(government))


def counts_of(government, events) -> dict[int, Counter]:
    """Votes per option of each vote event, by event id."""
    counts: dict[int, Counter] = {event.pk: Counter() for event in events}
    found = (
        Vote.objects.for_government(government)
        .filter(event_id__in=list(counts))
        .values("event_id", "option")
        .annotate(n=Count("pk"))
    )
    for row in found:
        counts[row["event_id"]][row["option"]] = row["n"]
    return counts


def vote_event_rows(government) -> list[tuple]:
    events = list(
        public_vote_events(government)
        .select_related("item__session", "act")
        .order_by("item__session__starts_at", "item__session_id", "item__position", "position")
    )
    counts = counts_of(government, events)
    rows = []
    for event in events:
        act = event.act if event.act is not None and event.act.is_public else None
        count = counts[event.pk]
        rows.append(
            (
                event.ocd_id,
                event.item.session.ocd_id,
                event.item.position,
                event.position,
                event.motion,
                event.result,
                act.ocd_id if act else "",
                act.identifier if act else "",
                *(count.get(option, 0) for option in VOTE_OPTIONS),
                event.empty_chair_option,
                event.empty_chair_name,
            )
        )
    return rows


def vote_rows(government) -> list[tuple]:
    votes = (
        Vote.objects.for_government(government)
        .filter(event__in=public_vote_events(government))
        .select_related("event", "person")
        .order_by("event__item__session__starts_at", "event_id", "person__name")
    )
    return [(vote.event.ocd_id, vote.person.ocd_id, vote.person.name, vote.option) for vote in votes]


def _columns():
    act_id = _col(
        "acto_id", pgettext("council open data", "Act id"), _("Open Civic Data identifier of the act (ocd-bill/…).")
    )
    number = _col(
        "numero_acto", pgettext("council open data", "Act number"), _("The secretariat's number, e.g. PO-2026-004.")
    )
    session_id = _col(
        "sesion_id",
        pgettext("council open data", "Session id"),
        _("Open Civic Data identifier of the session (ocd-event/…)."),
    )
    counts = tuple(
        _col(f"votos_{name}", label, kind="integer")
        for name, label in (
            ("si", pgettext("council open data", "Votes in favour")),
            ("no", pgettext("council open data", "Votes against")),
            ("abstencion", pgettext("council open data", "Abstentions")),
            ("blanco", pgettext("council open data", "Blank votes")),
            ("ausente", pgettext("council open data", "Absent")),
        )
    )
    return {
        "acts": (
            _col("id", pgettext("council open data", "Id"), _("Open Civic Data identifier (ocd-bill/…).")),
            _col("numero", pgettext("council open data", "Number"), _("The secretariat's number, e.g. PO-2026-004.")),
            _col("titulo", pgettext("council open data", "Title")),
            _col("clasificacion", pgettext("council open data", "Classification"), "ordinance, resolution, agreement"),
            _col("tipo", pgettext("council open data", "Kind")),
            _col("resumen", pgettext("council open data", "Summary")),
            _col("temas", pgettext("council open data", "Subjects"), _("Several are separated by semicolons.")),
            _col("proponentes", pgettext("council open data", "Sponsors"), _("Several are separated by semicolons.")),
            _col(
                "proponentes_id",
                pgettext("council open data", "Sponsor ids"),
                _("Open Civic Data identifiers (ocd-person/…)."),
            ),
            _col("proponente_principal", pgettext("council open data", "Primary sponsor")),
            _col("comision", pgettext("council open data", "Committee in charge")),
            _col("etapa", pgettext("council open data", "Stage code")),
            _col("etapa_nombre", pgettext("council open data", "Stage")),
            _col("fecha_etapa", pgettext("council open data", "Stage date"), kind="date"),
            _col("creado", pgettext("council open data", "Created"), kind="datetime"),
            _col("actualizado", pgettext("council open data", "Updated"), kind="datetime"),
            _col("direccion", pgettext("council open data", "Page"), _("Address of the act's page in the portal.")),
        ),
        "actions": (
            act_id,
            number,
            _col("fecha", pgettext("council open data", "Date"), kind="date"),
            _col("etapa", pgettext("council open data", "Stage code")),
            _col("etapa_nombre", pgettext("council open data", "Stage")),
            _col("descripcion", pgettext("council open data", "Description")),
            _col("comision", pgettext("council open data", "Committee in charge")),
            _col(
                "version",
                pgettext("council open data", "Resulting version"),
                _("Number of the text this step produced."),
                "integer",
            ),
        ),
        "versions": (
            act_id,
            number,
            _col("version", pgettext("council open data", "Version"), kind="integer"),
            _col("nombre", pgettext("council open data", "Name")),
            _col("fecha", pgettext("council open data", "Date"), kind="date"),
            _col("nota", pgettext("council open data", "Note")),
            _col(
                "unidades",
                pgettext("council open data", "Text units"),
                _("Titles, chapters, articles and provisions."),
                "integer",
            ),
            _col("articulos", pgettext("council open data", "Articles"), kind="integer"),
        ),
        "members": (
            _col(
                "persona_id",
                pgettext("council open data", "Person id"),
                _("Open Civic Data identifier (ocd-person/…)."),
            ),
            _col("nombre", pgettext("council open data", "Name")),
            _col("partido", pgettext("council open data", "Party or movement")),
            _col("correo", pgettext("council open data", "Public e-mail")),
            _col(
                "organizacion_id",
                pgettext("council open data", "Organization id"),
                _("The council or a committee (ocd-organization/…)."),
            ),
            _col("organizacion", pgettext("council open data", "Organization")),
            _col("rol", pgettext("council open data", "Role code")),
            _col("cargo", pgettext("council open data", "Role")),
            _col(
                "suplente_de",
                pgettext("council open data", "Alternate of"),
                _("For an alternate: the principal member's id."),
            ),
            _col("inicio", pgettext("council open data", "Starts"), kind="date"),
            _col("fin", pgettext("council open data", "Ends"), _("Empty while running."), "date"),
            _col("direccion", pgettext("council open data", "Page"), _("Address of the member's page in the portal.")),
        ),
        "sessions": (
            _col("id", pgettext("council open data", "Id"), _("Open Civic Data identifier (ocd-event/…).")),
            _col("numero", pgettext("council open data", "Number")),
            _col("titulo", pgettext("council open data", "Title")),
            _col("clase", pgettext("council open data", "Kind code")),
            _col("tipo", pgettext("council open data", "Kind")),
            _col(
                "organizacion_id",
                pgettext("council open data", "Organization id"),
                _("The council or a committee (ocd-organization/…)."),
            ),
            _col("organizacion", pgettext("council open data", "Organization")),
            _col("estado_codigo", pgettext("council open data", "Status code")),
            _col("estado", pgettext("council open data", "Status")),
            _col("inicio", pgettext("council open data", "Starts"), kind="datetime"),
            _col("lugar", pgettext("council open data", "Place")),
            _col("transmision", pgettext("council open data", "Stream link")),
            _col("puntos", pgettext("council open data", "Agenda items"), kind="integer"),
            _col("resumen_acta", pgettext("council open data", "Summary of the minutes")),
            _col("direccion", pgettext("council open data", "Page"), _("Address of the session's page in the portal.")),
        ),
        "agenda": (
            session_id,
            _col("punto", pgettext("council open data", "Item"), _("Its number in the order of the day."), "integer"),
            _col("titulo", pgettext("council open data", "Title")),
            act_id,
            number,
            _col("resultado_codigo", pgettext("council open data", "Outcome code")),
            _col("resultado", pgettext("council open data", "Outcome")),
            _col("nota_resultado", pgettext("council open data", "Outcome note")),
        ),
        "vote_events": (
            _col("id", pgettext("council open data", "Id"), _("Open Civic Data identifier (ocd-vote/…).")),
            session_id,
            _col("punto", pgettext("council open data", "Item"), _("Its number in the order of the day."), "integer"),
            _col(
                "votacion",
                pgettext("council open data", "Vote number"),
                _("1 for the item's first vote, then in order."),
                "integer",
            ),
            _col("mocion", pgettext("council open data", "Motion")),
            _col("resultado", pgettext("council open data", "Result"), "passed, failed"),
            act_id,
            number,
            *counts,
            _col("silla_vacia", pgettext("council open data", "Vote of the empty chair")),
            _col("silla_vacia_nombre", pgettext("council open data", "Occupant of the empty chair")),
        ),
        "votes": (
            _col(
                "votacion_id", pgettext("council open data", "Vote id"), _("Open Civic Data identifier (ocd-vote/…).")
            ),
            _col(
                "persona_id",
                pgettext("council open data", "Person id"),
                _("Open Civic Data identifier (ocd-person/…)."),
            ),
            _col("nombre", pgettext("council open data", "Name")),
            _col("voto", pgettext("council open data", "Vote"), "yes, no, abstain, blank, absent"),
        ),
    }


def tables(government) -> list[OpenDataTable]:
    name = government.short_name or government.name
    columns = _columns()
    source = str(_("Published automatically from the Open Council pages of this portal."))
    keywords = ("concejo", "legislación", "ordenanzas", "datos abiertos legislativos")
    found = (
        (
            "acts",
            _("Council acts of %(name)s"),
            _(
                "Ordinance projects, resolutions and agreements of the council, with their subjects, sponsors and stage."
            ),
            act_rows,
        ),
        (
            "actions",
            _("Steps of the council acts of %(name)s"),
            _("Every dated step of the procedure of each act."),
            action_rows,
        ),
        (
            "versions",
            _("Versions of the council acts of %(name)s"),
            _("Each version of the text of each act, with its number of units and articles."),
            version_rows,
        ),
        (
            "members",
            _("Council members of %(name)s"),
            _("Who sits or sat in the council and its committees, in which role and when."),
            member_rows,
        ),
        (
            "sessions",
            _("Council sessions of %(name)s"),
            _("The convened sessions of the council and its committees."),
            session_rows,
        ),
        (
            "agenda",
            _("Agenda items of the council sessions of %(name)s"),
            _("Each item of each session's order of the day, with its outcome."),
            agenda_rows,
        ),
        (
            "vote_events",
            _("Council votes of %(name)s"),
            _("Each vote of the council, with its result and counts."),
            vote_event_rows,
        ),
        ("votes", _("Council members' votes of %(name)s"), _("How each member voted in each vote."), vote_rows),
    )
    return [
        OpenDataTable(
            key=f"council.{key}",
            module=MODULE,
            title=str(title % {"name": name}),
            summary=str(summary),
            description=source,
            columns=columns[key],
            rows=lambda rows=rows: rows(government),
            theme="GOVE",
            keywords=keywords,
            frequency="IRREG",
        )
        for key, title, summary, rows in found
    ]
