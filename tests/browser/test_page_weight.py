"""Page budget (ARCHITECTURE §6): at most 100 KB of HTML+CSS+JS, compressed, for each public
page, and nothing fetched from anywhere but the portal itself. Sizes, not timings."""

from __future__ import annotations

import pytest

from .checks import ARTIFACTS, PAGE_BUDGET_BYTES, format_weight, page_weight, skip_without_chromium

pytestmark = [pytest.mark.browser, skip_without_chromium]

COUNTED = {"document", "stylesheet", "script"}
PAGES = [
    "/",
    "/g/manabi/",
    "/g/manabi/buscar/?q=manabi",
    "/g/manabi/institucion/organigrama/",
    "/g/manabi/institucion/autoridades/",
    "/g/manabi/institucion/agenda/",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_budget_and_no_third_party(page, path):
    resources = page_weight(page, path)
    report = format_weight(path, resources, COUNTED)
    slug = "".join(ch if ch.isalnum() else "-" for ch in path.strip("/")) or "platform-home"
    (ARTIFACTS / f"weight-{slug}.txt").write_text(report + "\n", encoding="utf-8")
    print(report)
    assert any(r.kind == "document" and r.status == 200 for r in resources), report
    assert not page.recorder.foreign_requests(), report
    total = sum(r.compressed_bytes for r in resources if r.kind in COUNTED)
    assert total <= PAGE_BUDGET_BYTES, (
        f"{path} weighs {total} B compressed, over the {PAGE_BUDGET_BYTES} B budget\n{report}"
    )
