"""Uploads, pictures and the catalog's files on S3-compatible storage, against a local S3
emulator (moto's server, the `s3` fixture): the real services and views write and read the
bucket; every object is private; citizens get published files through a short-lived signed
address (or streamed by the app), and nothing else."""

import html
import io
import re

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from minga import datastore
from minga.catalog.models import Resource, ResourceLoad
from minga.catalog.tables import versions
from minga.catalog.tests import factories as catalog_factories
from minga.core.storage.config import s3_storage
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified, make_official
from minga.datastore import parallel
from minga.institution.models import Authority
from minga.institution.tests import factories as institution_factories
from minga.works import services as works_services
from minga.works.models import Photo
from minga.works.tests import factories as works_factories

pytestmark = pytest.mark.django_db

CSV = "Cantón;Año;Monto\nPortoviejo;2025;1.234,56\nManta;2024;987,10\n".encode("latin-1")


@pytest.fixture(autouse=True)
def _datastore_in_tmp(settings, tmp_path):
    settings.DATASTORE_SQLITE_PATH = tmp_path / "datastore.sqlite3"


@pytest.fixture
def office(client, government):
    login_verified(client, make_official(government, "editor", "catalog"))
    return client


def _objects(s3, prefix: str) -> dict[str, bytes]:
    listed = s3.client.list_objects_v2(Bucket=s3.bucket, Prefix=prefix).get("Contents", [])
    return {item["Key"]: s3.client.get_object(Bucket=s3.bucket, Key=item["Key"])["Body"].read() for item in listed}


def _is_private(s3, key: str) -> bool:
    grants = s3.client.get_object_acl(Bucket=s3.bucket, Key=key)["Grants"]
    return all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers / AuthenticatedUsers grant


def _unsigned(s3, key: str) -> requests.Response:
    return requests.get(f"{s3.endpoint}/{s3.bucket}/{key}", timeout=10)


def _upload(office, government, dataset, content: bytes, capture, name="montos.csv"):
    url = gov_url(government, "catalog:office_resource_create", dataset_pk=dataset.pk)
    data = {"title": "Montos", "description": "", "kind": "upload", "url": "", "order": 0}
    data["upload"] = SimpleUploadedFile(name, content)
    with capture(execute=True):
        response = office.post(url, data)
    assert response.status_code == 302, response.content[:500]


def test_an_uploaded_file_is_stored_private_loaded_snapshotted_and_downloaded(
    s3, office, client, government, django_capture_on_commit_callbacks
):
    dataset = catalog_factories.dataset(government, is_published=True)
    _upload(office, government, dataset, CSV, django_capture_on_commit_callbacks)
    with government_scope(government):
        resource = Resource.objects.get()
        load = ResourceLoad.objects.get()
    # The upload is in the bucket under a random name, private, served as a download only.
    stored = _objects(s3, "catalog/resources/")
    assert list(stored) == [resource.file.name] and stored[resource.file.name] == CSV
    assert "montos" not in resource.file.name
    head = s3.client.head_object(Bucket=s3.bucket, Key=resource.file.name)
    assert head["ContentDisposition"] == "attachment" and head["ContentType"] == "application/octet-stream"
    assert _is_private(s3, resource.file.name)
    # The load read it back from the bucket; the version's snapshot went to the bucket too.
    assert load.status == "succeeded" and load.row_count == 2, load.report
    assert datastore.get_table(table_id=resource.datastore_table_id).version == 1
    snapshots = _objects(s3, "catalog/versions/")
    assert list(snapshots) == [load.source_file.name] and snapshots[load.source_file.name] == CSV
    assert _is_private(s3, load.source_file.name)
    # A citizen's download is a redirect to a short-lived signed address that names the file.
    client.logout()
    response = client.get(gov_url(government, "catalog:resource_download", pk=resource.pk))
    assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"
    location = response["Location"]
    assert location.startswith(f"{s3.endpoint}/{s3.bucket}/{resource.file.name}?")
    assert "X-Amz-Signature=" in location and "X-Amz-Expires=300" in location
    fetched = requests.get(location, timeout=10)
    assert fetched.status_code == 200 and fetched.content == CSV
    assert fetched.headers["Content-Disposition"] == 'attachment; filename="montos.csv"'
    assert fetched.headers["Content-Type"] == "text/csv"
    # The version's data is downloaded the same way, under the version's name.
    response = client.get(gov_url(government, "catalog:resource_version_download", pk=resource.pk, load_pk=load.pk))
    assert response.status_code == 302
    fetched = requests.get(response["Location"], timeout=10)
    assert fetched.content == CSV and 'filename="montos-v1.csv"' in fetched.headers["Content-Disposition"]
    # Without the signature the bucket refuses both.
    assert _unsigned(s3, resource.file.name).status_code == 403
    assert _unsigned(s3, load.source_file.name).status_code == 403


def test_downloads_are_streamed_by_the_app_when_asked(
    s3, settings, office, client, government, django_capture_on_commit_callbacks
):
    settings.S3_STREAM_DOWNLOADS = True
    dataset = catalog_factories.dataset(government, is_published=True)
    _upload(office, government, dataset, CSV, django_capture_on_commit_callbacks)
    with government_scope(government):
        resource = Resource.objects.get()
    client.logout()
    response = client.get(gov_url(government, "catalog:resource_download", pk=resource.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CSV
    assert response["Content-Disposition"] == 'attachment; filename="montos.csv"'
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    # A file gone from the bucket answers 404, in both modes.
    s3.client.delete_object(Bucket=s3.bucket, Key=resource.file.name)
    assert client.get(gov_url(government, "catalog:resource_download", pk=resource.pk)).status_code == 404
    settings.S3_STREAM_DOWNLOADS = False
    assert client.get(gov_url(government, "catalog:resource_download", pk=resource.pk)).status_code == 404


def test_a_file_of_an_unpublished_dataset_reaches_no_citizen(
    s3, office, client, government, django_capture_on_commit_callbacks
):
    dataset = catalog_factories.dataset(government, is_published=False)
    _upload(office, government, dataset, CSV, django_capture_on_commit_callbacks)
    with government_scope(government):
        resource = Resource.objects.get()
        load = ResourceLoad.objects.get()
    assert _objects(s3, "catalog/resources/")[resource.file.name] == CSV
    client.logout()
    assert client.get(gov_url(government, "catalog:resource_download", pk=resource.pk)).status_code == 404
    version_url = gov_url(government, "catalog:resource_version_download", pk=resource.pk, load_pk=load.pk)
    assert client.get(version_url).status_code == 404
    # Nor straight from the bucket, even knowing the stored names.
    assert _unsigned(s3, resource.file.name).status_code == 403
    assert _unsigned(s3, load.source_file.name).status_code == 403
    assert all(_is_private(s3, key) for key in _objects(s3, "catalog/"))


def test_replaced_files_and_old_snapshots_leave_the_bucket(
    s3, settings, monkeypatch, office, government, django_capture_on_commit_callbacks
):
    settings.CATALOG_SNAPSHOTS_KEPT = 1
    # The file read back from the bucket spools to a temporary file at once, and a second
    # process reads it while this one loads (as for a large file).
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(bucket=s3.bucket, endpoint_url=s3.endpoint, region="us-east-1", max_memory_size=16),
    }
    settings.DATASTORE_PARALLEL_MIN_BYTES = 0
    forked, worth_a_child = [], parallel.worth_a_child
    monkeypatch.setattr(parallel, "worth_a_child", lambda size: forked.append(worth_a_child(size)) or forked[-1])
    dataset = catalog_factories.dataset(government, is_published=True)
    _upload(office, government, dataset, CSV, django_capture_on_commit_callbacks)
    with government_scope(government):
        resource = Resource.objects.get()
        first = ResourceLoad.objects.get()
    first_file, first_snapshot = resource.file.name, first.source_file.name
    newer = CSV + "Chone;2025;10,00\n".encode("latin-1")
    url = gov_url(government, "catalog:office_resource_edit", pk=resource.pk)
    data = {"title": "Montos", "description": "", "kind": "upload", "url": "", "order": 0}
    data["upload"] = SimpleUploadedFile("montos.csv", newer)
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(url, data)
    assert response.status_code == 302, response.content[:500]
    with government_scope(government):
        resource.refresh_from_db()
        latest = versions.versions(resource)[0]
    assert latest.row_count == 3 and latest.version == 2
    assert forked and all(forked)
    assert set(_objects(s3, "catalog/resources/")) == {resource.file.name} != {first_file}
    assert _objects(s3, "catalog/versions/") == {latest.source_file.name: newer}
    assert first_snapshot != latest.source_file.name


def test_works_photos_are_resized_stored_private_and_linked_signed(s3, client, government):
    project = works_factories.project(government)
    works_factories.progress(government, project, photos=[works_factories.jpeg(size=(3000, 2000))])
    with government_scope(government):
        photo = Photo.objects.get()
    key = photo.image.name
    assert key.startswith("works/photos/") and key.endswith(".jpg")
    head = s3.client.head_object(Bucket=s3.bucket, Key=key)
    assert head["ContentType"] == "image/jpeg" and head["ContentDisposition"] == "inline"
    assert _is_private(s3, key) and _unsigned(s3, key).status_code == 403
    with Image.open(io.BytesIO(_objects(s3, key)[key])) as stored:
        assert max(stored.size) == 1600  # the stored copy is the resized one
    # The public page links it through a signed address of the bucket that works.
    page = client.get(gov_url(government, "works:project_detail", slug=project.slug)).content.decode()
    # The link the page holds (signed when the page was drawn: its date may differ by a second
    # from one signed now), unescaped, is the one fetched.
    found = re.search(re.escape(f"{s3.endpoint}/{s3.bucket}/{key}?") + r'[^"\s<>]+', page)
    assert found, "the page links the photo through the bucket"
    url = html.unescape(found.group(0))
    assert "X-Amz-Signature=" in url
    fetched = requests.get(url, timeout=10)
    assert fetched.status_code == 200 and fetched.headers["Content-Type"] == "image/jpeg"
    # Deleting the project deletes the object.
    with government_scope(government):
        works_services.project_delete(actor=None, government=government, project=project)
    assert _objects(s3, "works/") == {}


def test_a_portrait_and_a_public_address_for_pictures(s3, settings, government):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(
            bucket=s3.bucket, endpoint_url=s3.endpoint, region="us-east-1", public_url="https://media.example.ec/minga/"
        ),
    }
    authority = institution_factories.authority(government, photo=institution_factories.jpeg_with_exif())
    with government_scope(government):
        authority = Authority.objects.get(pk=authority.pk)
    key = authority.photo.name
    assert key.startswith("institution/authorities/") and _is_private(s3, key)
    # With MINGA_S3_PUBLIC_URL pictures are linked unsigned under it (the bucket policy opens
    # only the public prefixes there); the catalog's downloads stay signed on the bucket.
    assert authority.photo.url == f"https://media.example.ec/minga/{key}"
    signed = authority.photo.storage.signed_url(key, expire=60)
    assert signed.startswith(f"{s3.endpoint}/{s3.bucket}/{key}?") and "X-Amz-Signature=" in signed


@pytest.mark.django_db(transaction=True)
def test_a_module_table_is_generated_into_the_bucket_and_loaded_from_it(s3, client, government):
    """A published budget year: the cédula's rows are kept in the database; the catalog's
    generated files (the table and its LOTAIP companions) go to the bucket."""
    from minga.budget.tests import factories as budget
    from minga.catalog.models import Dataset

    with government_scope(government):
        budget.published_budget(government, year=2026, months=(3,))
    dataset = Dataset._base_manager.get(government=government, source_key="budget.execution.2026")
    resources = list(Resource._base_manager.filter(dataset=dataset))
    stored = _objects(s3, "catalog/resources/")
    assert len(resources) >= 3 and {resource.file.name for resource in resources} <= set(stored)
    table = next(resource for resource in resources if resource.source_key == "table")
    with government_scope(government):
        assert datastore.get_table(table_id=table.datastore_table_id).row_count > 0
    assert all(_is_private(s3, key) for key in stored)
    response = client.get(gov_url(government, "catalog:resource_download", pk=table.pk))
    assert response.status_code == 302
    assert requests.get(response["Location"], timeout=10).content == stored[table.file.name]
