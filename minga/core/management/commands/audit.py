"""`minga audit verify`: recompute every audit chain and report any edited, missing or
removed entry. Exits with status 1 when the log was tampered with."""

import sys

from django.core.management.base import BaseCommand

from minga.core.audit.models import AuditEntry
from minga.core.audit.services import verify_chains


class Command(BaseCommand):
    help = "Audit log tools. `verify` checks the hash chains."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, action, **options):
        problems = verify_chains()
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            self.stderr.write(self.style.ERROR(f"Audit log NOT intact: {len(problems)} problem(s)."))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"Audit log intact: {AuditEntry.objects.count()} entries verified."))
