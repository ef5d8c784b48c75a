import datetime as dt
import io

import pytest
from django.utils import timezone

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import make_official

from .. import demo


@pytest.fixture
def now():
    return timezone.now().replace(second=0, microsecond=0)


@pytest.fixture
def seeded(government, now):
    """The demo processes of the `government` fixture (a province)."""
    with government_scope(government):
        demo.seed(government, now=now, stdout=io.StringIO())
    return government


@pytest.fixture
def editor(government):
    return make_official(government, "editor", "participation")


@pytest.fixture
def viewer(government):
    return make_official(government, "viewer", "participation")


def aware(year, month, day, hour=0, minute=0):
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))
