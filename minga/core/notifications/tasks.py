"""Background jobs of notices: the e-mails people want at once (queued by ``deliver``), and
the daily and weekly digests (periodic jobs of core's scheduler)."""

from django_tasks import task

from ..tenancy.models import Government
from . import emails
from .models import Delivery


@task()
def send_notification_emails(government_id: int, notification_ids: list[int]) -> int:
    government = Government.objects.filter(pk=government_id).first()
    if government is None:
        return 0
    return emails.send_at_once(government=government, notification_ids=notification_ids)


@task()
def send_daily_digests() -> int:
    return emails.send_digests(frequency=Delivery.DAILY)


@task()
def send_weekly_digests() -> int:
    return emails.send_digests(frequency=Delivery.WEEKLY)
