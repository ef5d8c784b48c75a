# The catalog's follows move onto core's (core/notifications): every row is copied into
# core_follow (kind catalog.dataset or catalog.request), then the catalog's table goes.

from django.db import migrations

KINDS = {"dataset": "catalog.dataset", "request": "catalog.request"}


def copy_to_core(apps, schema_editor):
    old = apps.get_model("catalog", "Follow")
    new = apps.get_model("core", "Follow")
    rows = []
    for follow in old._base_manager.order_by("pk").iterator():
        field = "dataset" if follow.dataset_id is not None else "request"
        rows.append(
            new(
                government_id=follow.government_id,
                user_id=follow.user_id,
                kind=KINDS[field],
                object_id=getattr(follow, f"{field}_id"),
                created_at=follow.created_at,
            )
        )
    new._base_manager.bulk_create(rows, batch_size=500, ignore_conflicts=True)


def copy_back(apps, schema_editor):
    old = apps.get_model("catalog", "Follow")
    new = apps.get_model("core", "Follow")
    existing = {
        KINDS["dataset"]: set(apps.get_model("catalog", "Dataset")._base_manager.values_list("pk", flat=True)),
        KINDS["request"]: set(apps.get_model("catalog", "DataRequest")._base_manager.values_list("pk", flat=True)),
    }
    rows = []
    for follow in new._base_manager.filter(kind__in=KINDS.values()).order_by("pk").iterator():
        if follow.object_id not in existing[follow.kind]:
            continue
        field = "dataset" if follow.kind == KINDS["dataset"] else "request"
        rows.append(
            old(
                government_id=follow.government_id,
                user_id=follow.user_id,
                created_at=follow.created_at,
                **{f"{field}_id": follow.object_id},
            )
        )
    old._base_manager.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    new._base_manager.filter(kind__in=KINDS.values()).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0009_dictionary_column_role'),
        ('core', '0011_notifications'),
    ]

    operations = [
        migrations.RunPython(copy_to_core, copy_back),
        migrations.DeleteModel(
            name='Follow',
        ),
    ]
