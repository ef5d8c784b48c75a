import io

import pytest
from django.utils import timezone

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory, make_official

from .. import demo


@pytest.fixture
def now():
    return timezone.now().replace(second=0, microsecond=0)


@pytest.fixture
def seeded(government, now):
    """A small demo of the `government` fixture (a province), with the demo citizens."""
    UserFactory(email="ciudadania1@demo.minga.ec")
    UserFactory(email="ciudadania2@demo.minga.ec")
    with government_scope(government):
        demo.seed(government, now=now, stdout=io.StringIO(), count=12)
    return government


@pytest.fixture
def editor(government):
    return make_official(government, "editor", "works")


@pytest.fixture
def viewer(government):
    return make_official(government, "viewer", "works")
