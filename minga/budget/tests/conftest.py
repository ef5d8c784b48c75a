import pytest

from minga.core.testing import make_official


@pytest.fixture
def editor(government):
    return make_official(government, "editor", "budget")


@pytest.fixture
def viewer(government):
    return make_official(government, "viewer", "budget")
