"""The outbound HTTP client: internal addresses refused (also after a redirect and when DNS
points a public name inside), hosts the operator lists fetched, a government's list that only
narrows (it opens no internal or cloud-metadata address), conditional requests, size cap,
timeouts and link checks; against a real server on 127.0.0.1 with DNS replaced in the test."""

import hashlib
import socket
import threading

import pytest
from django.utils import translation

from minga.core import outbound
from minga.core.outbound import OutboundError, address_is_public, check_link, fetch
from minga.core.testing_http import LocalServer

CSV = b"canton,monto\nPortoviejo,10\nManta,20\n"


@pytest.fixture(autouse=True)
def messages_in_english():
    """The messages below are checked in English; the Spanish ones are the same catalogue entries."""
    with translation.override("en"):
        yield


@pytest.fixture
def server():
    with LocalServer() as running:
        yield running


@pytest.fixture
def operator_allows_local(settings):
    """The test server listens on 127.0.0.1: only the operator's list can open it."""
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]


@pytest.fixture
def fake_dns(monkeypatch):
    """Names resolve to what the test says; sockets to any address actually reach 127.0.0.1,
    so "public" addresses can be exercised without leaving the machine."""
    names: dict[str, str] = {}
    connected: list[str] = []
    real_open = outbound._open_socket

    def resolve(host, port):
        if host in names:
            address = names[host]
            return [(socket.AF_INET6 if ":" in address else socket.AF_INET, address)]
        return [(socket.AF_INET, host)] if host.replace(".", "").isdigit() else []

    def open_socket(family, address, port, timeout, options):
        connected.append(address)
        return real_open(socket.AF_INET, "127.0.0.1", port, timeout, options)

    monkeypatch.setattr(outbound, "_resolve", resolve)
    monkeypatch.setattr(outbound, "_open_socket", open_socket)
    return names, connected


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.9", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),  # noqa: S104
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("2002:7f00:0001::", False),
    ],
)
def test_address_policy(address, public):
    assert address_is_public(address) is public


def test_loopback_is_refused_without_connecting(server, monkeypatch):
    server.route("/datos.csv", 200, {"Content-Type": "text/csv"}, CSV)
    with pytest.raises(OutboundError) as caught:
        fetch(server.url("/datos.csv"))
    assert caught.value.code == "blocked_host"
    assert "internal address" in caught.value.user_message
    assert server.requests == []


def test_private_address_behind_a_public_name_is_refused(fake_dns, settings):
    names, connected = fake_dns
    names["datos.example.org"] = "10.20.30.40"
    with pytest.raises(OutboundError) as caught:
        fetch("http://datos.example.org/datos.csv")
    assert caught.value.code == "blocked_host"
    assert connected == []


def test_link_local_ipv6_refused(fake_dns):
    names, connected = fake_dns
    names["v6.example.org"] = "fe80::1"
    with pytest.raises(OutboundError) as caught:
        fetch("http://v6.example.org/x.csv")
    assert caught.value.code == "blocked_host"
    assert connected == []


def test_public_address_is_fetched_from_the_checked_address(server, fake_dns):
    names, connected = fake_dns
    names["datos.example.org"] = "93.184.216.34"
    server.route("/datos.csv", 200, {"Content-Type": "text/csv", "ETag": '"v1"'}, CSV)
    result = fetch(f"http://datos.example.org:{server.port}/datos.csv")
    assert connected == ["93.184.216.34"]
    assert result.body.read() == CSV
    assert result.sha256 == hashlib.sha256(CSV).hexdigest()
    assert result.size == len(CSV)
    assert result.etag == '"v1"'
    assert result.content_type == "text/csv"
    assert server.requests[0].headers["Host"] == f"datos.example.org:{server.port}"


def test_operator_listed_host_may_be_internal(server, settings):
    server.route("/datos.csv", 200, {"Content-Type": "text/csv"}, CSV)
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    assert fetch(server.url("/datos.csv")).body.read() == CSV


def test_operator_list_by_domain_suffix(server, fake_dns, settings):
    names, _connected = fake_dns
    names["datos.intranet.gob.ec"] = "10.0.0.8"
    server.route("/d.csv", 200, {}, CSV)
    settings.OUTBOUND_ALLOWED_HOSTS = [".intranet.gob.ec"]
    assert fetch(f"http://datos.intranet.gob.ec:{server.port}/d.csv").body.read() == CSV
    settings.OUTBOUND_ALLOWED_HOSTS = ["intranet.gob.ec.evil.org"]
    with pytest.raises(OutboundError):
        fetch(f"http://datos.intranet.gob.ec:{server.port}/d.csv")


# A government's own list (``only_hosts``) narrows; it never opens an internal address.


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.0.0.1", None),
        ("localhost.example.org", "127.0.0.1"),
        ("169.254.169.254", None),
        ("metadata.example.org", "169.254.169.254"),
        ("v6metadata.example.org", "fd00:ec2::254"),
        ("datos.intranet.gob.ec", "10.0.0.8"),
        ("mapped.example.org", "::ffff:127.0.0.1"),
    ],
)
def test_government_list_cannot_open_internal_addresses(server, fake_dns, host, address):
    names, connected = fake_dns
    if address:
        names[host] = address
    server.route("/d.csv", 200, {}, CSV)
    for only in ([host], [f".{host.split('.', 1)[-1]}", host]):
        with pytest.raises(OutboundError) as caught:
            fetch(f"http://{host}:{server.port}/d.csv", only_hosts=only)
        assert caught.value.code == "blocked_host"
        assert "internal address" in caught.value.user_message
        assert not check_link(f"http://{host}:{server.port}/d.csv", only_hosts=only).ok
    assert connected == [] and server.requests == []


def test_cloud_metadata_refused_even_for_an_operator_listed_host(server, fake_dns, settings):
    names, connected = fake_dns
    names["datos.intranet.gob.ec"] = "169.254.169.254"
    names["metadata.google.internal"] = "10.0.0.9"
    settings.OUTBOUND_ALLOWED_HOSTS = [".intranet.gob.ec", "metadata.google.internal", "169.254.169.254"]
    for url in (
        f"http://datos.intranet.gob.ec:{server.port}/latest/meta-data/",
        f"http://metadata.google.internal:{server.port}/computeMetadata/v1/",
        f"http://169.254.169.254:{server.port}/latest/meta-data/",
    ):
        with pytest.raises(OutboundError) as caught:
            fetch(url)
        assert caught.value.code == "blocked_host"
    assert connected == [] and server.requests == []


def test_government_list_only_narrows_public_hosts(server, fake_dns):
    names, connected = fake_dns
    names["datos.gob.ec"] = "93.184.216.34"
    names["otro.example.org"] = "93.184.216.35"
    server.route("/d.csv", 200, {}, CSV)
    server.route("/away", 302, {"Location": f"http://otro.example.org:{server.port}/d.csv"})
    assert fetch(f"http://datos.gob.ec:{server.port}/d.csv", only_hosts="datos.gob.ec").body.read() == CSV
    with pytest.raises(OutboundError) as caught:
        fetch(f"http://otro.example.org:{server.port}/d.csv", only_hosts="datos.gob.ec")
    assert caught.value.code == "host_not_listed"
    with pytest.raises(OutboundError) as caught:  # a redirect does not leave the list either
        fetch(f"http://datos.gob.ec:{server.port}/away", only_hosts="datos.gob.ec")
    assert caught.value.code == "host_not_listed"
    assert connected == ["93.184.216.34", "93.184.216.34"]


def test_dns_is_asked_once_and_the_checked_address_is_the_one_connected(server, fake_dns, monkeypatch):
    """A name that answers a public address to the check and 127.0.0.1 afterwards (rebinding)
    never gets a second question: the socket goes to the address that was checked."""
    _names, connected = fake_dns
    answers = iter(["93.184.216.34", "127.0.0.1", "127.0.0.1"])
    asked = []

    def rebinding(host, port):
        asked.append(host)
        return [(socket.AF_INET, next(answers))]

    monkeypatch.setattr(outbound, "_resolve", rebinding)
    server.route("/d.csv", 200, {}, CSV)
    assert fetch(f"http://rebind.example.org:{server.port}/d.csv").body.read() == CSV
    assert asked == ["rebind.example.org"] and connected == ["93.184.216.34"]


def test_redirect_to_an_internal_address_is_refused(server, fake_dns):
    names, connected = fake_dns
    names["public.example.org"] = "93.184.216.34"
    names["internal.example.org"] = "192.168.0.10"
    server.route("/start", 302, {"Location": f"http://internal.example.org:{server.port}/secret"})
    server.route("/secret", 200, {}, b"secret")
    with pytest.raises(OutboundError) as caught:
        fetch(f"http://public.example.org:{server.port}/start")
    assert caught.value.code == "blocked_host"
    assert [seen.path for seen in server.requests] == ["/start"]
    assert connected == ["93.184.216.34"]


def test_redirects_are_followed_and_limited(operator_allows_local, server):
    server.route("/a", 301, {"Location": "/b"})
    server.route("/b", 200, {}, CSV)
    result = fetch(server.url("/a"))
    assert result.url.endswith("/b")
    assert result.body.read() == CSV
    server.route("/loop", 302, {"Location": "/loop"})
    with pytest.raises(OutboundError) as caught:
        fetch(server.url("/loop"), max_redirects=3)
    assert caught.value.code == "too_many_redirects"
    assert len([seen for seen in server.requests if seen.path == "/loop"]) == 4


def test_conditional_request_not_modified(operator_allows_local, server):
    def answer(request):
        if request.headers.get("If-None-Match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {"ETag": '"v1"', "Last-Modified": "Tue, 24 Nov 2026 10:00:00 GMT"}, CSV

    server.handle("/d.csv", answer)
    first = fetch(server.url("/d.csv"))
    assert not first.not_modified and first.last_modified == "Tue, 24 Nov 2026 10:00:00 GMT"
    second = fetch(server.url("/d.csv"), etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.body is None
    assert server.requests[1].headers["If-Modified-Since"] == "Tue, 24 Nov 2026 10:00:00 GMT"


def test_size_limit_declared_and_streamed(operator_allows_local, server):
    big = b"x" * 5000
    server.route("/declared", 200, {}, big)
    with pytest.raises(OutboundError) as caught:
        fetch(server.url("/declared"), max_bytes=1000)
    assert caught.value.code == "too_large"
    assert "limit" in caught.value.user_message

    def chunked(request):
        request.send_response(200)
        request.send_header("Transfer-Encoding", "chunked")
        request.end_headers()
        for _ in range(10):
            request.wfile.write(b"3e8\r\n" + b"y" * 1000 + b"\r\n")
        request.wfile.write(b"0\r\n\r\n")
        request.close_connection = True
        return None

    server.handle("/streamed", chunked)
    with pytest.raises(OutboundError) as caught:
        fetch(server.url("/streamed"), max_bytes=2500)
    assert caught.value.code == "too_large"


def test_http_error_and_timeout(operator_allows_local, server):
    server.route("/gone", 404, {}, b"no")
    with pytest.raises(OutboundError) as caught:
        fetch(server.url("/gone"))
    assert caught.value.code == "http_status" and caught.value.status == 404
    assert "404" in caught.value.user_message

    release = threading.Event()

    def slow(request):
        release.wait(5)
        return 200, {}, CSV

    server.handle("/slow", slow)
    try:
        with pytest.raises(OutboundError) as caught:
            fetch(server.url("/slow"), timeout=0.3)
    finally:
        release.set()
    assert caught.value.code == "timeout"
    assert "did not answer in time" in caught.value.user_message


def test_bad_addresses():
    for url in ("ftp://example.org/x", "file:///etc/passwd", "http://user:pw@example.org/", "not a url"):
        with pytest.raises(OutboundError) as caught:
            fetch(url)
        assert caught.value.code == "invalid_url"


def test_unknown_host(fake_dns):
    with pytest.raises(OutboundError) as caught:
        fetch("http://nowhere.example.org/x.csv")
    assert caught.value.code in ("dns", "connect")


def test_check_link(operator_allows_local, server, settings):
    server.route("/ok", 200, {}, b"")
    assert check_link(server.url("/ok")).ok
    assert server.requests[-1].method == "HEAD"

    def no_head(request):
        if request.command == "HEAD":
            return 405, {}, b""
        return 206, {}, b"a"

    server.handle("/nohead", no_head)
    assert check_link(server.url("/nohead")).ok
    assert server.requests[-1].method == "GET" and server.requests[-1].headers["Range"] == "bytes=0-0"
    server.route("/missing", 404, {}, b"")
    broken = check_link(server.url("/missing"))
    assert not broken.ok and broken.status == 404
    settings.OUTBOUND_ALLOWED_HOSTS = []
    refused = check_link(server.url("/ok"), only_hosts=["127.0.0.1"])
    assert not refused.ok and "internal address" in refused.message
