"""`minga tick`: enqueue the periodic jobs that are due, once (for a cron job or systemd timer;
`minga worker` already does this every minute)."""

from django.core.management.base import BaseCommand

from minga.core.scheduling.services import tick


class Command(BaseCommand):
    help = "Enqueue the periodic jobs that are due."

    def handle(self, *args, **options):
        names = tick()
        if options["verbosity"] > 0:
            self.stdout.write("Enqueued: " + (", ".join(names) if names else "nothing due"))
