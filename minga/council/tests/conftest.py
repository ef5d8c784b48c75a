import datetime as dt
import io
import sys
from pathlib import Path

import pytest
from django.db import transaction

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import GovernmentFactory, make_official

from .. import demo

TODAY = dt.date(2026, 11, 30)
SEEDED = "seeded"


def pytest_collection_modifyitems(items):
    """Within each council test module, the tests without the seeded demo run first: the demo
    is seeded once per module (see `_seeded_module`) and stays in the database until the
    module ends, so a test that does not ask for it must run before it exists."""
    here = Path(__file__).parent
    groups: list[list] = []
    for item in items:
        if groups and groups[-1][0].path == item.path:
            groups[-1].append(item)
        else:
            groups.append([item])
    ordered = []
    for group in groups:
        if group[0].path.parent == here:
            group = sorted(group, key=lambda item: SEEDED in getattr(item, "fixturenames", ()))
        ordered += group
    items[:] = ordered


@pytest.fixture
def today():
    return TODAY


@pytest.fixture(scope="module")
def _seeded_module(django_db_setup, django_db_blocker):
    """The demo council, seeded once for the tests of a module that ask for it, the way
    Django's TestCase keeps its class data: in a transaction left open around those tests
    (each test runs in a savepoint inside it, rolled back after the test) and rolled back once
    the module's tests are done. Answers the government's id."""
    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
        try:
            government = GovernmentFactory(
                name="Gobierno Provincial de Manabí", short_name="Manabí", slug="manabi", dpa_code="13"
            )
            now = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
            with government_scope(government):
                demo.seed(government, now=now, stdout=io.StringIO())
        except BaseException:
            atomic.__exit__(*sys.exc_info())
            raise
    try:
        yield government.pk
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def government(request, db):
    """As the root conftest's; for a test that asks for `seeded`, the module's seeded
    government, read afresh so that what one test changes on the object does not reach the
    next one."""
    if SEEDED in request.fixturenames:
        return GovernmentFactory._meta.model.objects.get(pk=request.getfixturevalue("_seeded_module"))
    return GovernmentFactory(name="Gobierno Provincial de Manabí", short_name="Manabí", slug="manabi", dpa_code="13")


@pytest.fixture
def seeded(_seeded_module, government):
    """The demo council of the `government` fixture (a province), seeded as of TODAY (once
    per module: see `_seeded_module`)."""
    return government


@pytest.fixture
def editor(government):
    return make_official(government, "editor", "council")


@pytest.fixture
def viewer(government):
    return make_official(government, "viewer", "council")


def strip_demo_activity(government, *, sessions: bool = True) -> None:
    """Remove what the demo's citizens and secretariat did (comments on articles, follows,
    silla vacía requests and, with ``sessions``, the sessions with their votes), for tests
    that count their own records from zero."""
    from minga.core.comments.models import Comment
    from minga.core.notifications.models import Follow

    from ..debate.models import ArticleComment
    from ..seat.models import SeatConsensus, SeatRequest
    from ..sessions.models import Session

    with government_scope(government):
        SeatConsensus.objects.filter(government=government).delete()
        SeatRequest.objects.filter(government=government).delete()
        ArticleComment.objects.filter(government=government).delete()
        Comment.objects.filter(government=government, target_key__startswith="council.").delete()
        Follow.objects.filter(government=government, kind__startswith="council.").delete()
        if sessions:
            Session.objects.filter(government=government).delete()
