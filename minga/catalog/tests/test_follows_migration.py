"""The catalog's and the works' follows move onto core's follows: every row is copied (kind and
id of what is followed, who, when), then the modules' own tables go."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

WHEN = dt.datetime(2026, 2, 1, 12, 0, tzinfo=dt.UTC)
BEFORE = [("catalog", "0009_dictionary_column_role"), ("works", "0001_initial")]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_follows_move_to_core():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    # Core stays at its latest state (its follows exist before the modules' move onto them).
    core = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "core"]
    old = executor.loader.project_state([*BEFORE, *core]).apps
    government = old.get_model("core", "Government").objects.create(
        name="Manabí", short_name="Manabí", slug="manabi", dpa_code="13", level="province", modules={}
    )
    person = old.get_model("core", "User").objects.create(email="ana@example.org")
    licence = old.get_model("catalog", "Licence").objects.create(government=government, code="CC-BY-4.0", name="CC BY")
    dataset = old.get_model("catalog", "Dataset").objects.create(
        government=government, licence=licence, title="Agua", slug="agua", summary="", created_at=WHEN, updated_at=WHEN
    )
    request = old.get_model("catalog", "DataRequest").objects.create(
        government=government, title="Riego", description="Para.", requester=person, created_at=WHEN
    )
    project = old.get_model("works", "Project").objects.create(
        government=government, title="Puente", slug="puente", created_at=WHEN, updated_at=WHEN
    )
    follow = old.get_model("catalog", "Follow").objects
    follow.create(government=government, user=person, dataset=dataset, created_at=WHEN)
    follow.create(government=government, user=person, request=request, created_at=WHEN)
    old.get_model("works", "Follow").objects.create(
        government=government, user=person, project=project, created_at=WHEN
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
    rows = new.get_model("core", "Follow")._base_manager.values_list(
        "government_id", "user_id", "kind", "object_id", "created_at"
    )
    assert sorted(rows) == sorted(
        [
            (government.pk, person.pk, "catalog.dataset", dataset.pk, WHEN),
            (government.pk, person.pk, "catalog.request", request.pk, WHEN),
            (government.pk, person.pk, "works.project", project.pk, WHEN),
        ]
    )
    tables = connection.introspection.table_names()
    assert "catalog_follow" not in tables and "works_follow" not in tables
