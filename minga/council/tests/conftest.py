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
