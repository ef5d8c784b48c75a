"""The migration that moves the works' own comments into core's threads keeps every comment
with its author, kind, text, date and moderation, turns each official answer into an official
reply by the official who answered, and keeps the photos of each observation; going back
restores the works' table."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = "0002_follows_to_core"
AFTER = "0003_comments_in_core"
WHEN = dt.datetime(2026, 3, 2, 15, 30, tzinfo=dt.UTC)


def _state(works_migration):
    """Migrate the works to this migration (every other app stays at its latest) and give the
    models as they are then."""
    executor = MigrationExecutor(connection)
    executor.migrate([("works", works_migration)])
    loader = MigrationExecutor(connection).loader
    nodes = [node for node in loader.graph.leaf_nodes() if node[0] != "works"] + [("works", works_migration)]
    return loader.project_state(nodes).apps


@pytest.mark.django_db(transaction=True)
def test_works_comments_move_into_core_and_back():
    apps = _state(BEFORE)
    Government = apps.get_model("core", "Government")
    User = apps.get_model("core", "User")
    Project = apps.get_model("works", "Project")
    WorksComment = apps.get_model("works", "Comment")
    Photo = apps.get_model("works", "Photo")
    government = Government.objects.create(
        name="Gobierno de prueba", short_name="Prueba", slug="prueba", level="province", dpa_code="13", modules={}
    )
    citizen = User.objects.create(email="rosa@example.org", full_name="Rosa")
    official = User.objects.create(email="obras@example.org", full_name="Fiscalizador")
    project = Project.objects.create(
        government=government, slug="puente", title="Puente", is_published=True, created_at=WHEN, updated_at=WHEN
    )
    answered = WorksComment.objects.create(
        government=government,
        project=project,
        author=citizen,
        kind="observation",
        body="La cuneta está tapada.",
        created_at=WHEN,
        answer="Se limpió el lunes.",
        answered_by=official,
        answered_at=WHEN + dt.timedelta(days=2),
    )
    hidden = WorksComment.objects.create(
        government=government,
        project=project,
        author=citizen,
        body="Datos de mi vecino",
        created_at=WHEN,
        is_hidden=True,
        hidden_reason="Datos personales",
        hidden_at=WHEN + dt.timedelta(hours=1),
    )
    Photo.objects.create(
        government=government, project=project, comment=answered, image="works/photos/a.jpg", created_at=WHEN
    )

    apps = _state(AFTER)
    Comment = apps.get_model("core", "Comment")
    Photo = apps.get_model("works", "Photo")
    comments = list(Comment.objects.order_by("pk").values())
    assert len(comments) == 3
    observation, answer, moderated = comments
    assert observation["target_key"] == "works.project" and observation["target_id"] == project.pk
    assert (observation["kind"], observation["body"], observation["author_id"]) == (
        "observation",
        "La cuneta está tapada.",
        citizen.pk,
    )
    assert observation["status"] == "visible" and observation["depth"] == 0 and observation["created_at"] == WHEN
    assert answer["is_official"] and answer["parent_id"] == observation["id"] and answer["depth"] == 1
    assert (answer["author_id"], answer["body"]) == (official.pk, "Se limpió el lunes.")
    assert answer["created_at"] == WHEN + dt.timedelta(days=2)
    assert moderated["status"] == "hidden" and moderated["hidden_reason"] == "Datos personales"
    assert moderated["kind"] == "comment" and moderated["hidden_at"] == WHEN + dt.timedelta(hours=1)
    assert list(Photo.objects.values_list("comment_id", flat=True)) == [observation["id"]]

    apps = _state(BEFORE)
    WorksComment = apps.get_model("works", "Comment")
    restored = list(WorksComment.objects.order_by("pk").values())
    assert [(c["body"], c["answer"], c["is_hidden"], c["hidden_reason"]) for c in restored] == [
        ("La cuneta está tapada.", "Se limpió el lunes.", False, ""),
        ("Datos de mi vecino", "", True, "Datos personales"),
    ]
    assert restored[0]["answered_by_id"] == official.pk
    photo = apps.get_model("works", "Photo").objects.get()
    assert photo.comment_id == restored[0]["id"]
    assert not apps.get_model("core", "Comment").objects.exists()
    assert hidden.pk  # (the first copy's ids are gone; the restored rows have new ones)

    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
