"""What every browser journey checks: axe-core on each page visited, where requests go, CSP
and script errors, and the page budget (HTML+CSS+JS compressed)."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_PATH = HERE / "vendor" / "axe.min.js"  # fetched by `minga fetch_assets`, not committed
ARTIFACTS = HERE / "artifacts"  # screenshots and reports of the last run, not committed
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}
PAGE_BUDGET_BYTES = 100_000  # ARCHITECTURE: <= 100 KB compressed HTML+CSS+JS per public page
LOCAL_HOSTS = {"127.0.0.1"}
BROWSER_OWN_REQUESTS = {"/favicon.ico"}  # asked for by Chromium itself, not by the page
# Uploaded files (user photos) are served by the front proxy or the object store in
# production, not by the app server these tests run; a missing one is recorded, not failed.
MEDIA_PREFIX = "/media/"

skip_without_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"browser journeys skipped: {CHROMIUM} not found (Debian: apt-get install chromium)",
)

_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html, summary: n.failureSummary})),
  }));
}"""


def check_accessibility(page, label: str) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page as it is now; fail on any
    serious or critical violation. Returns all violations (minor/moderate ones are written
    to the artifacts folder for the record).

    axe is injected with page.evaluate(), which goes through the DevTools protocol: the page's
    strict CSP (script-src 'self') does not apply to it, so the context keeps enforcing the
    CSP and no bypass_csp is needed (add_script_tag would be refused by the CSP)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_PATH.read_text(encoding="utf-8"))
    violations = page.evaluate(_AXE_RUN, AXE_TAGS)
    _record(f"axe-{_slug(label)}.json", json.dumps({"url": page.url, "violations": violations}, indent=2))
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    if failing:
        pytest.fail(
            f"axe-core found serious/critical violations on {label} ({page.url}):\n" + format_violations(failing)
        )
    return violations


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:10]:
            lines.append(f"    at {node['target']}: {node['html'][:200]}")
            for detail in (node["summary"] or "").splitlines():
                lines.append(f"      {detail}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    ... and {len(violation['nodes']) - 10} more elements")
    return "\n".join(lines)


@dataclass
class Resource:
    url: str
    kind: str  # Playwright's resource type: document, stylesheet, script, image, font, ...
    status: int
    encoding: str
    raw_bytes: int
    compressed_bytes: int


@dataclass
class PageRecorder:
    """Listens to a page: every request, failed responses, CSP violations and script errors."""

    page: object
    base_url: str
    requests: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    expected_errors: set[str] = field(default_factory=set)  # paths a test expects to fail (a 404 page)
    missing_media: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("response", self._on_response)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _on_response(self, response):
        path = urlsplit(response.url).path
        if response.status < 400 or path in BROWSER_OWN_REQUESTS or path in self.expected_errors:
            return
        if path.startswith(MEDIA_PREFIX):
            self.missing_media.append(f"{response.status} {response.url} (on {self.page.url})")
        else:
            self.failures.append(f"{response.status} {response.request.method} {response.url}")

    def _on_console(self, message):
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.console_errors.append(f"{message.text} (on {self.page.url})")

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not _is_local(url)]

    def assert_clean(self):
        if self.missing_media:
            with (ARTIFACTS / "missing-media.txt").open("a", encoding="utf-8") as log:
                log.write("\n".join(self.missing_media) + "\n")
        problems = []
        if foreign := self.foreign_requests():
            problems.append("requests left 127.0.0.1 (no CDN or third party allowed):\n  " + "\n  ".join(foreign))
        if self.failures:
            problems.append("responses with an error status:\n  " + "\n  ".join(self.failures))
        if self.console_errors:
            problems.append("console errors (CSP violations among them):\n  " + "\n  ".join(self.console_errors))
        if self.page_errors:
            problems.append("uncaught script errors:\n  " + "\n  ".join(self.page_errors))
        if problems:
            pytest.fail("\n".join(problems))


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname in LOCAL_HOSTS


def page_weight(page, path: str) -> list[Resource]:
    """Load path in the (fresh, cache-less) page and list what it transferred. Compressed
    size: the bytes on the wire when the server compressed the response (WhiteNoise does for
    static files), otherwise the body gzipped here at level 6, as any front proxy would."""
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(path, wait_until="load")
    page.wait_for_load_state("networkidle")
    resources = []
    for response in responses:
        body = response.body() if response.status < 300 else b""
        encoding = (response.headers.get("content-encoding") or "").lower()
        if encoding in {"gzip", "br", "zstd", "deflate"}:
            compressed = response.request.sizes()["responseBodySize"]
        else:
            compressed = len(gzip.compress(body, compresslevel=6, mtime=0))
        resources.append(
            Resource(
                url=response.url,
                kind=response.request.resource_type,
                status=response.status,
                encoding=encoding or "identity",
                raw_bytes=len(body),
                compressed_bytes=compressed,
            )
        )
    return resources


def format_weight(path: str, resources: list[Resource], counted: set[str]) -> str:
    lines = [f"{path}"]
    for resource in resources:
        mark = "*" if resource.kind in counted else " "
        lines.append(
            f"  {mark} {resource.kind:<10} {resource.status} {resource.encoding:<8} "
            f"{resource.raw_bytes:>8} B raw {resource.compressed_bytes:>8} B compressed  {resource.url}"
        )
    total = sum(r.compressed_bytes for r in resources if r.kind in counted)
    lines.append(f"  total counted (*) compressed: {total} B of {PAGE_BUDGET_BYTES} B")
    return "\n".join(lines)


def _slug(label: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in label.lower()).strip("-")


def _record(name: str, text: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / name).write_text(text, encoding="utf-8")


def assert_no_horizontal_scroll(page) -> None:
    """The page is no wider than the screen: nothing slides sideways."""
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways at {widths[1]} px: content is {widths[0]} px wide"
