import pytest

from minga.core.testing import make_official


@pytest.fixture
def editor(government):
    return make_official(government, "editor", "participation")


@pytest.fixture
def viewer(government):
    return make_official(government, "viewer", "participation")
