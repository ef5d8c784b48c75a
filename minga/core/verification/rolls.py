"""The census roll of a government, from upload to live.

1. **Upload** (``roll_upload``, in the request): every row is checked (``census.read_roll``);
   the cédulas kept are replaced by their keyed hashes in a staged file (through the storage),
   and a roll is recorded with its report (rows left out, by line and reason). The load job is
   queued. The live roll is untouched.
2. **Load** (``roll_load``, a background job with a progress record): the staged hashes are
   inserted in batches, each its own transaction, under a roll nobody reads yet; then the roll
   is ready and the staged file goes. A roll whose job died is failed by ``recover_loads``.
3. **Publish** (``roll_publish``, an official, audited): one transaction makes the ready roll
   live and the previous one replaced. Rows left out must be accepted explicitly. Until then
   the previous roll stays live; nothing is ever half-loaded where a check can see it.
4. **Discard** (``roll_discard``): a roll not wanted (or the live one withdrawn). The entries of
   rolls that are no longer live or waiting are deleted by ``rolls_purge`` (a job).

A census verification counts while the person is on the live roll, so publishing a new roll
needs no rewrite of verifications: people not on it stop counting at the census level."""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..audit import services as audit
from ..progress import selectors as progress_selectors
from ..progress import services as progress
from . import census
from .models import CensusEntry, CensusRoll

logger = logging.getLogger("minga.verification")

LOAD_TASK = "minga.core.tasks.census_roll_load"
PURGE_TASK = "minga.core.tasks.census_rolls_purge"
PROGRESS_KIND = "core.census_load"
PHASES = {"inserting": gettext_noop("Storing the people of the roll")}
PEOPLE = gettext_noop("people")
BATCH = 5000
STAGING_DIR = "verification/staging"
# A roll waiting for a worker this long, with no progress record, is given up.
NEVER_STARTED = dt.timedelta(days=1)
Status = CensusRoll.Status


def _enqueue(task_path: str, *args) -> None:
    import_string(task_path).enqueue(*args)


def kept_live(government) -> str:
    return _("Nothing changed: the census roll published before (if any) stays live.")


# Upload ----------------------------------------------------------------------------------------


def roll_upload(*, actor, government, file, label: str, now: dt.datetime | None = None) -> CensusRoll:
    """Check the file and stage the roll; the load job runs after the commit. Raises
    ValidationError (on ``file``) when the file is too large or cannot be read as a roll."""
    now = now or timezone.now()
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": _("Give the roll a name, e.g. “Padrón electoral CNE 2025”.")})
    if file.size > settings.CENSUS_UPLOAD_MAX_BYTES:
        raise ValidationError(
            {"file": _("The file is larger than %(mb)d MB.") % {"mb": settings.CENSUS_UPLOAD_MAX_BYTES // 2**20}}
        )
    try:
        reading = census.read_roll(file, government_code=government.dpa_code)
    except census.UnreadableRoll as error:
        raise ValidationError({"file": str(error)}) from None
    roll = CensusRoll(
        government=government,
        label=label[:200],
        filename=(getattr(file, "name", "") or "")[:255],
        uploaded_by=actor,
        uploaded_at=now,
        rows_read=reading.rows_read,
        people=reading.people,
        rows_bad=reading.rows_bad,
        has_territories=reading.has_territories,
        territory_counts=reading.territory_counts(),
        report=reading.report,
    )
    if not reading.people:
        roll.status, roll.ended_at = Status.FAILED, now
        roll.failure = _("No row of the file can be loaded: see the rows left out.")
    else:
        # Only keyed hashes are written; the storage is not transactional, so a failed commit
        # deletes the file again.
        name = default_storage.save(
            f"{STAGING_DIR}/{government.pk}-{secrets.token_hex(12)}.bin", ContentFile(census.staged_bytes(reading))
        )
        roll.staging_name = name
    del reading  # the clear numbers go as soon as possible
    try:
        _record_upload(actor=actor, government=government, roll=roll, now=now)
    except Exception:
        if roll.staging_name:
            default_storage.delete(roll.staging_name)
        raise
    return roll


@transaction.atomic
def _record_upload(*, actor, government, roll: CensusRoll, now) -> None:
    roll.full_clean()
    roll.save()
    audit.record(
        actor=actor,
        government=government,
        action="core.census_roll.uploaded",
        obj=roll,
        changes={
            "label": [None, roll.label],
            "file": [None, roll.filename],
            "rows": [None, roll.rows_read],
            "people": [None, roll.people],
            "rows_left_out": [None, roll.rows_bad],
            "status": [None, roll.status],
        },
        now=now,
    )
    if roll.status == Status.LOADING:
        transaction.on_commit(lambda: _enqueue(LOAD_TASK, government.pk, roll.pk))


# Load (background job) -------------------------------------------------------------------------


def roll_load(*, government, roll_id: int, batch_size: int = BATCH) -> CensusRoll | None:
    """Insert the staged hashes of a loading roll, then mark it ready. Stops (and cleans up)
    when the roll was discarded meanwhile."""
    roll = CensusRoll.objects.for_government(government).filter(pk=roll_id).first()
    if roll is None or roll.status != Status.LOADING:
        return roll
    tracker = progress.start(
        government=government,
        kind=PROGRESS_KIND,
        module="verification",
        obj=roll,
        title=roll.label,
        unit=PEOPLE,
        labels=PHASES,
    )
    try:
        with default_storage.open(roll.staging_name, "rb") as staged:
            hashes, places, _territories = census.read_staged(staged.read())
        total = len(hashes)
        tracker.advance("inserting", 0, total)
        rolls = CensusRoll.objects.for_government(government)
        entries = CensusEntry.objects.for_government(government)
        for start in range(0, total, batch_size):
            if not rolls.filter(pk=roll.pk, status=Status.LOADING).exists():
                tracker.fail(_("The roll was discarded while it was being loaded."), kept_live(government))
                _purge_after_commit(government)
                return roll
            with transaction.atomic():
                entries.bulk_create(
                    [
                        CensusEntry(government=government, roll=roll, cedula_hash=hashed, territory_code=place)
                        for hashed, place in zip(
                            hashes[start : start + batch_size], places[start : start + batch_size], strict=True
                        )
                    ]
                )
            tracker.advance("inserting", min(start + batch_size, total), total)
        done = rolls.filter(pk=roll.pk, status=Status.LOADING).update(
            status=Status.READY, loaded_at=timezone.now(), staging_name=""
        )
    except Exception as error:
        logger.exception("census roll %s of government %s failed to load", roll.pk, government.pk)
        _fail(government, roll, _("The load stopped with an error: %(error)s") % {"error": error})
        tracker.fail(_("The load stopped with an error: %(error)s") % {"error": error}, kept_live(government))
        return roll
    if not done:  # discarded between the last batch and now
        tracker.fail(_("The roll was discarded while it was being loaded."), kept_live(government))
        _purge_after_commit(government)
        return roll
    _delete_staged(roll.staging_name)
    tracker.finish()
    roll.refresh_from_db()
    return roll


def _fail(government, roll: CensusRoll, reason: str) -> None:
    CensusRoll.objects.for_government(government).filter(pk=roll.pk, status=Status.LOADING).update(
        status=Status.FAILED, failure=reason[:4000], ended_at=timezone.now()
    )
    _purge_after_commit(government)


def _delete_staged(name: str) -> None:
    if name:
        try:
            default_storage.delete(name)
        except Exception:  # a file left behind is removed by the next purge
            logger.warning("could not delete the staged census file %s", name, exc_info=True)


def _purge_after_commit(government) -> None:
    transaction.on_commit(lambda: _enqueue(PURGE_TASK, government.pk))


# Publish and discard ---------------------------------------------------------------------------


@transaction.atomic
def roll_publish(*, actor, government, roll: CensusRoll, accept_left_out: bool, now: dt.datetime) -> CensusRoll:
    """Make a ready roll the live one (the previous live roll is replaced in the same
    transaction). When rows were left out, ``accept_left_out`` must say the official read the
    report. Audited."""
    rolls = CensusRoll.objects.for_government(government)
    locked = rolls.select_for_update().filter(pk=roll.pk).first()
    if locked is None:
        raise ValidationError(_("This roll does not exist any more."))
    if locked.status != Status.READY:
        raise ValidationError(
            _("Only a roll that finished loading can be published; this one is “%(status)s”.")
            % {"status": locked.get_status_display()},
            code="status",
        )
    if locked.rows_bad and not accept_left_out:
        raise ValidationError(
            {
                "accept_left_out": _(
                    "%(count)s rows of the file are left out. Read the report and confirm that you publish "
                    "the roll without them, or discard it and upload a corrected file."
                )
                % {"count": locked.rows_bad}
            },
            code="left_out",
        )
    previous = rolls.select_for_update().filter(status=Status.LIVE).first()
    if previous is not None:
        previous.status, previous.ended_at = Status.REPLACED, now
        previous.save(update_fields=["status", "ended_at"])
    locked.status, locked.published_at, locked.published_by = Status.LIVE, now, actor
    locked.save(update_fields=["status", "published_at", "published_by"])
    audit.record(
        actor=actor,
        government=government,
        action="core.census_roll.published",
        obj=locked,
        changes={
            "status": [Status.READY, Status.LIVE],
            "replaced_roll": [None, previous.pk if previous is not None else None],
            "people": [None, locked.people],
            "rows_left_out": [None, locked.rows_bad],
        },
        now=now,
    )
    if previous is not None:
        _purge_after_commit(government)
    return locked


@transaction.atomic
def roll_discard(*, actor, government, roll: CensusRoll, now: dt.datetime) -> CensusRoll:
    """Drop a roll that is loading, ready or failed, or withdraw the live one (then nobody is on
    a roll until another is published). Audited; its entries are deleted by the purge job."""
    locked = CensusRoll.objects.for_government(government).select_for_update().filter(pk=roll.pk).first()
    if locked is None:
        raise ValidationError(_("This roll does not exist any more."))
    if locked.status in (Status.REPLACED, Status.DISCARDED):
        raise ValidationError(_("This roll is no longer in use."), code="status")
    before = locked.status
    locked.status, locked.ended_at = Status.DISCARDED, now
    locked.save(update_fields=["status", "ended_at"])
    audit.record(
        actor=actor,
        government=government,
        action="core.census_roll.withdrawn" if before == Status.LIVE else "core.census_roll.discarded",
        obj=locked,
        changes={"status": [before, Status.DISCARDED]},
        now=now,
    )
    _purge_after_commit(government)
    return locked


# Clean-up --------------------------------------------------------------------------------------

FINISHED = (Status.FAILED, Status.REPLACED, Status.DISCARDED)


def rolls_purge(*, government, batch_size: int = 20_000) -> int:
    """Delete the entries of rolls no longer live or waiting, a batch per transaction, and the
    staged files of rolls that are not loading. Returns how many entries went."""
    rolls = CensusRoll.objects.for_government(government)
    finished = rolls.filter(status__in=FINISHED)
    entries = CensusEntry.objects.for_government(government)
    deleted = 0
    while True:
        batch = list(entries.filter(roll__in=finished).values_list("pk", flat=True)[:batch_size])
        if not batch:
            break
        with transaction.atomic():
            deleted += entries.filter(pk__in=batch).delete()[0]
    for pk, name in finished.exclude(staging_name="").values_list("pk", "staging_name"):
        _delete_staged(name)
        rolls.filter(pk=pk).update(staging_name="")
    return deleted


def recover_loads(*, now: dt.datetime) -> int:
    """Rolls still "loading" whose job died (its progress record was given up as silent) or
    never started: failed, so that an official sees why and uploads again. Runs in
    ``core.jobs.recovery.recover`` for every government."""
    failed = 0
    for roll in CensusRoll._base_manager.filter(status=Status.LOADING):
        record = progress_selectors.latest_for(government=roll.government_id, obj=roll)
        dead = record is not None and record.state == record.State.FAILED
        if dead or (record is None and roll.uploaded_at < now - NEVER_STARTED):
            reason = _("The load stopped: the process running it ended. Upload the file again.")
            failed += (
                CensusRoll.objects.for_government(roll.government_id)
                .filter(pk=roll.pk, status=Status.LOADING)
                .update(status=Status.FAILED, failure=reason, ended_at=now)
            )
            _enqueue(PURGE_TASK, roll.government_id)
    return failed
