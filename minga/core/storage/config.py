"""The ``STORAGES["default"]`` entry for S3-compatible object storage, built from the
``MINGA_S3_*`` environment variables (read by ``minga/settings/base.py``; the ``minga[s3]``
extra installs the backend). Plain Python: settings import it before Django is set up."""

from __future__ import annotations

from urllib.parse import urlsplit

BACKEND = "minga.core.storage.s3.S3Storage"


def public_domain(public_url: str) -> tuple[str, str]:
    """``(custom_domain, url_protocol)`` for django-storages from an address such as
    ``https://media.example.ec/minga``: the host and path without the scheme, and the scheme."""
    parts = urlsplit(public_url.strip())
    return f"{parts.netloc}{parts.path.rstrip('/')}", f"{parts.scheme or 'https'}:"


def s3_storage(
    *,
    bucket: str,
    endpoint_url: str = "",
    region: str = "",
    public_url: str = "",
    addressing_style: str = "",
    url_seconds: int = 3600,
    max_memory_size: int = 5 * 1024 * 1024,
) -> dict:
    """Objects are written without an ACL, so they are private wherever S3's default holds
    (buckets with ACLs disabled, AWS's default since 2023, refuse any other ACL than the
    owner's anyway), and only a bucket policy can open a prefix; addresses handed out are signed for
    ``url_seconds``. Credentials are not settings: boto3 reads the standard AWS environment
    variables (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_SESSION_TOKEN``), its
    configuration files or the machine's role.

    With ``public_url`` (a CDN, or the bucket's public address) the public pictures and PDFs
    are linked unsigned under it; the operator's bucket policy then grants reading of those
    prefixes only (docs/deployment.md): the catalog's files are never linked that way, their
    views hand out signed addresses after checking the dataset is published."""
    options: dict = {
        "bucket_name": bucket,
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": url_seconds,
        "signature_version": "s3v4",
        # Names are random; never replace a stored file that happens to share one.
        "file_overwrite": False,
        # A file read back (a table load, a download streamed by the app) is spooled to a
        # temporary file above this size instead of being held whole in memory.
        "max_memory_size": max_memory_size,
    }
    if endpoint_url:
        options["endpoint_url"] = endpoint_url
        # S3-compatible servers (MinIO, Ceph, Garage…) rarely serve bucket subdomains.
        options["addressing_style"] = addressing_style or "path"
    elif addressing_style:
        options["addressing_style"] = addressing_style
    if region:
        options["region_name"] = region
    if public_url:
        options["custom_domain"], options["url_protocol"] = public_domain(public_url)
    return {"BACKEND": BACKEND, "OPTIONS": options}
