"""The child tables of a process (awarded suppliers, items, budget lines) carry the process's
government, like every other government-owned table: the column is added, then filled from
the parent process in one statement per table (UPDATE … FROM, which SQLite 3.33+ and
PostgreSQL both run), whatever the table's size. Migration 0008 makes it required; the two
are apart because PostgreSQL refuses to alter a table whose rows have foreign-key checks
still pending in the same transaction."""

import django.db.models.deletion
from django.db import migrations, models

CHILD_TABLES = ("procurement_processsupplier", "procurement_processitem", "procurement_processbudgetline")


def fill_from_process(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for table in CHILD_TABLES:
            cursor.execute(
                f"UPDATE {table} SET government_id = p.government_id "  # noqa: S608
                f"FROM procurement_process AS p WHERE p.id = {table}.process_id"
            )


def _government():
    return models.ForeignKey(
        help_text="Government that owns this record.",
        null=True,
        on_delete=django.db.models.deletion.CASCADE,
        related_name="+",
        to="core.government",
        verbose_name="government",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("procurement", "0006_supplier_registered_on"),
    ]

    operations = [
        migrations.AddField(model_name="processsupplier", name="government", field=_government()),
        migrations.AddField(model_name="processitem", name="government", field=_government()),
        migrations.AddField(model_name="processbudgetline", name="government", field=_government()),
        migrations.RunPython(fill_from_process, migrations.RunPython.noop, elidable=False),
    ]
