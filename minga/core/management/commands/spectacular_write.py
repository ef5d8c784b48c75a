"""`minga spectacular_write`: regenerate the committed OpenAPI document of the government API
(docs/api/openapi.yaml). Run it after changing any API endpoint and commit the result."""

from pathlib import Path

from django.core.management.base import BaseCommand

from minga.core.api.schema import COMMITTED_SCHEMA, generate_schema, render_yaml


class Command(BaseCommand):
    help = "Write the OpenAPI schema of the government API to docs/api/openapi.yaml."

    def add_arguments(self, parser):
        parser.add_argument("--schema-file", default=str(COMMITTED_SCHEMA), help="Where to write the schema.")

    def handle(self, *args, schema_file, **options):
        target = Path(schema_file)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = render_yaml(generate_schema())
        target.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {target} ({text.count(chr(10))} lines)."))
