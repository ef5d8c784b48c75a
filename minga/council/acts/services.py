"""Writes of acts: the act with its subjects and sponsors, a new version of its text (parsed
from plain text into units), a dated action of its procedure (checked against the stage rules:
a jump past a mandatory step is refused and the refusal audited), and its PDF documents
(judged by their first bytes). Atomic and audited."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from minga.core.audit.services import diff_fields
from minga.core.crud import snapshot, unique_slug
from minga.core.notifications import services as notifications

from .. import search
from ..audit import record
from ..follows import notices
from ..lifecycle.selectors import stage_dates, stages_for
from ..lifecycle.stages import already_recorded, missing_steps, tacit_due, tacit_keys
from ..members.models import Committee, Council, Person
from .models import Act, Action, Document, Sponsorship, Subject, Unit, Version
from .parser import parse

ACT_FIELDS = ("identifier", "kind", "title", "summary", "is_public")
PDF_MAX_BYTES = 20 * 1024 * 1024
SLUG_RESERVED = frozenset({"gestion", "nuevo"})


class StageRefused(ValidationError):
    """An action the procedure does not allow at this point."""


def check_pdf(upload, *, field: str = "file") -> None:
    """Refuse anything but a PDF, judged by its first bytes (not its name or the browser's
    content type), and files over 20 MB."""
    name = (getattr(upload, "name", "") or "documento.pdf")[:120]
    if upload.size > PDF_MAX_BYTES:
        raise ValidationError({field: _("“%(name)s” is larger than 20 MB.") % {"name": name}})
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError({field: _("“%(name)s” is not a PDF file.") % {"name": name}})


def _same_government(government, objs: Iterable) -> None:
    if any(obj is not None and obj.government_id != government.pk for obj in objs):
        raise ValidationError(_("That record belongs to another government."))


def act_save(
    *,
    actor,
    government,
    act: Act | None,
    fields: Mapping[str, Any],
    subjects: Iterable[Subject] = (),
    subject_names: Iterable[str] = (),
    sponsors: Iterable[Person] = (),
    primary: Person | None = None,
) -> Act:
    """Create or change an act with its subjects (existing ones, and ``subject_names`` found or
    created in the same transaction, so a refused act leaves no new subject) and sponsors."""
    if set(fields) - set(ACT_FIELDS):
        raise ValueError(f"not editable: {sorted(set(fields) - set(ACT_FIELDS))}")
    subjects, sponsors = list(subjects), list(sponsors)
    if primary is not None and primary not in sponsors:
        sponsors.insert(0, primary)
    _same_government(government, [*subjects, *sponsors])
    council = Council.objects.for_government(government).first()
    if council is None:
        raise ValidationError(_("Register the council before its acts."))
    with transaction.atomic():
        creating = act is None
        before = {} if creating else _snapshot(act)
        act = act or Act(government=government, council=council)
        for name, value in fields.items():
            setattr(act, name, value if value is not None else "")
        act.identifier = act.identifier.strip()
        if not act.identifier or not act.title.strip():
            raise ValidationError({"identifier": _("Give the act's number and title.")})
        taken = Act.objects.for_government(government).filter(identifier=act.identifier).exclude(pk=act.pk)
        if taken.exists():
            raise ValidationError(
                {"identifier": _("Another act already has the number “%(n)s”.") % {"n": act.identifier}}
            )
        if creating:
            act.slug = unique_slug(
                Act.objects.for_government(government), act.identifier, 90, fallback="acto", reserved=SLUG_RESERVED
            )
        act.save()
        subjects += [subject_get_or_create(actor=actor, government=government, name=name) for name in subject_names]
        act.subjects.set(subjects)
        Sponsorship.objects.for_government(government).filter(act=act).exclude(person__in=sponsors).delete()
        for person in sponsors:
            Sponsorship.objects.for_government(government).update_or_create(
                government=government, act=act, person=person, defaults={"primary": person == primary}
            )
        record(
            actor=actor,
            government=government,
            action="act.created" if creating else "act.updated",
            obj=act,
            changes=diff_fields(before, _snapshot(act)),
        )
        search.index(search.ACT_KIND, act)
    return act


def _snapshot(act: Act) -> dict:
    return snapshot(
        act,
        extra={
            "subjects": sorted(act.subjects.values_list("slug", flat=True)) if act.pk else [],
            "sponsors": sorted(
                Sponsorship.objects.for_government(act.government_id)
                .filter(act=act)
                .values_list("person_id", flat=True)
            )
            if act.pk
            else [],
        },
    )


def act_delete(*, actor, government, act: Act) -> None:
    with transaction.atomic():
        record(
            actor=actor, government=government, action="act.deleted", obj=act, changes=diff_fields(_snapshot(act), {})
        )
        for document in Document.objects.for_government(government).filter(act=act):
            document.file.delete(save=False)
        # citizens' comments on its articles live in core's threads, linked by id only
        from ..debate.services import comments_delete_for_act

        comments_delete_for_act(government=government, act=act)
        notifications.forget_target(government=government, target=act)
        search.forget(search.ACT_KIND, act)
        act.delete()


def version_add(*, actor, government, act: Act, label: str, dated: dt.date, note: str = "", text: str) -> Version:
    units = parse(text)
    if not any(
        unit.kind == "article" or unit.kind not in ("preamble", "title", "chapter", "section") for unit in units
    ):
        raise ValidationError(
            {"text": _("No article was recognised. Each article must start a line with “Art. 1.-” or “Artículo 1.-”.")}
        )
    if not (label or "").strip():
        raise ValidationError({"label": _("Name the version, e.g. Texto para segundo debate.")})
    with transaction.atomic():
        Act.objects.for_government(government).select_for_update().filter(pk=act.pk).first()
        latest = Version.objects.for_government(government).filter(act=act).order_by("-number").first()
        version = Version.objects.for_government(government).create(
            government=government,
            act=act,
            number=(latest.number + 1) if latest else 1,
            label=label.strip()[:150],
            dated=dated,
            note=note or "",
        )
        Unit.objects.for_government(government).bulk_create(
            Unit(
                government=government,
                version=version,
                position=position,
                kind=unit.kind,
                number=unit.number[:30],
                heading=unit.heading[:300],
                body=unit.body,
            )
            for position, unit in enumerate(units, start=1)
        )
        record(
            actor=actor,
            government=government,
            action="act.version_added",
            obj=act,
            changes={f"version:{version.number}": [None, {"label": version.label, "units": len(units)}]},
        )
    return version


def _refuse(*, actor, government, act: Act, stage: str, message: str) -> None:
    """The refusal is audited in its own transaction, then raised."""
    with transaction.atomic():
        record(
            actor=actor,
            government=government,
            action="act.stage_refused",
            obj=act,
            changes={"stage": [act.stage or None, stage], "reason": message},
        )
    raise StageRefused({"stage": message})


def _refusal(stages, stage: str, recorded: set[str], kind: str) -> str | None:
    """Why the procedure does not allow `stage` now (None: it does)."""
    closed = next((stages[key] for key in recorded if key in stages and stages[key].closes), None)
    if closed is not None:
        return _("The act is closed (%(closed)s): no step can follow.") % {"closed": closed.label}
    if already_recorded(stages, stage, recorded):
        return _("“%(stage)s” is already recorded for this act; this stage is not recorded twice.") % {
            "stage": stages[stage].label
        }
    missing = missing_steps(stages, stage, recorded, kind)
    if missing:
        quoted = ", ".join(_("“%(label)s”") % {"label": step.label} for step in missing)
        return _("“%(stage)s” cannot be recorded yet: first record %(missing)s.") % {
            "stage": stages[stage].label,
            "missing": quoted,
        }
    return None


def _tacit_refusal(stages, stage: str, dates: dict[str, dt.date], today: dt.date) -> tuple[str | None, dt.date | None]:
    """A tacit stage (the executive's tacit sanction) holds only when the deadline it stands
    for has passed with no answer; it is dated on the deadline's last day."""
    source = tacit_due(stages, stage, dates)
    if source is None:
        return _("“%(stage)s” needs a running deadline, and none has started.") % {"stage": stages[stage].label}, None
    deadline_stage, due = source
    answered = [stages[key] for key in dates if key in stages and stages[key].order >= stages[stage].order]
    if answered:
        return _("“%(stage)s” does not apply: “%(answer)s” is already recorded.") % {
            "stage": stages[stage].label,
            "answer": answered[0].label,
        }, None
    if today <= due:
        return _("The deadline for “%(deadline)s” runs until %(date)s: until then there is no “%(stage)s”.") % {
            "deadline": deadline_stage.label,
            "date": date_format(due, "DATE_FORMAT"),
            "stage": stages[stage].label,
        }, None
    return None, due


def action_record(
    *,
    actor,
    government,
    act: Act,
    stage: str,
    date: dt.date,
    description: str = "",
    committee: Committee | None = None,
    version: Version | None = None,
    today: dt.date,
) -> Action:
    stages = stages_for(government)
    if stage not in stages:
        raise ValidationError({"stage": _("Choose a stage.")})
    _same_government(government, [committee, version])
    if version is not None and version.act_id != act.pk:
        raise ValidationError({"version": _("That version belongs to another act.")})
    if date > today:
        raise ValidationError({"date": _("An action cannot be dated in the future.")})
    if stage == "committee_assigned" and committee is None:
        raise ValidationError({"committee": _("Say which committee the act is assigned to.")})
    with transaction.atomic():
        # One step at a time per act: the checks below read the steps recorded so far.
        Act.objects.for_government(government).select_for_update().filter(pk=act.pk).first()
        actions = list(Action.objects.for_government(government).filter(act=act))
        refusal = _refusal(stages, stage, {action.stage for action in actions}, act.kind)
        if refusal is None and stage in tacit_keys(stages):
            refusal, due = _tacit_refusal(stages, stage, stage_dates(actions), today)
            date = due or date  # dated on the last day of the deadline, whatever was typed
        if refusal is None:
            last = max((action.date for action in actions), default=None)
            if last is not None and date < last:
                raise ValidationError(
                    {
                        "date": _("The procedure already has a step dated %(date)s; steps are recorded in order.")
                        % {"date": last}
                    }
                )
            action = Action.objects.for_government(government).create(
                government=government,
                act=act,
                stage=stage,
                date=date,
                description=(description or "")[:300],
                committee=committee,
                version=version,
            )
            act.stage, act.stage_date = stage, date
            update = ["stage", "stage_date", "updated_at"]
            if committee is not None and stage == "committee_assigned":
                act.committee = committee
                update.append("committee")
            act.save(update_fields=update)
            record(
                actor=actor,
                government=government,
                action="act.action_recorded",
                obj=act,
                changes={"stage": [None, stage], "date": [None, date.isoformat()]},
            )
            notices.act_stage_changed(
                government=government, act=act, stage_label=stages[stage].label, date=date, actor=actor
            )
            search.index(search.ACT_KIND, act)
    if refusal is not None:
        _refuse(actor=actor, government=government, act=act, stage=stage, message=refusal)
    return action


def action_delete(*, actor, government, action: Action) -> None:
    """For a step recorded by mistake: the act's stage goes back to its previous step."""
    act = action.act
    with transaction.atomic():
        record(
            actor=actor,
            government=government,
            action="act.action_deleted",
            obj=act,
            changes={"stage": [action.stage, None], "date": [action.date.isoformat(), None]},
        )
        action.delete()
        previous = Action.objects.for_government(government).filter(act=act).order_by("-date", "-pk").first()
        act.stage = previous.stage if previous else ""
        act.stage_date = previous.date if previous else None
        act.save(update_fields=["stage", "stage_date", "updated_at"])


def document_add(*, actor, government, act: Act, kind: str, title: str, dated: dt.date, upload) -> Document:
    check_pdf(upload, field="file")
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the document a title.")})
    if kind not in Document.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of document.")})
    with transaction.atomic():
        upload.name = f"{act.slug}-{secrets.token_hex(6)}.pdf"
        document = Document(government=government, act=act, kind=kind, title=title.strip(), dated=dated, file=upload)
        document.save()
        record(
            actor=actor,
            government=government,
            action="act.document_added",
            obj=act,
            changes={f"document:{document.pk}": [None, {"title": document.title, "kind": kind}]},
        )
    return document


def document_delete(*, actor, government, document: Document) -> None:
    with transaction.atomic():
        record(
            actor=actor,
            government=government,
            action="act.document_deleted",
            obj=document.act,
            changes={f"document:{document.pk}": [{"title": document.title}, None]},
        )
        document.file.delete(save=False)
        document.delete()


def subject_get_or_create(*, actor, government, name: str) -> Subject:
    name = (name or "").strip()[:120]
    if not name:
        raise ValidationError({"name": _("Give the subject's name.")})
    found = Subject.objects.for_government(government).filter(name__iexact=name).first()
    if found:
        return found
    with transaction.atomic():
        subject = Subject.objects.for_government(government).create(
            government=government,
            name=name,
            slug=unique_slug(Subject.objects.for_government(government), name, 90, fallback="tema"),
        )
        record(
            actor=actor, government=government, action="subject.created", obj=subject, changes={"name": [None, name]}
        )
    return subject
