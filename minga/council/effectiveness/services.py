"""The secretariat's two inputs to the effectiveness review: the portal's launch date and the
number of citizens who attended each session in the room. Both are audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.core.opendata import tables_changed

from ..audit import record
from ..members.models import Council
from ..sessions.models import Session

MAX_ATTENDANCE = 100_000


def launch_save(*, actor, government, launched_on: dt.date | None) -> Council:
    """Set (or clear, back to the default) the day the portal opened to the public."""
    with transaction.atomic():
        council = Council.objects.for_government(government).select_for_update().first()
        if council is None:
            raise ValidationError(_("Register the council first."))
        if launched_on is not None and launched_on > timezone.localdate():
            raise ValidationError({"launched_on": _("The launch date cannot be in the future.")})
        before = council.launched_on
        if before == launched_on:
            return council
        council.launched_on = launched_on
        council.save(update_fields=["launched_on", "updated_at"])
        record(
            actor=actor,
            government=government,
            action="council.launch_date_set",
            obj=council,
            changes={"launched_on": [str(before or ""), str(launched_on or "")]},
        )
        tables_changed(government=government, module="council")
    return council


def attendance_save(*, actor, government, session_pk: int, attendance: int | None) -> Session:
    """Record how many citizens attended a session that was held (or clear the figure)."""
    with transaction.atomic():
        session = Session.objects.for_government(government).select_for_update().filter(pk=session_pk).first()
        if session is None:
            raise ValidationError(_("The session does not exist."))
        if session.status not in (Session.Status.HELD, Session.Status.CLOSED):
            raise ValidationError({"attendance": _("Attendance is recorded only for sessions that were held.")})
        if attendance is not None and not 0 <= attendance <= MAX_ATTENDANCE:
            raise ValidationError({"attendance": _("Type a number between 0 and 100000.")})
        before = session.public_attendance
        if before == attendance:
            return session
        session.public_attendance = attendance
        session.save(update_fields=["public_attendance", "updated_at"])
        record(
            actor=actor,
            government=government,
            action="session.public_attendance_recorded",
            obj=session,
            changes={"public_attendance": [before, attendance]},
        )
        tables_changed(government=government, module="council")
    return session
