"""`minga check --deploy`: an S3 setting that is only half there. Without ``MINGA_S3_BUCKET``
the uploads stay on the local disk, whatever else is set: a deployment that meant to use a
bucket would lose its files when the machine is replaced."""

from __future__ import annotations

import importlib.util
import os
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

S3_ONLY = ("MINGA_S3_ENDPOINT_URL", "MINGA_S3_REGION", "MINGA_S3_PUBLIC_URL", "MINGA_S3_ADDRESSING_STYLE")
HINT = "Set MINGA_S3_BUCKET and the settings it needs, or none of them (docs/deployment.md, 'S3-compatible storage')."


def _is_web_address(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def configuration_problems(environ=None) -> list[checks.CheckMessage]:
    environ = os.environ if environ is None else environ
    found: list[checks.CheckMessage] = []
    bucket = environ.get("MINGA_S3_BUCKET", "").strip()
    if not bucket:
        stray = [name for name in S3_ONLY if environ.get(name, "").strip()]
        if stray:
            found.append(
                checks.Warning(
                    f"{', '.join(stray)} set without MINGA_S3_BUCKET: uploads are stored on the local disk.",
                    hint=HINT,
                    id="minga.W120",
                )
            )
        return found
    missing = [module for module in ("storages", "boto3") if importlib.util.find_spec(module) is None]
    if missing:
        found.append(
            checks.Error(
                f"MINGA_S3_BUCKET is set but {', '.join(missing)} is not installed.",
                hint="Install Minga with its S3 extra: pip install 'minga[s3]'.",
                id="minga.E121",
            )
        )
    if settings.STORAGES.get("default", {}).get("BACKEND") != "minga.core.storage.s3.S3Storage":
        found.append(
            checks.Warning(
                "MINGA_S3_BUCKET is set but the default storage is not the S3 backend.",
                hint="Settings that replace STORAGES must keep the entry minga/settings/base.py builds.",
                id="minga.W122",
            )
        )
    has_key, has_secret = bool(environ.get("AWS_ACCESS_KEY_ID")), bool(environ.get("AWS_SECRET_ACCESS_KEY"))
    if has_key != has_secret:
        found.append(
            checks.Warning(
                "Only one of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY is set.",
                hint="Set both, or neither to use the machine's role or the AWS configuration files.",
                id="minga.W123",
            )
        )
    for name in ("MINGA_S3_ENDPOINT_URL", "MINGA_S3_PUBLIC_URL"):
        value = environ.get(name, "").strip()
        if value and not _is_web_address(value):
            found.append(
                checks.Warning(f"{name} is not an http(s) address: {value!r}.", hint=HINT, id="minga.W124")
            )
    style = environ.get("MINGA_S3_ADDRESSING_STYLE", "").strip()
    if style and style not in ("path", "virtual", "auto"):
        found.append(
            checks.Warning(
                f"MINGA_S3_ADDRESSING_STYLE must be path, virtual or auto, not {style!r}.", hint=HINT, id="minga.W124"
            )
        )
    if not environ.get("MINGA_S3_PUBLIC_URL") and settings.S3_URL_SECONDS <= settings.PUBLIC_PAGE_CACHE_SECONDS:
        found.append(
            checks.Warning(
                "MINGA_S3_URL_SECONDS is not longer than MINGA_PUBLIC_PAGE_CACHE_SECONDS: cached pages would "
                "link pictures whose signed addresses have expired.",
                hint="Give MINGA_S3_URL_SECONDS several times the page cache's lifetime (default 3600).",
                id="minga.W125",
            )
        )
    return found


@checks.register(checks.Tags.security, deploy=True)
def s3_storage_check(app_configs, **kwargs):
    return configuration_problems()
