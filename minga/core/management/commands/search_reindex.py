"""`minga search_reindex [--government SLUG]`: rebuild the search index from what the modules
register (after an upgrade, a restore or a change of a module's registrations)."""

from django.core.management.base import BaseCommand, CommandError

from minga.core.progress.terminal import terminal_progress
from minga.core.search.services import reindex
from minga.core.tenancy.models import Government


class Command(BaseCommand):
    help = "Rebuild the search index of every government, or of one."

    def add_arguments(self, parser):
        parser.add_argument("--government", metavar="SLUG", help="Only this government.")

    def handle(self, *args, government=None, **options):
        target = None
        if government:
            target = Government.objects.filter(slug=government).first()
            if target is None:
                raise CommandError(f"No government with slug {government!r}.")
        with terminal_progress(self.stdout, "Search index", unit="records") as shown:
            indexed = reindex(target, progress=shown)
        where = target.slug if target else "all governments"
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt for {where}: {indexed} documents."))
