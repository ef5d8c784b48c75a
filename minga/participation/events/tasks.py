"""Background job of events: the reminders of the day before (a periodic job of the
manifest; sending is idempotent, so the scheduler may run it as often as it likes)."""

from django_tasks import task

from . import services


@task()
def send_event_reminders() -> int:
    return services.send_reminders()
