import pytest
from django_scopes import scopes_disabled

from minga.core.testing import GovernmentFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from minga.catalog.usage import services as usage
    from minga.core import memo

    # Usage counts and memos live in the process's memory too: a test's must not reach the
    # next test (ids are reused once a test's transaction is rolled back).
    usage.discard_pending()
    memo.clear_all()
    cache.clear()
    yield
    usage.discard_pending()
    memo.clear_all()
    cache.clear()


@pytest.fixture
def unscoped():
    """Tests set up data across governments; views still run scoped through the middleware."""
    with scopes_disabled():
        yield


@pytest.fixture
def government(db):
    return GovernmentFactory(name="Gobierno Provincial de Manabí", short_name="Manabí", slug="manabi", dpa_code="13")


@pytest.fixture
def other_government(db):
    return GovernmentFactory(name="Gobierno Provincial del Azuay", short_name="Azuay", slug="azuay", dpa_code="01")


@pytest.fixture
def english(client):
    """Read pages in English: for tests that check wording (Spanish is the default)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
