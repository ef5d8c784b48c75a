"""The one way Minga fetches anything from another server (remote data sources, link checks).

A data source address is typed by an official, so a careless or hostile one could point at the
machine itself, the cloud metadata service or the intranet (server-side request forgery). Every
connection therefore goes through ``_GuardedConnection``: the host name is resolved once, each
address is checked, and the socket is opened to the very address that was checked, so a DNS
answer that changes between check and use (rebinding) gains nothing. Loopback, private,
link-local, reserved, multicast and unspecified addresses (IPv4 and IPv6, including IPv4 mapped
into IPv6) are refused unless the operator listed the host in ``settings.OUTBOUND_ALLOWED_HOSTS``
(env ``MINGA_OUTBOUND_ALLOWED_HOSTS``), the only list that can open an internal address. Cloud
metadata services (``CLOUD_METADATA``) are refused even then.

A caller may pass ``only_hosts`` (a government's own list): it narrows, never widens. When it is
not empty, a host outside it is refused, and a host inside it still goes through the address
check above, so naming 127.0.0.1 or an intranet name there opens nothing. Redirects are
followed by hand, a few at most, and every hop goes through the same connection check. Proxies
from the environment are ignored (a proxy would connect on our behalf, unchecked).

    result = fetch(url, only_hosts=["datos.gob.ec"], etag=..., last_modified=...)
    result.not_modified / result.body (a file) / result.sha256 / result.etag / result.last_modified

Problems raise ``OutboundError`` with a ``code`` and a plain, translatable ``message`` for the
official; nothing here raises ``requests`` exceptions to the caller.
"""

from __future__ import annotations

import contextvars
import hashlib
import ipaddress
import socket
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

CHUNK = 64 * 1024
SPOOL_BYTES = 4 * 1024 * 1024
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
DEFAULT_MAX_REDIRECTS = 5
USER_AGENT = "Minga open data (+https://minga.ec)"


class OutboundError(Exception):
    """A fetch that did not give usable content; ``message`` is for the official."""

    def __init__(self, message: Any, *, code: str, status: int | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.status = status

    @property
    def user_message(self) -> str:
        return str(self.message)


@dataclass
class FetchResult:
    url: str  # after redirects
    status: int
    not_modified: bool = False
    body: IO[bytes] | None = None  # positioned at 0; the caller closes it
    size: int = 0
    sha256: str = ""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    def close(self) -> None:
        if self.body is not None:
            self.body.close()


@dataclass
class LinkCheck:
    ok: bool
    status: int | None = None
    message: str = ""


# Address policy ---------------------------------------------------------------------------


# Cloud instance metadata endpoints (AWS, GCP, Azure, OpenStack; AWS over IPv6; AWS ECS tasks;
# Alibaba): never fetched, whatever any list says; they hand out the machine's credentials.
CLOUD_METADATA = frozenset(
    ipaddress.ip_address(address)
    for address in ("169.254.169.254", "fd00:ec2::254", "169.254.170.2", "100.100.100.200")
)
CLOUD_METADATA_NAMES = frozenset({"metadata.google.internal", "metadata.goog", "metadata"})


@dataclass(frozen=True)
class _Policy:
    only_hosts: frozenset[str]  # empty: any host (subject to the address check)


_policy: contextvars.ContextVar[_Policy | None] = contextvars.ContextVar("minga_outbound_policy", default=None)


def normalise_hosts(hosts: Iterable[str] | str | None) -> list[str]:
    """Host names from a setting or a form: comma or space separated, case-insensitive."""
    if hosts is None:
        return []
    if isinstance(hosts, str):
        hosts = hosts.replace(",", " ").split()
    found = []
    for host in hosts:
        host = str(host).strip().lower().rstrip(".")
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
        if host and host not in found:
            found.append(host)
    return found


def _allowed(host: str, allowed: frozenset[str]) -> bool:
    host = host.lower().rstrip(".").strip("[]")
    if host in allowed:
        return True
    # ".example.org" in the list allows every name under example.org
    return any(entry.startswith(".") and (host.endswith(entry) or host == entry[1:]) for entry in allowed)


def _unwrap(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """The address actually reached: IPv4 mapped into IPv6, 6to4 and Teredo give their IPv4."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            return mapped
        if ip.teredo:
            return ip.teredo[1]
    return ip


def address_is_metadata(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return ip in CLOUD_METADATA or _unwrap(address) in CLOUD_METADATA


def address_is_public(address: str) -> bool:
    ip = _unwrap(address)
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def _resolve(host: str, port: int) -> list[tuple[int, str]]:
    """(family, address) pairs for the host; a module-level function so tests can replace DNS."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [(family, sockaddr[0]) for family, _type, _proto, _name, sockaddr in infos]


def _open_socket(family: int, address: str, port: int, timeout: Any, options: Any) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        for option in options or ():
            sock.setsockopt(*option)
        if timeout is not None and timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:  # type: ignore[attr-defined]
            sock.settimeout(timeout)
        sock.connect((address, port))
    except BaseException:
        sock.close()
        raise
    return sock


class _Blocked(OSError):
    """Raised inside urllib3's connect; unwrapped into an OutboundError by ``fetch``."""

    def __init__(self, host: str) -> None:
        super().__init__(f"address of {host} is not public")
        self.host = host


class _NotListed(OSError):
    """The host is not in the caller's (a government's) own list."""

    def __init__(self, host: str) -> None:
        super().__init__(f"{host} is not in the list of hosts")
        self.host = host


class _GuardedMixin:
    def _new_conn(self) -> socket.socket:  # replaces urllib3's create_connection()
        host = self._dns_host.strip("[]")  # type: ignore[attr-defined]
        port = self.port  # type: ignore[attr-defined]
        policy = _policy.get() or _Policy(frozenset())
        if policy.only_hosts and not _allowed(host, policy.only_hosts):
            raise _NotListed(host)
        if host.lower().rstrip(".") in CLOUD_METADATA_NAMES:
            raise _Blocked(host)
        # Only the operator's list may open an internal address; a government's list never does.
        trusted = _allowed(host, frozenset(_platform_hosts()))
        try:
            addresses = _resolve(host, port)
        except (socket.gaierror, UnicodeError) as error:
            raise NewConnectionError(self, f"name resolution failed: {error}") from error  # type: ignore[arg-type]
        if not addresses:
            raise NewConnectionError(self, "name resolution gave no address")  # type: ignore[arg-type]
        # Every answer is checked, and the socket below goes to one of these very addresses.
        if any(address_is_metadata(address) for _family, address in addresses):
            raise _Blocked(host)
        if not trusted and not all(address_is_public(address) for _family, address in addresses):
            raise _Blocked(host)
        last_error: OSError | None = None
        for family, address in addresses:
            try:
                return _open_socket(family, address, port, self.timeout, self.socket_options)  # type: ignore[attr-defined]
            except TimeoutError as error:
                raise ConnectTimeoutError(self, f"connection to {host} timed out") from error
            except OSError as error:
                last_error = error
        raise NewConnectionError(self, f"could not connect: {last_error}")  # type: ignore[arg-type]


class _GuardedHTTPConnection(_GuardedMixin, HTTPConnection):
    pass


class _GuardedHTTPSConnection(_GuardedMixin, HTTPSConnection):
    pass


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class _GuardedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}


def _platform_hosts() -> list[str]:
    return normalise_hosts(getattr(settings, "OUTBOUND_ALLOWED_HOSTS", []))


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxies or .netrc from the environment
    adapter = _GuardedAdapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


# Fetching -----------------------------------------------------------------------------------


def check_url(url: str) -> str:
    """The address if Minga may try it at all (http or https, a host, no credentials)."""
    parts = urlsplit((url or "").strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise OutboundError(_("Use a web address starting with https:// or http://."), code="invalid_url")
    if parts.username or parts.password:
        raise OutboundError(_("Web addresses with a user name or password are not accepted."), code="invalid_url")
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as error:
        raise OutboundError(_("The web address has an invalid port."), code="invalid_url") from error
    return parts.geturl()


def _timeouts(timeout: float | None) -> tuple[float, float]:
    total = float(timeout if timeout is not None else getattr(settings, "OUTBOUND_TIMEOUT_SECONDS", 30))
    return (min(10.0, total), total)


def _causes(error: BaseException):
    """The error and everything it wraps (requests wraps urllib3, which wraps the socket error)."""
    pending, seen = [error], set()
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        linked = [current.__cause__, current.__context__, getattr(current, "reason", None), *current.args]
        pending.extend(item for item in linked if isinstance(item, BaseException))


def _translate(error: BaseException, url: str) -> OutboundError:
    host = urlsplit(url).hostname or url
    for cause in _causes(error):
        if isinstance(cause, OutboundError):
            return cause
        if isinstance(cause, _Blocked):
            return OutboundError(
                _(
                    "%(host)s is an internal address. Minga only fetches data from public addresses, "
                    "unless the platform operator allows this host."
                )
                % {"host": cause.host},
                code="blocked_host",
            )
        if isinstance(cause, _NotListed):
            return OutboundError(
                _(
                    "%(host)s is not among the hosts your government fetches data from (catalog settings). "
                    "An administrator can add it there."
                )
                % {"host": cause.host},
                code="host_not_listed",
            )
    if isinstance(error, requests.Timeout | TimeoutError):
        return OutboundError(
            _("%(host)s did not answer in time. The previous version stays published.") % {"host": host},
            code="timeout",
        )
    if isinstance(error, requests.exceptions.SSLError):
        return OutboundError(
            _("The secure connection to %(host)s failed (certificate problem).") % {"host": host}, code="tls"
        )
    if isinstance(error, requests.ConnectionError) and "name resolution" in str(error):
        return OutboundError(_("The host %(host)s could not be found.") % {"host": host}, code="dns")
    return OutboundError(_("Could not connect to %(host)s.") % {"host": host}, code="connect")


def _request(session, method: str, url: str, *, headers: dict, timeout, max_redirects: int):
    """Send the request, following redirects by hand so every hop is checked again."""
    for _hop in range(max_redirects + 1):
        url = check_url(url)
        try:
            response = session.request(
                method, url, headers=headers, timeout=timeout, stream=True, allow_redirects=False
            )
        except requests.RequestException as error:
            raise _translate(error, url) from error
        location = response.headers.get("Location")
        if response.status_code in REDIRECT_STATUSES and location:
            response.close()
            url = urljoin(url, location)
            if response.status_code == 303:
                method = "GET" if method != "HEAD" else "HEAD"
            continue
        return response, url
    raise OutboundError(_("The address redirects too many times."), code="too_many_redirects")


def _too_large(limit: int) -> OutboundError:
    return OutboundError(
        _("The file is larger than the limit of %(limit)s. The previous version stays published.")
        % {"limit": filesizeformat(limit)},
        code="too_large",
    )


def fetch(
    url: str,
    *,
    only_hosts: Iterable[str] | str | None = None,
    etag: str = "",
    last_modified: str = "",
    max_bytes: int | None = None,
    timeout: float | None = None,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    accept: str = "*/*",
) -> FetchResult:
    """GET ``url`` into a temporary file (checksummed while it streams), or report "not
    modified" when the server answers 304 to the conditional request. ``only_hosts`` (a
    government's list) narrows the hosts reached; it cannot open an internal address."""
    limit = max_bytes if max_bytes is not None else settings.DATASET_UPLOAD_MAX_BYTES
    connect_read = _timeouts(timeout)
    deadline = time.monotonic() + connect_read[1] * 4  # a trickling server cannot hold a job forever
    headers = {"Accept": accept, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    token = _policy.set(_Policy(frozenset(normalise_hosts(only_hosts))))
    session = _session()
    try:
        response, final_url = _request(
            session, "GET", url, headers=headers, timeout=connect_read, max_redirects=max_redirects
        )
        with response:
            result = FetchResult(
                url=final_url,
                status=response.status_code,
                content_type=response.headers.get("Content-Type", ""),
                etag=response.headers.get("ETag", ""),
                last_modified=response.headers.get("Last-Modified", ""),
                headers=dict(response.headers),
            )
            if response.status_code == 304:
                result.not_modified = True
                return result
            if response.status_code >= 400:
                raise OutboundError(
                    _("The server answered with an error (HTTP %(status)s). The previous version stays published.")
                    % {"status": response.status_code},
                    code="http_status",
                    status=response.status_code,
                )
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit and not response.headers.get("Content-Encoding"):
                raise _too_large(limit)
            body = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - handed to the caller
            digest, total = hashlib.sha256(), 0
            try:
                for chunk in response.iter_content(CHUNK):
                    total += len(chunk)
                    if total > limit:
                        raise _too_large(limit)
                    if time.monotonic() > deadline:
                        raise OutboundError(
                            _("%(host)s sent the data too slowly. The previous version stays published.")
                            % {"host": urlsplit(final_url).hostname},
                            code="timeout",
                        )
                    digest.update(chunk)
                    body.write(chunk)
            except requests.RequestException as error:
                body.close()
                raise _translate(error, final_url) from error
            except BaseException:
                body.close()
                raise
            body.seek(0)
            result.body, result.size, result.sha256 = body, total, digest.hexdigest()
            return result
    except requests.RequestException as error:
        raise _translate(error, url) from error
    finally:
        session.close()
        _policy.reset(token)


def check_link(
    url: str,
    *,
    only_hosts: Iterable[str] | str | None = None,
    timeout: float | None = None,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
) -> LinkCheck:
    """Is the address answering? HEAD first; servers that refuse HEAD get a one-byte GET."""
    token = _policy.set(_Policy(frozenset(normalise_hosts(only_hosts))))
    session = _session()
    connect_read = _timeouts(timeout if timeout is not None else 15)
    try:
        response, final_url = _request(
            session, "HEAD", url, headers={"Accept": "*/*"}, timeout=connect_read, max_redirects=max_redirects
        )
        response.close()
        if response.status_code in (403, 405, 501) or response.status_code >= 500:
            response, final_url = _request(
                session,
                "GET",
                final_url,
                headers={"Accept": "*/*", "Range": "bytes=0-0"},
                timeout=connect_read,
                max_redirects=max_redirects,
            )
            response.close()
        if response.status_code < 400:
            return LinkCheck(ok=True, status=response.status_code)
        return LinkCheck(
            ok=False,
            status=response.status_code,
            message=str(_("The server answered with an error (HTTP %(status)s).") % {"status": response.status_code}),
        )
    except OutboundError as error:
        return LinkCheck(ok=False, message=error.user_message)
    finally:
        session.close()
        _policy.reset(token)
