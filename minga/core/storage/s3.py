"""The S3 backend (django-storages) as Minga configures it (``config.s3_storage``).

Objects carry the same headers nginx gives ``/media/`` (``core/ui/media.py``) as far as S3
can store them: the content type decided here from the name (never the uploader's word),
pictures inline, everything else — PDFs, the catalog's files — as a download. S3 cannot add
``X-Content-Type-Options`` or a ``Content-Security-Policy``: the files are served from the
bucket's own origin, apart from the portal's cookies and pages (a CDN in front may add them)."""

from __future__ import annotations

from pathlib import PurePosixPath

from storages.backends import s3
from storages.utils import clean_name

from ..ui.media import SERVED_TYPES


def object_headers(name: str) -> dict[str, str]:
    served = SERVED_TYPES.get(PurePosixPath(name).suffix.lower())
    if served is None:
        return {"ContentType": "application/octet-stream", "ContentDisposition": "attachment"}
    content_type, download = served
    return {"ContentType": content_type, "ContentDisposition": "attachment" if download else "inline"}


class S3Storage(s3.S3Storage):
    def get_object_parameters(self, name):
        return {**super().get_object_parameters(name), **object_headers(name)}

    def signed_url(self, name: str, *, parameters: dict | None = None, expire: int | None = None) -> str:
        """A signed address of the object on the bucket's own endpoint, valid ``expire``
        seconds, even where public pictures are linked through a public domain: what the
        catalog's views hand out after checking access."""
        params = {**(parameters or {}), "Bucket": self.bucket.name, "Key": self._normalize_name(clean_name(name))}
        return self.connection.meta.client.generate_presigned_url(
            "get_object", Params=params, ExpiresIn=self.querystring_expire if expire is None else expire
        )
