"""The government of the child tables (filled by 0007) becomes required, the untyped copy of
it goes, and their indexes start with the government: the supplier filter and pages, each
year's totals, the category filter (a code prefix) and the budget lines' backlinks."""

import django.db.models.deletion
from django.db import migrations, models


def _government():
    return models.ForeignKey(
        help_text="Government that owns this record.",
        on_delete=django.db.models.deletion.CASCADE,
        related_name="+",
        to="core.government",
        verbose_name="government",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0007_child_tables_government"),
    ]

    operations = [
        migrations.AlterField(model_name="processsupplier", name="government", field=_government()),
        migrations.AlterField(model_name="processitem", name="government", field=_government()),
        migrations.AlterField(model_name="processbudgetline", name="government", field=_government()),
        migrations.RemoveIndex(model_name="processsupplier", name="procurement_procsup_supplier"),
        migrations.RemoveIndex(model_name="processitem", name="procurement_item_code"),
        migrations.RemoveIndex(model_name="processitem", name="procurement_item_family"),
        migrations.RemoveIndex(model_name="processbudgetline", name="procurement_budgetline_key"),
        migrations.RemoveField(model_name="processsupplier", name="government_id_copy"),
        migrations.RemoveField(model_name="processbudgetline", name="government_id_copy"),
        migrations.AddIndex(
            model_name="processsupplier",
            index=models.Index(fields=["government", "supplier", "year"], name="procurement_procsup_supplier"),
        ),
        migrations.AddIndex(
            model_name="processsupplier",
            index=models.Index(fields=["government", "year"], name="procurement_procsup_year"),
        ),
        migrations.AddIndex(
            model_name="processitem",
            index=models.Index(
                fields=["government", "code"], name="procurement_item_code", opclasses=["", "varchar_pattern_ops"]
            ),
        ),
        migrations.AddIndex(
            model_name="processbudgetline",
            index=models.Index(fields=["government", "key"], name="procurement_budgetline_key"),
        ),
    ]
