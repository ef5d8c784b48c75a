"""`minga spectacular_check`: regenerate the OpenAPI document in memory and compare it with
the committed docs/api/openapi.yaml. Exits 1 with a unified diff when they differ (an
endpoint changed without `minga spectacular_write`)."""

import difflib
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from minga.core.api.schema import COMMITTED_SCHEMA, generate_schema, render_yaml


class Command(BaseCommand):
    help = "Fail when docs/api/openapi.yaml differs from the schema generated from the code."

    def add_arguments(self, parser):
        parser.add_argument("--schema-file", default=str(COMMITTED_SCHEMA), help="The committed schema to compare.")

    def handle(self, *args, schema_file, **options):
        target = Path(schema_file)
        committed = target.read_text(encoding="utf-8") if target.exists() else ""
        generated = render_yaml(generate_schema())
        if committed == generated:
            self.stdout.write(self.style.SUCCESS(f"{target} is up to date."))
            return
        diff = difflib.unified_diff(
            committed.splitlines(keepends=True),
            generated.splitlines(keepends=True),
            fromfile=f"{target} (committed)",
            tofile="generated from the code",
        )
        self.stdout.write("".join(diff))
        self.stderr.write(
            self.style.ERROR(f"The API schema changed. Run `minga spectacular_write` and commit {target}.")
        )
        sys.exit(1)
