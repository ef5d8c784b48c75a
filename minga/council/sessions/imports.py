"""Import of a session's votes from the spreadsheet the secretariat already keeps, saved as CSV:
one row per member and motion, with the columns ``punto`` (the agenda item's number),
``mocion`` (the motion), ``miembro`` (the member's name as published, or the public identifier
of their page) and ``voto`` (Sí / No / Abstención / Blanco / Ausente), and optionally
``resultado`` (Aprobada / Negada; otherwise counted). UTF-8 with or without BOM, separated by
``;`` or ``,``. All or nothing: every bad row is reported with its line and nothing is saved."""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..audit import record
from .models import AgendaItem, Session
from .services import _check_held, _create_event, members_on, result_of, vote_problems

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
COLUMNS = ("punto", "mocion", "miembro", "voto")
VOTE_WORDS = {
    "si": "yes",
    "yes": "yes",
    "a favor": "yes",
    "afirmativo": "yes",
    "no": "no",
    "en contra": "no",
    "negativo": "no",
    "abstencion": "abstain",
    "se abstiene": "abstain",
    "abstiene": "abstain",
    "blanco": "blank",
    "en blanco": "blank",
    "voto en blanco": "blank",
    "ausente": "absent",
    "no vota": "absent",
}
RESULT_WORDS = {
    "aprobada": "passed",
    "aprobado": "passed",
    "aprobada por mayoria": "passed",
    "passed": "passed",
    "negada": "failed",
    "negado": "failed",
    "rechazada": "failed",
    "rechazado": "failed",
    "failed": "failed",
}


def plain(text: str) -> str:
    """Lowercase, without accents, with single spaces: how names and words are compared."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.lower().split())


@dataclass
class RowError:
    line: int
    reason: str


@dataclass
class Planned:
    item: AgendaItem
    motion: str
    line: int
    votes: list = field(default_factory=list)  # (person, option)
    lines: dict = field(default_factory=dict)  # person pk -> line
    result: str = ""


@dataclass
class ImportOutcome:
    events: list[Planned]
    errors: list[RowError]

    @property
    def votes(self) -> int:
        return sum(len(event.votes) for event in self.events)


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 2 MB.")})
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            {"file": _("The file is not UTF-8 text. Save the sheet as “CSV UTF-8” and upload it again.")}
        ) from None


def _reader(text: str):
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def plan(session: Session, data: bytes) -> ImportOutcome:
    """Read the file and check every row against the session; nothing is written."""
    rows = _reader(_decode(data))
    header = next(rows, None)
    names = [plain(name) for name in (header or [])]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        raise ValidationError(
            {
                "file": _("The first row must name the columns %(columns)s; missing: %(missing)s.")
                % {"columns": ", ".join(COLUMNS), "missing": ", ".join(missing)}
            }
        )
    index = {name: names.index(name) for name in (*COLUMNS, "resultado") if name in names}
    items = {
        item.position: item for item in AgendaItem.objects.for_government(session.government_id).filter(session=session)
    }
    members = members_on(session)
    by_slug = {person.slug: person for person in members}
    by_name: dict[str, list] = {}
    for person in members:
        by_name.setdefault(plain(person.name), []).append(person)
    errors: list[RowError] = []
    events: dict[tuple[int, str], Planned] = {}
    for line, row in enumerate(rows, start=2):
        if line - 1 > MAX_ROWS:
            errors.append(RowError(line, _("Too many rows: at most %(n)s.") % {"n": MAX_ROWS}))
            break
        if not any(cell.strip() for cell in row):
            continue

        def cell(name, row=row):
            position = index.get(name)
            return row[position].strip() if position is not None and position < len(row) else ""

        reasons = []
        number = cell("punto")
        item = items.get(int(number)) if number.isdigit() else None
        if item is None:
            reasons.append(_("there is no item “%(n)s” on the agenda") % {"n": number})
        motion = " ".join(cell("mocion").split())
        if not motion:
            reasons.append(_("the motion is empty"))
        who = cell("miembro")
        person = by_slug.get(who.lower())
        if person is None:
            found = by_name.get(plain(who), [])
            if len(found) == 1:
                person = found[0]
            elif found:
                reasons.append(_("two members are called “%(name)s”: use the identifier of their page") % {"name": who})
            else:
                reasons.append(_("“%(name)s” is not a member on the day of the session") % {"name": who})
        option = VOTE_WORDS.get(plain(cell("voto")))
        if option is None:
            reasons.append(
                _("the vote “%(vote)s” is not one of Sí, No, Abstención, Blanco, Ausente") % {"vote": cell("voto")}
            )
        result = cell("resultado")
        if result and plain(result) not in RESULT_WORDS:
            reasons.append(_("the result “%(result)s” is not Aprobada or Negada") % {"result": result})
        if reasons:
            errors.append(RowError(line, "; ".join(reasons)))
            continue
        key = (item.position, plain(motion))
        event = events.setdefault(key, Planned(item=item, motion=motion, line=line))
        if person.pk in event.lines:
            errors.append(
                RowError(
                    line,
                    _("%(name)s already voted on this motion on line %(line)s; a vote is recorded once")
                    % {"name": person.name, "line": event.lines[person.pk]},
                )
            )
            continue
        event.lines[person.pk] = line
        event.votes.append((person, option))
        if result:
            event.result = RESULT_WORDS[plain(result)]
    for event in events.values():
        for problem in vote_problems(session, event.item, event.motion, event.votes):
            errors.append(RowError(event.line, problem))
    if not events and not errors:
        errors.append(RowError(2, _("The file has no votes.")))
    return ImportOutcome(events=list(events.values()), errors=sorted(errors, key=lambda error: error.line))


def import_votes(*, actor, government, session: Session, data: bytes) -> ImportOutcome:
    """Record every vote event of the file, or none: a file with any bad row is refused (and
    the refusal audited) with every bad row explained."""
    _check_held(actor, government, session, "session.votes_import_refused")
    outcome = plan(session, data)
    if outcome.errors:
        with transaction.atomic():
            record(
                actor=actor,
                government=government,
                action="session.votes_import_refused",
                obj=session,
                changes={
                    "errors": len(outcome.errors),
                    "first": f"{outcome.errors[0].line}: {outcome.errors[0].reason}",
                },
            )
        return outcome
    with transaction.atomic():
        for event in outcome.events:
            _create_event(
                actor=actor,
                government=government,
                item=event.item,
                motion=event.motion,
                votes=event.votes,
                result=event.result or result_of(option for _person, option in event.votes),
                empty_chair_option="",
                empty_chair_name="",
            )
        record(
            actor=actor,
            government=government,
            action="session.votes_imported",
            obj=session,
            changes={"events": len(outcome.events), "votes": outcome.votes},
        )
    return outcome
