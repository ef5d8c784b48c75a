import datetime as dt
import io

import pytest

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import make_official

from .. import demo

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def today():
    return TODAY


@pytest.fixture
def seeded(government):
    """The demo council of the `government` fixture (a province), seeded as of TODAY."""
    now = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
    with government_scope(government):
        demo.seed(government, now=now, stdout=io.StringIO())
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
