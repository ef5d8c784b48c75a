import pytest
from django_scopes import scopes_disabled

from minga.core.testing import GovernmentFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from minga.core import memo
    from minga.core.usage import services as usage

    # Usage counts and memos live in the process's memory too: a test's must not reach the
    # next test (ids are reused once a test's transaction is rolled back).
    usage.discard_pending()
    memo.clear_all()
    cache.clear()
    yield
    usage.discard_pending()
    memo.clear_all()
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language: a request of an earlier test (Accept-Language,
    a language cookie) leaves its language active in the thread, and a service test that
    checks a Spanish message would then depend on which test ran before it."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


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


@pytest.fixture(scope="session")
def s3_server():
    """A local S3 emulator (moto's server) on a free port, one per test process."""
    server_module = pytest.importorskip("moto.server", reason="moto[server] is not installed")
    pytest.importorskip("storages", reason="django-storages is not installed")
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the emulator's access log
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server, settings, monkeypatch):
    """The default storage on a fresh, empty bucket of the emulator, configured as
    MINGA_S3_BUCKET and MINGA_S3_ENDPOINT_URL configure it; yields a boto3 client and the bucket."""
    import uuid
    from types import SimpleNamespace

    import boto3

    from minga.core.storage.config import s3_storage

    for name, value in {
        "AWS_ACCESS_KEY_ID": "minga-test",
        "AWS_SECRET_ACCESS_KEY": "minga-test-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    bucket = f"minga-test-{uuid.uuid4().hex[:16]}"
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")
    client.create_bucket(Bucket=bucket)
    settings.S3_BUCKET, settings.S3_ENDPOINT_URL, settings.S3_REGION = bucket, s3_server, "us-east-1"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(bucket=bucket, endpoint_url=s3_server, region="us-east-1", url_seconds=600),
    }
    yield SimpleNamespace(client=client, bucket=bucket, endpoint=s3_server)


def pytest_collection_modifyitems(items):
    for item in items:
        if "s3" in getattr(item, "fixturenames", ()):
            item.add_marker("s3")
