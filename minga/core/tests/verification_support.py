"""Helpers of the identity-verification tests: census files, a roll published for a government,
and a person registered with a cédula (through the services). ``make_cedula`` comes from
``minga.core.testing``."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory, make_official
from minga.core.verification import rolls, services

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def roll_file(rows, *, header="cedula,territorio,nombre", name="padron.csv", encoding="utf-8") -> SimpleUploadedFile:
    lines = [header, *[",".join(str(cell) for cell in row) if isinstance(row, tuple) else str(row) for row in rows]]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(encoding), content_type="text/csv")


def upload_roll(government, rows, *, actor=None, label="Padrón de prueba", **file_options):
    """Upload a roll and run its load job (queued after the commit, which a test never reaches)."""
    actor = actor or make_official(government, "editor", "verification")
    with government_scope(government):
        roll = rolls.roll_upload(
            actor=actor, government=government, file=roll_file(rows, **file_options), label=label, now=NOW
        )
        if roll.staging_name:
            rolls.roll_load(government=government, roll_id=roll.pk)
        roll.refresh_from_db()
    return roll


def publish(government, roll, *, actor=None, accept_left_out=True):
    actor = actor or make_official(government, "editor", "verification")
    with government_scope(government):
        return rolls.roll_publish(
            actor=actor, government=government, roll=roll, accept_left_out=accept_left_out, now=NOW
        )


def live_roll_with(government, numbers, territory=""):
    roll = upload_roll(government, [(number, territory, "") for number in numbers])
    return publish(government, roll)


def person_with_cedula(number: str, **user_fields):
    user = UserFactory(**user_fields)
    services.identity_claim(user=user, number=number, now=NOW)
    return user


def error_code(error) -> str:
    """The code of a service's ValidationError, whether on a field or on the whole form."""
    if hasattr(error, "error_dict"):
        return next(iter(error.error_dict.values()))[0].code
    return error.code
