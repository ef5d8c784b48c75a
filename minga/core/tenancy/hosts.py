"""Host names: how a government's own host name is written, and which names belong to the
platform (settings.PLATFORM_HOSTS) and so can never serve a government."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# One DNS label: letters, digits and hyphens, not starting or ending with a hyphen.
LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
MAX_LENGTH = 253


def hostname_of(value: str) -> str:
    """The host name of an HTTP Host header or a typed name: lower case, without port or
    final dot."""
    host = str(value).strip().lower()
    if host.startswith("["):  # an IPv6 literal, never a government's name
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0].rstrip(".") if ":" in host else host.rstrip(".")


def platform_hosts() -> list[str]:
    return [hostname_of(host) for host in settings.PLATFORM_HOSTS if host.strip()]


def is_platform_host(value: str) -> bool:
    """True for a platform host name or any name under one (x.minga.example.ec)."""
    host = hostname_of(value)
    return any(host == platform or host.endswith("." + platform) for platform in platform_hosts())


def normalise_host(value: str) -> str:
    """The stored form of a typed host name (lower case, international names in their ASCII
    form). Raises ValidationError with the reason when it cannot be a government's name."""
    typed = str(value).strip().lower().rstrip(".")
    try:
        host = typed.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise ValidationError(_("“%(host)s” is not a valid host name.") % {"host": value}, code="invalid") from error
    labels = host.split(".")
    if not host or len(host) > MAX_LENGTH or not all(LABEL.match(label) for label in labels):
        raise ValidationError(
            _(
                "“%(host)s” is not a valid host name: write only the name, such as transparencia.manabi.gob.ec, without https:// or a port."
            )
            % {"host": value},
            code="invalid",
        )
    if is_platform_host(host):
        raise ValidationError(
            _("“%(host)s” belongs to the platform itself and cannot be a government's own host name.")
            % {"host": value},
            code="platform",
        )
    return host


def validate_host(value: str) -> None:
    """Model field validator: the value must already be in its stored form."""
    if normalise_host(value) != value:
        raise ValidationError(_("“%(host)s” is not a valid host name.") % {"host": value}, code="invalid")
