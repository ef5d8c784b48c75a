"""The census roll: every row checked and the bad ones reported by line and reason, only keyed
hashes stored, nothing live until an official publishes, the previous roll live meanwhile and
after any failure; and the one-time code that verifies a person on the roll."""

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import translation

from minga.core.audit.models import AuditEntry
from minga.core.progress.models import Progress
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory, make_cedula, make_official
from minga.core.verification import census, keys, rolls, selectors, services
from minga.core.verification.levels import Level
from minga.core.verification.models import CensusCode, CensusEntry, CensusRoll, Verification

from .verification_support import (
    NOW,
    error_code,
    live_roll_with,
    person_with_cedula,
    publish,
    roll_file,
    upload_roll,
)

pytestmark = pytest.mark.django_db

A, B, C, D = (make_cedula(n) for n in (11, 12, 13, 14))
ZERO = make_cedula(21, province="09")  # a Guayas cédula: a spreadsheet drops its leading zero


def read(text: str, code: str = "13", encoding: str = "utf-8"):
    return census.read_roll(io.BytesIO(text.encode(encoding)), government_code=code)


# Reading ---------------------------------------------------------------------------------------


def test_reading_reports_bad_rows_by_line_and_reason_never_by_number():
    text = "\n".join(
        [
            "cedula,territorio,nombre",
            f"{A},130150,Ana",  # 2 kept
            f"{A[:-1]}{(int(A[-1]) + 1) % 10},130150,Typo",  # 3 check digit
            "",  # 4 blank: skipped, still counted as a line
            f"{A},130150,Ana otra vez",  # 5 repeat of line 2, same territory
            f"{B},130150,Berta",  # 6 conflict with line 7
            f"{B},130250,Berta",  # 7
            f"{ZERO[1:]},1301,Cero",  # 8 kept: the zero is put back
            f"{C},010150,Fuera",  # 9 territory of another province
            "12345,1301,Corta",  # 10 length
            f'"{D}",130150,"Apellido, Nombre',  # 11-12: a quoted name over two lines
            'Segunda línea"',
            "1790011223001,1301,RUC",  # 13
        ]
    )
    reading = read(text)
    assert reading.rows_read == 10 and reading.people == 3 and reading.rows_bad == 7
    assert reading.report == [
        [3, "check_digit", ""],
        [5, "duplicate", 2],
        [6, "conflict", 7],
        [7, "conflict", 6],
        [9, "territory", ""],
        [10, "length", ""],
        [13, "length", ""],
    ]
    assert sorted(f"{n:010d}" for n in reading.numbers.tolist()) == sorted([A, ZERO, D])
    assert reading.territory_counts() == {"130150": 2, "1301": 1}
    for _line, code, detail in reading.report:
        assert census.reason_text(code, detail)
    staged = census.staged_bytes(reading)
    for number in (A, B, ZERO, D):
        assert number.encode() not in staged and str(int(number)).encode() not in staged
    hashes, places, _territories = census.read_staged(staged)
    assert sorted(hashes) == sorted(keys.cedula_hash(n) for n in (A, ZERO, D))
    assert dict(zip(hashes, places, strict=True))[keys.cedula_hash(ZERO)] == "1301"


def test_reading_spreadsheet_files():
    """Semicolons and Windows-1252 (a Spanish spreadsheet), a byte-order mark, other column names,
    territory codes that lost their leading zero."""
    reading = read(f"Cédula;Nombres;Código DPA;Otra\n{A};Ana;130150;x\n", encoding="cp1252")
    assert reading.people == 1 and reading.has_territories and reading.ignored_columns == ["Otra"]
    reading = read(f"\ufeffIdentificacion,Nombre\n{A},Ana\n{ZERO[1:]},Cero\n", code="09")
    assert reading.people == 2 and not reading.has_territories and reading.report == []  # born anywhere
    reading = read(f"cedula,codigo_parroquia\n{ZERO},90150\n", code="09")
    assert reading.territory_counts() == {"090150": 1}


@pytest.mark.parametrize(
    ("text", "words"),
    [("", "empty"), ("nombre,apellido\nAna,Pérez\n", "no cédula column"), ("cedula\n\n\n", "no people")],
)
def test_unreadable_files_are_refused_with_the_reason(text, words):
    with pytest.raises(census.UnreadableRoll):
        read(text)


# Upload, load, publish -------------------------------------------------------------------------


def test_upload_stages_hashes_and_the_job_loads_them(government, django_capture_on_commit_callbacks):
    editor = make_official(government, "editor", "verification")
    with government_scope(government), django_capture_on_commit_callbacks(execute=True) as callbacks:
        roll = rolls.roll_upload(
            actor=editor,
            government=government,
            file=roll_file([(A, "130150", "Ana"), (B, "", "Berta")]),
            label="CNE 2025",
            now=NOW,
        )
    assert callbacks  # the load job is queued after the commit (and runs at once in tests)
    roll.refresh_from_db()
    assert roll.status == "ready" and roll.people == 2 and roll.rows_bad == 0 and roll.staging_name == ""
    with government_scope(government):
        stored = set(CensusEntry.objects.values_list("cedula_hash", "territory_code"))
        record = Progress.objects.filter(kind="core.census_load", object_id=str(roll.pk)).get()
    assert stored == {(keys.cedula_hash(A), "130150"), (keys.cedula_hash(B), "")}
    assert record.state == "succeeded" and record.done == 2 and record.module == "verification"
    entry = AuditEntry.objects.get(action="core.census_roll.uploaded")
    assert entry.actor == editor and entry.government == government and entry.changes["people"] == [None, 2]
    assert selectors.live_roll(government) is None  # nothing live before publishing


def test_the_staged_file_holds_no_number_and_goes_once_loaded(government):
    editor = make_official(government, "editor", "verification")
    with government_scope(government):
        roll = rolls.roll_upload(
            actor=editor, government=government, file=roll_file([A, B], header="cedula"), label="x", now=NOW
        )
        with default_storage.open(roll.staging_name, "rb") as staged:
            data = staged.read()
        assert A.encode() not in data and B.encode() not in data
        rolls.roll_load(government=government, roll_id=roll.pk)
    assert not default_storage.exists(roll.staging_name)


def test_bad_rows_must_be_accepted_before_publishing(government):
    roll = upload_roll(government, [(A, "130150", ""), ("1710034064", "", "")])
    assert roll.status == "ready" and roll.rows_bad == 1
    with pytest.raises(ValidationError) as refused:
        publish(government, roll, accept_left_out=False)
    assert "accept_left_out" in refused.value.message_dict
    assert selectors.live_roll(government) is None
    published = publish(government, roll, accept_left_out=True)
    assert published.status == "live" and selectors.live_roll(government) == published
    assert AuditEntry.objects.filter(action="core.census_roll.published", government=government).count() == 1


def test_the_previous_roll_stays_live_until_the_next_is_published(government):
    first = live_roll_with(government, [A, B])
    second = upload_roll(government, [B, C], header="cedula")
    assert selectors.live_roll(government) == first
    assert selectors.live_entry(government, keys.cedula_hash(A)) is not None
    assert selectors.live_entry(government, keys.cedula_hash(C)) is None
    publish(government, second)
    first.refresh_from_db()
    assert first.status == "replaced" and selectors.live_roll(government).pk == second.pk
    assert selectors.live_entry(government, keys.cedula_hash(A)) is None
    assert selectors.live_entry(government, keys.cedula_hash(C)) is not None
    with government_scope(government):
        assert rolls.rolls_purge(government=government) == 2  # the replaced roll's entries
        assert CensusEntry.objects.count() == 2


def test_a_load_that_fails_half_way_leaves_nothing_and_the_live_roll_alone(government, monkeypatch):
    live = live_roll_with(government, [A])
    editor = make_official(government, "editor", "verification")
    with government_scope(government):
        roll = rolls.roll_upload(
            actor=editor, government=government, file=roll_file([B, C, D], header="cedula"), label="nuevo", now=NOW
        )
        calls = []
        original = CensusEntry.objects.for_government(government).bulk_create.__func__

        def failing_bulk_create(self, objs, *args, **kwargs):
            calls.append(len(objs))
            if len(calls) == 2:
                raise RuntimeError("disk full")
            return original(self, objs, *args, **kwargs)

        monkeypatch.setattr(type(CensusEntry.objects.for_government(government)), "bulk_create", failing_bulk_create)
        with translation.override("en"):
            rolls.roll_load(government=government, roll_id=roll.pk, batch_size=2)
        monkeypatch.undo()
        roll.refresh_from_db()
        assert roll.status == "failed" and "disk full" in roll.failure
        record = Progress.objects.filter(kind="core.census_load", object_id=str(roll.pk)).get()
        assert record.state == "failed" and "stays live" in record.kept_live
        assert CensusEntry.objects.filter(roll=roll).count() == 2  # the first batch, on a roll nobody reads
        assert selectors.live_roll(government) == live
        assert selectors.live_entry(government, keys.cedula_hash(B)) is None
        rolls.rolls_purge(government=government)
        assert not CensusEntry.objects.filter(roll=roll).exists()
        with pytest.raises(ValidationError):
            rolls.roll_publish(actor=editor, government=government, roll=roll, accept_left_out=True, now=NOW)


def test_discarding_while_loading_stops_the_load(government):
    editor = make_official(government, "editor", "verification")
    with government_scope(government):
        roll = rolls.roll_upload(
            actor=editor, government=government, file=roll_file([A, B], header="cedula"), label="x", now=NOW
        )
        rolls.roll_discard(actor=editor, government=government, roll=roll, now=NOW)
        assert rolls.roll_load(government=government, roll_id=roll.pk).status == "discarded"
        rolls.rolls_purge(government=government)
        assert not CensusEntry.objects.exists() and not default_storage.exists(roll.staging_name)
    assert AuditEntry.objects.filter(action="core.census_roll.discarded").exists()


def test_withdrawing_the_live_roll_ends_census_checks(government):
    live = live_roll_with(government, [A])
    editor = make_official(government, "editor", "verification")
    with government_scope(government):
        rolls.roll_discard(actor=editor, government=government, roll=live, now=NOW)
    assert selectors.live_roll(government) is None
    assert AuditEntry.objects.filter(action="core.census_roll.withdrawn").exists()


def test_unreadable_and_all_bad_files(government):
    editor = make_official(government, "editor", "verification")
    with government_scope(government):
        with pytest.raises(ValidationError) as refused:
            rolls.roll_upload(
                actor=editor, government=government, file=roll_file([A], header="nombre"), label="x", now=NOW
            )
        assert "file" in refused.value.message_dict and not CensusRoll.objects.exists()
        roll = rolls.roll_upload(
            actor=editor, government=government, file=roll_file(["1710034064"], header="cedula"), label="x", now=NOW
        )
    assert roll.status == "failed" and roll.people == 0 and roll.report == [[2, "check_digit", ""]]
    assert roll.staging_name == ""


def test_a_load_whose_process_died_is_failed_by_recovery(government):
    editor = make_official(government, "editor", "verification")
    with government_scope(government):
        roll = rolls.roll_upload(
            actor=editor, government=government, file=roll_file([A], header="cedula"), label="x", now=NOW
        )
    assert rolls.recover_loads(now=NOW + dt.timedelta(hours=2)) == 0  # waiting for a worker
    assert rolls.recover_loads(now=NOW + dt.timedelta(days=2)) == 1  # never started
    roll.refresh_from_db()
    assert roll.status == "failed"


# The census code -------------------------------------------------------------------------------


def _code_sent(government, user, callbacks_fixture) -> str:
    mail.outbox.clear()
    with callbacks_fixture(execute=True):
        services.census_code_send(user=user, government=government, now=NOW)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    return re.search(r"\b(\d{6})\b", mail.outbox[0].body).group(1)


def test_a_person_on_the_roll_is_verified_with_the_code(government, django_capture_on_commit_callbacks):
    live_roll_with(government, [A], territory="130150")
    person = person_with_cedula(A)
    code = _code_sent(government, person, django_capture_on_commit_callbacks)
    stored = CensusCode.objects.get()
    assert code not in stored.code_hash and stored.expires_at == NOW + dt.timedelta(minutes=15)
    verification = services.census_code_check(user=person, government=government, code=f" {code} ", now=NOW)
    assert verification.level == Level.CENSUS and verification.territory_code == "130150" and verification.on_roll
    assert selectors.level_of(person, government) == Level.CENSUS
    with pytest.raises(ValidationError):  # once only
        services.census_code_check(user=person, government=government, code=code, now=NOW)


def test_a_person_not_on_the_roll_gets_no_code(government):
    with pytest.raises(ValidationError) as refused:
        services.census_code_send(user=person_with_cedula(B), government=government, now=NOW)
    assert error_code(refused.value) == "no_roll"
    live_roll_with(government, [A])
    with pytest.raises(ValidationError) as refused:
        services.census_code_send(user=person_with_cedula(C), government=government, now=NOW)
    assert error_code(refused.value) == "not_on_roll" and not mail.outbox
    with pytest.raises(ValidationError) as refused:
        services.census_code_send(user=UserFactory(), government=government, now=NOW)
    assert error_code(refused.value) == "no_cedula"


def test_wrong_codes_are_counted_and_end_the_code(government, settings, django_capture_on_commit_callbacks):
    settings.CENSUS_CODE_ATTEMPTS = 3
    live_roll_with(government, [A])
    person = person_with_cedula(A)
    code = _code_sent(government, person, django_capture_on_commit_callbacks)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for left in (2, 1, 0):
        with pytest.raises(ValidationError) as refused:
            services.census_code_check(user=person, government=government, code=wrong, now=NOW)
        assert error_code(refused.value) == "wrong" and str(left) in refused.value.message_dict["code"][0]
    with pytest.raises(ValidationError) as refused:  # even the right code, now
        services.census_code_check(user=person, government=government, code=code, now=NOW)
    assert error_code(refused.value) == "attempts"
    assert CensusCode.objects.get().attempts == 3
    assert not Verification.objects.exists()


def test_codes_expire_and_a_new_code_replaces_the_old(government, django_capture_on_commit_callbacks):
    live_roll_with(government, [A])
    person = person_with_cedula(A)
    first = _code_sent(government, person, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as refused:
        services.census_code_check(user=person, government=government, code=first, now=NOW + dt.timedelta(minutes=16))
    assert error_code(refused.value) == "expired"
    second = _code_sent(government, person, django_capture_on_commit_callbacks)
    if first != second:
        with pytest.raises(ValidationError):
            services.census_code_check(user=person, government=government, code=first, now=NOW)
    assert services.census_code_check(user=person, government=government, code=second, now=NOW).level == Level.CENSUS


def test_codes_are_rate_limited(government, settings):
    settings.CENSUS_CODES_PER_HOUR = 2
    live_roll_with(government, [A])
    person = person_with_cedula(A)
    for _ in range(2):
        services.census_code_send(user=person, government=government, now=NOW)
    with pytest.raises(ValidationError) as refused:
        services.census_code_send(user=person, government=government, now=NOW)
    assert error_code(refused.value) == "throttled"


def test_the_census_level_follows_the_live_roll(government, django_capture_on_commit_callbacks):
    live_roll_with(government, [A], territory="130150")
    person = person_with_cedula(A)
    code = _code_sent(government, person, django_capture_on_commit_callbacks)
    services.census_code_check(user=person, government=government, code=code, now=NOW)
    live_roll_with(government, [A], territory="130250")  # moved to another parish
    assert selectors.level_of(person, government, territory="130250") == Level.CENSUS
    assert selectors.level_of(person, government, territory="130150") == Level.CEDULA
    live_roll_with(government, [B])  # not on the new roll any more
    assert selectors.level_of(person, government) == Level.CEDULA
    with pytest.raises(ValidationError) as refused:
        services.census_code_send(user=person, government=government, now=NOW)
    assert error_code(refused.value) == "not_on_roll"


def test_a_census_verification_counts_only_in_its_government(
    government, other_government, django_capture_on_commit_callbacks
):
    live_roll_with(government, [A])
    person = person_with_cedula(A)
    code = _code_sent(government, person, django_capture_on_commit_callbacks)
    services.census_code_check(user=person, government=government, code=code, now=NOW)
    assert selectors.level_of(person, other_government) == Level.CEDULA
