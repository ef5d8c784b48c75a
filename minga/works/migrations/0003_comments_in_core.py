"""Citizens' comments and field observations move into core's comment threads
(core.Comment, target "works.project"). Each works comment becomes a comment on its project
with the same author, kind, text, date and moderation (hidden with its published reason);
an official answer becomes an official reply under it, by the official who answered; the
photos of an observation follow it. Going back copies the comments on projects and their
first official answer into the works' table again (citizens' replies, votes and reports,
which the works' table cannot hold, are lost)."""

import django.db.models.deletion
from django.db import migrations, models

TARGET = "works.project"


def _check_now(schema_editor):
    """PostgreSQL checks foreign keys at commit; the schema changes that follow in this
    migration's transaction refuse to run while those checks are pending."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def to_core(apps, schema_editor):
    db = schema_editor.connection.alias
    WorksComment = apps.get_model("works", "Comment")
    CoreComment = apps.get_model("core", "Comment")
    Photo = apps.get_model("works", "Photo")
    for old in WorksComment.objects.using(db).order_by("pk").iterator():
        new = CoreComment.objects.using(db).create(
            government_id=old.government_id,
            target_key=TARGET,
            target_id=old.project_id,
            depth=0,
            author_id=old.author_id,
            alignment=0,
            kind=old.kind,
            body=old.body,
            created_at=old.created_at,
            status="hidden" if old.is_hidden else "visible",
            hidden_reason=old.hidden_reason if old.is_hidden else "",
            hidden_at=old.hidden_at if old.is_hidden else None,
        )
        if old.answer.strip():
            CoreComment.objects.using(db).create(
                government_id=old.government_id,
                target_key=TARGET,
                target_id=old.project_id,
                parent_id=new.pk,
                depth=1,
                author_id=old.answered_by_id,
                alignment=0,
                body=old.answer.strip(),
                is_official=True,
                created_at=old.answered_at or old.created_at,
            )
        Photo.objects.using(db).filter(comment_id=old.pk).update(core_comment_id=new.pk)
    _check_now(schema_editor)


def to_works(apps, schema_editor):
    db = schema_editor.connection.alias
    WorksComment = apps.get_model("works", "Comment")
    CoreComment = apps.get_model("core", "Comment")
    Photo = apps.get_model("works", "Photo")
    comments = CoreComment.objects.using(db).filter(target_key=TARGET)
    for new in comments.filter(depth=0, author__isnull=False).order_by("pk").iterator():
        answer = comments.filter(parent_id=new.pk, is_official=True).order_by("created_at", "pk").first()
        hidden = new.status != "visible"
        old = WorksComment.objects.using(db).create(
            government_id=new.government_id,
            project_id=new.target_id,
            author_id=new.author_id,
            kind=new.kind if new.kind in ("comment", "observation") else "comment",
            body=new.body[:3000],
            created_at=new.created_at,
            answer=answer.body if answer is not None else "",
            answered_by_id=answer.author_id if answer is not None else None,
            answered_at=answer.created_at if answer is not None else None,
            is_hidden=hidden or new.deleted_at is not None,
            hidden_reason=(new.hidden_reason or "Oculto mientras se revisa.")[:300] if hidden else "",
            hidden_at=new.hidden_at or new.deleted_at,
        )
        if new.deleted_at is not None and not hidden:
            WorksComment.objects.using(db).filter(pk=old.pk).update(hidden_reason="Eliminado por su autor.")
        Photo.objects.using(db).filter(core_comment_id=new.pk).update(comment_id=old.pk, core_comment_id=None)
    comments.delete()
    _check_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0012_comments"),
        ("works", "0002_follows_to_core"),
    ]

    operations = [
        migrations.AddField(
            model_name="photo",
            name="core_comment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="core.comment",
            ),
        ),
        migrations.RunPython(to_core, to_works),
        migrations.RemoveConstraint(model_name="photo", name="works_photo_one_parent"),
        migrations.RemoveField(model_name="photo", name="comment"),
        migrations.RenameField(model_name="photo", old_name="core_comment", new_name="comment"),
        migrations.AlterField(
            model_name="photo",
            name="comment",
            field=models.ForeignKey(
                blank=True,
                help_text="The citizen observation it illustrates (a comment of core's threads).",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="works_photos",
                to="core.comment",
                verbose_name="comment",
            ),
        ),
        migrations.AddConstraint(
            model_name="photo",
            constraint=models.CheckConstraint(
                condition=models.Q(("update__isnull", False), ("comment__isnull", False), _negated=True),
                name="works_photo_one_parent",
            ),
        ),
        migrations.DeleteModel(name="Comment"),
    ]
