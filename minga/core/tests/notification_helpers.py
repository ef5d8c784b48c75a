"""A followable kind of core's own (search documents) for the notification tests, so they need
no domain module: a document of module "public" is public; one whose body names a person is
visible to that person only."""

from __future__ import annotations

import datetime as dt

import pytest

from minga.core.notifications import followables
from minga.core.registry import Followable
from minga.core.search.models import SearchDocument
from minga.core.tenancy.scoping import government_scope

KIND = "test.document"
MODULE = "testdocs"

FOLLOWABLE = Followable(
    kind=KIND,
    model="core.SearchDocument",
    label="Test documents",
    title=lambda document: document.title,
    path=lambda document: document.url,
    public=lambda documents: documents.filter(module="public"),
    visible_to=lambda documents, user: documents.filter(body=f"owner:{user.pk}"),
)

NOW = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def followable(monkeypatch):
    real = followables.entries

    def with_test_kind():
        return [*real(), followables.Entry(MODULE, FOLLOWABLE)]

    monkeypatch.setattr(followables, "entries", with_test_kind)
    return FOLLOWABLE


def document(government, title="Agua potable", *, public=True, owner=None, url="/datos/conjuntos/agua/"):
    with government_scope(government):
        return SearchDocument.objects.create(
            government=government,
            module="public" if public else "private",
            kind="test.document",
            object_id=f"{government.pk}-{title}",
            title=title,
            body=f"owner:{owner.pk}" if owner else "",
            url=url,
            updated_at=NOW,
        )
