"""Import OCDS files for a government from the command line (files too large for the back
office, scheduled loads of SERCOP's monthly bulk files)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minga.core.progress.terminal import terminal_progress
from minga.core.tenancy.models import Government
from minga.core.tenancy.scoping import government_scope

from ...importing import import_tracked


class Command(BaseCommand):
    help = "Import OCDS release packages, record packages or compiled releases (JSON, .gz, .zip) for a government."

    def add_arguments(self, parser):
        parser.add_argument("government", help="slug of the government")
        parser.add_argument("files", nargs="+", help="OCDS files, imported one by one (each one atomically)")

    def handle(self, *args, government: str, files: list[str], **options):
        found = Government.objects.filter(slug=government).first()
        if found is None:
            raise CommandError(f"No government with slug {government!r}.")
        failed = 0
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file.")
            with government_scope(found), terminal_progress(self.stdout, path.name, unit="releases") as shown:
                run = import_tracked(
                    actor=None, government=found, filename=path.name, raw=path.read_bytes(), terminal=shown
                )
            self.stdout.write(
                f"{path.name}: {run.get_status_display()} · {run.releases_read} read, {run.releases_added} new, "
                f"{run.releases_duplicate} known, {run.releases_invalid} invalid · {run.processes_created} new and "
                f"{run.processes_updated} updated processes · {run.seconds:.1f} s"
            )
            for problem in run.problems[:20]:
                self.stdout.write(f"  {problem['where']} {problem['ocid']} {problem['release']}: {problem['message']}")
            if run.problem_count > 20:
                self.stdout.write(f"  … {run.problem_count - 20} more problems (see the back office).")
            failed += run.status == run.Status.FAILED
        if failed:
            raise CommandError(f"{failed} file(s) rejected.")
