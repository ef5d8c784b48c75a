"""The S3 settings (``core/storage/config.py``), the deploy check of a half-configured S3
setting, and downloads from the local disk. The S3 backend itself is exercised against a
local emulator in tests/test_s3_storage.py."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile, FileField
from django.http import Http404

from minga.core import storage
from minga.core.storage import checks
from minga.core.storage.config import BACKEND, public_domain, s3_storage


def test_s3_storage_is_private_signed_and_never_overwrites():
    entry = s3_storage(bucket="minga-media")
    assert entry["BACKEND"] == BACKEND == "minga.core.storage.s3.S3Storage"
    options = entry["OPTIONS"]
    assert options["bucket_name"] == "minga-media" and options["default_acl"] is None
    assert options["querystring_auth"] is True and options["file_overwrite"] is False
    assert options["signature_version"] == "s3v4" and options["querystring_expire"] == 3600
    assert "endpoint_url" not in options and "custom_domain" not in options and "addressing_style" not in options


def test_s3_compatible_endpoints_use_path_addressing_and_a_public_address_is_split():
    options = s3_storage(
        bucket="b", endpoint_url="https://minio.internal:9000", region="sa-east-1", public_url="https://cdn.ec/minga/"
    )["OPTIONS"]
    assert options["endpoint_url"] == "https://minio.internal:9000" and options["addressing_style"] == "path"
    assert options["region_name"] == "sa-east-1"
    assert (options["custom_domain"], options["url_protocol"]) == ("cdn.ec/minga", "https:")
    assert s3_storage(bucket="b", endpoint_url="https://x", addressing_style="virtual")["OPTIONS"]["addressing_style"] == "virtual"
    assert public_domain("http://media.example.ec") == ("media.example.ec", "http:")


def _ids(environ) -> list[str]:
    return [message.id for message in checks.configuration_problems(environ)]


def test_no_s3_setting_is_clean_and_a_stray_one_warns():
    assert _ids({}) == []
    found = checks.configuration_problems({"MINGA_S3_ENDPOINT_URL": "https://minio.internal", "MINGA_S3_REGION": "x"})
    assert [message.id for message in found] == ["minga.W120"]
    assert "MINGA_S3_ENDPOINT_URL, MINGA_S3_REGION" in found[0].msg and "local disk" in found[0].msg


def test_a_half_configured_bucket_is_reported(settings):
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(bucket="b")}
    settings.S3_URL_SECONDS, settings.PUBLIC_PAGE_CACHE_SECONDS = 3600, 60
    assert _ids({"MINGA_S3_BUCKET": "b", "AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s"}) == []
    assert _ids({"MINGA_S3_BUCKET": "b"}) == []  # the machine's role or the AWS files
    assert _ids({"MINGA_S3_BUCKET": "b", "AWS_ACCESS_KEY_ID": "k"}) == ["minga.W123"]
    assert _ids({"MINGA_S3_BUCKET": "b", "MINGA_S3_ENDPOINT_URL": "minio:9000"}) == ["minga.W124"]
    assert _ids({"MINGA_S3_BUCKET": "b", "MINGA_S3_PUBLIC_URL": "cdn.ec"}) == ["minga.W124"]
    assert _ids({"MINGA_S3_BUCKET": "b", "MINGA_S3_ADDRESSING_STYLE": "sideways"}) == ["minga.W124"]
    settings.S3_URL_SECONDS = 60
    assert _ids({"MINGA_S3_BUCKET": "b"}) == ["minga.W125"]
    assert _ids({"MINGA_S3_BUCKET": "b", "MINGA_S3_PUBLIC_URL": "https://cdn.ec"}) == []  # unsigned links
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.S3_URL_SECONDS = 3600
    assert _ids({"MINGA_S3_BUCKET": "b"}) == ["minga.W122"]


def test_a_bucket_without_the_s3_extra_is_an_error(settings, monkeypatch):
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(bucket="b")}
    real = checks.importlib.util.find_spec
    monkeypatch.setattr(checks.importlib.util, "find_spec", lambda name: None if name == "storages" else real(name))
    found = checks.configuration_problems({"MINGA_S3_BUCKET": "b"})
    assert [message.id for message in found] == ["minga.E121"] and "minga[s3]" in found[0].hint


def test_the_check_is_registered_for_deployments():
    from django.core.checks.registry import registry

    assert checks.s3_storage_check in registry.get_checks(include_deployment_checks=True)
    assert checks.s3_storage_check not in registry.get_checks(include_deployment_checks=False)


def _stored(tmp_path, name: str, content: bytes | None) -> FieldFile:
    disk = FileSystemStorage(location=tmp_path)
    if content is not None:
        name = disk.save(name, ContentFile(content))
    field = FileField(storage=disk)
    field.name = "file"
    return FieldFile(None, field, name)


def test_a_download_from_the_local_disk_is_streamed_inert_and_a_missing_file_is_404(tmp_path):
    assert not storage.signs_urls(FileSystemStorage(location=tmp_path))
    response = storage.download_response(_stored(tmp_path, "a.csv", b"x;y\n"), filename="datos.csv", content_type="text/csv")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"x;y\n"
    assert response["Content-Disposition"] == 'attachment; filename="datos.csv"'
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    with pytest.raises(Http404):
        storage.download_response(_stored(tmp_path, "gone.csv", None), filename="d.csv", content_type="text/csv")
