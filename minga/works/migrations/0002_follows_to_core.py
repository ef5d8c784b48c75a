# The works' follows move onto core's (core/notifications): every row is copied into
# core_follow (kind works.project), then the works' table goes.

from django.db import migrations

KIND = "works.project"


def copy_to_core(apps, schema_editor):
    old = apps.get_model("works", "Follow")
    new = apps.get_model("core", "Follow")
    rows = [
        new(
            government_id=follow.government_id,
            user_id=follow.user_id,
            kind=KIND,
            object_id=follow.project_id,
            created_at=follow.created_at,
        )
        for follow in old._base_manager.order_by("pk").iterator()
    ]
    new._base_manager.bulk_create(rows, batch_size=500, ignore_conflicts=True)


def copy_back(apps, schema_editor):
    old = apps.get_model("works", "Follow")
    new = apps.get_model("core", "Follow")
    projects = set(apps.get_model("works", "Project")._base_manager.values_list("pk", flat=True))
    rows = [
        old(
            government_id=follow.government_id,
            user_id=follow.user_id,
            project_id=follow.object_id,
            created_at=follow.created_at,
        )
        for follow in new._base_manager.filter(kind=KIND).order_by("pk").iterator()
        if follow.object_id in projects
    ]
    old._base_manager.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    new._base_manager.filter(kind=KIND).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('works', '0001_initial'),
        ('core', '0011_notifications'),
    ]

    operations = [
        migrations.RunPython(copy_to_core, copy_back),
        migrations.DeleteModel(
            name='Follow',
        ),
    ]
