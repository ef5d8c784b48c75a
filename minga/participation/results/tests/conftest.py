import pytest
from django.utils import translation

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import make_official

from ...tests import factories as process_factories


@pytest.fixture(autouse=True)
def spanish():
    with translation.override("es"):
        yield


@pytest.fixture
def process(government):
    return process_factories.process(government, slug="pp-2025")


@pytest.fixture
def editor(government):
    return make_official(government, "editor", "participation")


@pytest.fixture
def scoped(government):
    with government_scope(government):
        yield government
