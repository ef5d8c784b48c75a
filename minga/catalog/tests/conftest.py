import pytest

from minga.core.testing import GovernmentFactory, make_official


@pytest.fixture(autouse=True)
def _datastore_in_tmp(settings, tmp_path):
    """Tables loaded by any catalog test (uploads, the demo) go to a per-test SQLite file."""
    settings.DATASTORE_SQLITE_PATH = tmp_path / "datastore.sqlite3"


@pytest.fixture
def editor(government):
    return make_official(government, "editor", "catalog")


@pytest.fixture
def viewer(government):
    return make_official(government, "viewer", "catalog")


@pytest.fixture
def canton(government):
    """A canton inside the `government` province (DPA 13 → 1301)."""
    return GovernmentFactory(
        name="GAD Municipal de Portoviejo",
        short_name="Portoviejo",
        slug="portoviejo",
        dpa_code="1301",
        level="canton",
        parent=government,
    )
