"""No dead internal link: a bounded crawl of the public pages of the demo portal (the platform
home and every demo government, in Spanish and in English) follows every internal link it
finds and fails on any that does not answer 200, directly or through redirects that end on a
page that answers 200 (a back-office page sends a visitor to the sign-in page).

The crawl is bounded by address shape (the view that serves it, per government): only a few
addresses of each shape are visited, so thousands of contracting processes cost as much as
three. It uses plain HTTP (no browser) against the same
gunicorn-served portal as the browser journeys."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve

pytestmark = pytest.mark.slow

LANGUAGES = ("es", "en")
PER_SHAPE = 2  # addresses visited per shape (see _shape)
PER_PATH = 2  # query-string variants of one path (facets, sorting, pages)
MAX_FETCHES = 1500  # per language: a safety net, far above what the demo needs
# Links a crawler must not follow: signing out and the language switch act on the session,
# and a feed or download is checked for its status but never parsed.
SKIP = re.compile(r"/cuenta/salir/|/idioma/")
PAGE_TYPES = ("text/html",)
PREFIX = re.compile(r"^/g/(?P<slug>[-a-z0-9]+)(?P<rest>/.*)?$")  # as the tenancy middleware reads it
GOVERNMENT_URLCONF = settings.GOVERNMENT_URLCONF


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _shape(path: str) -> str:
    """The view that serves an address, per government: every contracting process is one
    shape, so is every resource table; an address no view serves is a shape of its own."""
    match = PREFIX.match(path)
    urlconf, rest, owner = (GOVERNMENT_URLCONF, match["rest"] or "/", match["slug"]) if match else (None, path, "")
    try:
        return f"{owner}:{resolve(rest, urlconf).view_name}"
    except Resolver404:
        return path


class Crawler:
    def __init__(self, base_url: str, language: str):
        self.base = base_url.rstrip("/")
        self.host = urlsplit(base_url).netloc
        self.language = language
        self.opener = urllib.request.build_opener(_NoRedirect)
        self.shapes: Counter[str] = Counter()
        self.paths: Counter[str] = Counter()
        self.seen: set[str] = set()
        self.broken: list[str] = []
        self.fetched = 0

    def _get(self, url: str) -> tuple[int, str, str, bytes]:
        request = urllib.request.Request(url, headers={"Accept-Language": self.language})  # noqa: S310 - the local portal
        try:
            with self.opener.open(request, timeout=60) as response:
                kind = response.headers.get("Content-Type", "")
                body = response.read() if kind.startswith(PAGE_TYPES) else b""
                return response.status, response.headers.get("Location", ""), kind, body
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), "", b""

    def fetch(self, url: str) -> tuple[int, str, bytes, list[str]]:
        """Status at the end of the redirects, the final address, the body (pages only) and
        the chain of redirects."""
        chain = []
        for _ in range(5):
            status, location, kind, body = self._get(url)
            if status in {301, 302, 303, 307, 308} and location:
                chain.append(f"{status} -> {location}")
                url = urljoin(url, location)
                if urlsplit(url).netloc != self.host:
                    # Out of the portal (a remote source's own address): its redirect is the
                    # answer; what the other site says is not this portal's link to check.
                    return status, url, b"", chain
                continue
            return status, url, body if kind.startswith(PAGE_TYPES) else b"", chain
        return 0, url, b"", chain + ["too many redirects"]

    def internal(self, href: str, page: str) -> str | None:
        href = href.strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            return None
        parts = urlsplit(urljoin(page, href))
        if parts.scheme not in {"http", "https"} or parts.netloc != self.host:
            return None
        if SKIP.search(parts.path):
            return None
        return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))

    def admit(self, url: str) -> bool:
        if url in self.seen:
            return False
        path = urlsplit(url).path
        if self.paths[path] >= PER_PATH or self.shapes[_shape(path)] >= PER_SHAPE * PER_PATH:
            return False
        if self.paths[path] == 0 and self.shapes[_shape(path)] >= PER_SHAPE:
            return False
        self.seen.add(url)
        self.paths[path] += 1
        self.shapes[_shape(path)] += 1
        return True

    def crawl(self, starts: list[str]) -> None:
        queue: deque[tuple[str, str]] = deque()
        for start in starts:
            url = self.base + start
            if self.admit(url):
                queue.append((url, "(start)"))
        with ThreadPoolExecutor(max_workers=4) as pool:
            while queue and self.fetched < MAX_FETCHES:
                batch = [queue.popleft() for _ in range(min(len(queue), 8))]
                results = pool.map(lambda item: (item, self.fetch(item[0])), batch)
                for (url, referrer), (status, final, body, chain) in results:
                    self.fetched += 1
                    if status != 200 and urlsplit(final).netloc == self.host:
                        via = f" via {', '.join(chain)}" if chain else ""
                        self.broken.append(f"{status} {url}{via} (linked from {referrer})")
                        continue
                    # Only pages of the portal are read for links; a redirect to sign in is not.
                    if not body or "/cuenta/ingresar/" in final and "/cuenta/ingresar/" not in url:
                        continue
                    parser = _Links()
                    parser.feed(body.decode("utf-8", errors="replace"))
                    for href in parser.hrefs:
                        link = self.internal(href, final)
                        if link and self.admit(link):
                            queue.append((link, url))
        assert self.fetched < MAX_FETCHES, f"the crawl did not finish within {MAX_FETCHES} addresses"


DEMO_GOVERNMENTS = {"manabi", "portoviejo", "manta"}


def _governments(base_url: str) -> list[str]:
    """The governments the platform home links to, and every demo government: one with an
    approved host of its own (a journey gives Manta one) is linked at that host, which this
    crawl cannot reach, while its /g/ address still serves it."""
    with urllib.request.urlopen(base_url + "/", timeout=30) as response:  # noqa: S310 - the local portal
        html = response.read().decode("utf-8")
    linked = set(re.findall(r'href="/g/([\w-]+)/"', html))
    assert len(linked) >= 2, linked
    return sorted(linked | DEMO_GOVERNMENTS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_internal_link_answers(portal, language):
    governments = _governments(portal)
    crawler = Crawler(portal, language)
    crawler.crawl(["/", "/auditoria/cabezas/"] + [f"/g/{slug}/" for slug in governments])
    assert crawler.fetched > 100 * len(governments) // 3, f"only {crawler.fetched} addresses were reached"
    assert not crawler.broken, f"{len(crawler.broken)} broken internal links ({language}):\n  " + "\n  ".join(
        crawler.broken
    )
