"""Every public page type of the demo portal fits the screen: at 360 px (the smallest phone the
portal promises to serve) and at 1366 px nothing slides sideways, tables scroll inside their
own box, and axe-core finds nothing serious at either width. A full-page screenshot of each
page at each width is left in the artifacts folder for review.

Pages that need an identifier (a dataset, a work, a process...) are reached the way a citizen
reaches them: the first matching link on a listing page."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from .checks import ARTIFACTS, check_accessibility, skip_without_chromium

pytestmark = [pytest.mark.browser, skip_without_chromium]

WIDTHS = (360, 1366)
G = "/g/manabi"
# The demo's participatory budget gathering supports now (participation/demo.py).
PB = f"{G}/participacion/presupuesto-participativo-{dt.date.today().year + 1}"
# The demo's finished participatory budget is last year's.
PB_LAST = f"{G}/participacion/presupuesto-participativo-{dt.date.today().year - 1}/presupuestos/"

# (label, path) or (label, (listing path, regular expression of the link to follow)).
PAGE_TYPES = [
    ("platform home", "/"),
    ("government home", f"{G}/"),
    ("canton home", "/g/portoviejo/"),
    ("authorities", f"{G}/institucion/autoridades/"),
    ("authority", (f"{G}/institucion/autoridades/", r"/institucion/autoridades/[\w-]+/$")),
    ("org chart", f"{G}/institucion/organigrama/"),
    ("unit", (f"{G}/institucion/organigrama/", r"/institucion/unidades/[\w-]+/$")),
    ("agenda month", f"{G}/institucion/agenda/"),
    ("agenda list", f"{G}/institucion/agenda/lista/"),
    ("agenda event", (f"{G}/institucion/agenda/lista/", r"/institucion/agenda/eventos/[\w-]+/$")),
    ("catalog", f"{G}/datos/"),
    ("catalog statistics", f"{G}/datos/estadisticas/"),
    ("dataset", (f"{G}/datos/", r"/datos/conjuntos/[\w-]+/$")),
    ("resource table", (f"{G}/datos/conjuntos/obras-publicas-2025/", r"/datos/recursos/\d+/tabla/$")),
    ("resource chart", (f"{G}/datos/conjuntos/obras-publicas-2025/", r"/datos/recursos/\d+/grafico/$")),
    ("resource map of points", (f"{G}/datos/conjuntos/puntos-wifi/", r"/datos/recursos/\d+/mapa/$")),
    ("resource province grid", (f"{G}/datos/conjuntos/llegadas-turistas-2025/", r"/datos/recursos/\d+/mapa/$")),
    (
        "resource document preview",
        (f"{G}/datos/conjuntos/ejecucion-presupuestaria-2025/", r"/datos/recursos/\d+/vista/$"),
    ),
    ("resource versions", (f"{G}/datos/conjuntos/obras-publicas-2025/", r"/datos/recursos/\d+/versiones/$")),
    ("data requests", f"{G}/datos/solicitudes/"),
    ("data request", (f"{G}/datos/solicitudes/", r"/datos/solicitudes/\d+/$")),
    ("budget", f"{G}/presupuesto/"),
    ("budget comparison", f"{G}/presupuesto/comparar/"),
    ("budget expense", (f"{G}/presupuesto/", r"/presupuesto/\d{4}/gastos/$")),
    ("budget income", (f"{G}/presupuesto/", r"/presupuesto/\d{4}/ingresos/$")),
    ("budget curve", (f"{G}/presupuesto/", r"/presupuesto/\d{4}/curva/$")),
    ("budget lines", (f"{G}/presupuesto/", r"/presupuesto/\d{4}/partidas/$")),
    ("budget line", ((f"{G}/presupuesto/", r"/presupuesto/\d{4}/partidas/$"), r"/partidas/[^/?]+/$")),
    ("works", f"{G}/obras/"),
    ("works planning", f"{G}/obras/planificacion/"),
    ("work", (f"{G}/obras/", r"^/g/manabi/obras/(?!planificacion/|gestion/)[\w-]+/$")),
    ("geovisor", f"{G}/geovisor/"),
    ("layers", f"{G}/geovisor/capas/"),
    ("layer", (f"{G}/geovisor/capas/", r"/geovisor/capas/[\w-]+/$")),
    ("OGC API landing", f"{G}/geovisor/ogc/"),
    ("contracting search", f"{G}/contratacion/"),
    ("contracting search with a query", f"{G}/contratacion/?q=mantenimiento"),
    ("contracting process", (f"{G}/contratacion/", r"/contratacion/procesos/[^/]+/$")),
    ("suppliers", f"{G}/contratacion/proveedores/"),
    ("supplier", (f"{G}/contratacion/proveedores/", r"/contratacion/proveedores/\d+/$")),
    ("buyers", f"{G}/contratacion/compradores/"),
    ("buyer", (f"{G}/contratacion/compradores/", r"/contratacion/compradores/\d+/$")),
    ("contracting flags", f"{G}/contratacion/alertas/"),
    ("participation", f"{G}/participacion/"),
    (
        "participatory process",
        (f"{G}/participacion/", r"^/g/manabi/participacion/(?!gestion/|eventos/|veedurias/)[\w-]+/$"),
    ),
    ("participatory events", f"{G}/participacion/eventos/"),
    ("participatory event", (f"{G}/participacion/eventos/", r"^/g/manabi/participacion/eventos/demo-[\w-]+/$")),
    ("oversight committees", f"{G}/participacion/veedurias/"),
    ("oversight committee", (f"{G}/participacion/veedurias/", r"^/g/manabi/participacion/veedurias/[\w-]+/$")),
    ("process results", f"{G}/participacion/presupuesto-participativo-{dt.date.today().year - 1}/resultados/"),
    (
        "process result",
        (
            f"{G}/participacion/presupuesto-participativo-{dt.date.today().year - 1}/resultados/",
            r"/resultados/\d+/$",
        ),
    ),
    ("survey", f"{G}/participacion/consulta-movilidad/encuestas/prioridades-de-movilidad/"),
    ("survey results", f"{G}/participacion/consulta-movilidad/encuestas/prioridades-de-movilidad/resultados/"),
    ("proposal list", f"{PB}/propuestas/"),
    ("proposal", (f"{PB}/propuestas/", r"/propuestas/\d+/$")),
    ("proposal map", f"{PB}/propuestas/mapa/"),
    ("participatory budgets", PB_LAST),
    ("participatory budget", (PB_LAST, r"/presupuestos/(?!proyectos/)[\w-]+/$")),
    ("participatory budget results", (PB_LAST, r"/presupuestos/[\w-]+/resultados/$")),
    ("council", f"{G}/concejo/"),
    ("council member", (f"{G}/concejo/", r"/concejo/miembros/[\w-]+/$")),
    ("council committee", (f"{G}/concejo/", r"/concejo/comisiones/[\w-]+/$")),
    ("council acts", f"{G}/concejo/actos/"),
    ("council act", f"{G}/concejo/actos/po-2026-003/"),
    ("council act changes", f"{G}/concejo/actos/po-2026-003/cambios/?de=1&a=3"),
    ("council sessions", f"{G}/concejo/sesiones/"),
    ("council session", (f"{G}/concejo/sesiones/", r"/concejo/sesiones/(?!feed/)[\w-]+/$")),
    ("council member votes", f"{G}/concejo/miembros/jorge-intriago-mera/votaciones/"),
    ("council article", f"{G}/concejo/actos/po-2026-005/articulos/1/"),
    ("council silla vacia registry", f"{G}/concejo/silla-vacia/"),
    ("council silla vacia explained", f"{G}/concejo/silla-vacia/que-es/"),
    ("council effectiveness", f"{G}/concejo/efectividad/"),
    ("search", f"{G}/buscar/?q=agua"),
    ("search without results", f"{G}/buscar/?q=zzzxqv"),
    ("API docs", f"{G}/api/v1/docs/"),
    ("audit chain heads", "/auditoria/cabezas/"),
    ("sign in", f"{G}/cuenta/ingresar/"),
    ("sign up", f"{G}/cuenta/registro/"),
    ("password reset", f"{G}/cuenta/clave/olvido/"),
]

# Elements wider than the screen that no scrolling or clipping box holds: the culprits.
_OFFENDERS = """(width) => {
  const clips = (el) => { const s = getComputedStyle(el); return s.overflowX !== 'visible'; };
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    const rect = el.getBoundingClientRect();
    if (rect.right <= width + 0.5) continue;
    let held = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (clips(a)) { held = true; break; }
    }
    if (held) continue;
    const parent = el.parentElement;
    const parentRect = parent ? parent.getBoundingClientRect() : null;
    if (parentRect && parent !== document.body && parentRect.right > width + 0.5) continue;
    const path = [];
    for (let a = el; a && a !== document.body && path.length < 4; a = a.parentElement) path.unshift(describe(a));
    found.push(path.join(' > ') + ` [${Math.round(rect.left)}..${Math.round(rect.right)} px]`);
    if (found.length >= 8) break;
  }
  return found;
}"""


def _links(page, pattern: str) -> list[str]:
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(a => a.getAttribute('href'))")
    regex = re.compile(pattern)
    seen = []
    for href in hrefs:
        path = href.split("#")[0]
        if regex.search(path.split("?")[0]) and path not in seen:
            seen.append(path)
    return seen


def _resolve(page, spec) -> str:
    """The address of one page of this type: a fixed path, or the first matching link on a
    listing (which may itself be reached through a link)."""
    if isinstance(spec, str):
        return spec
    start, pattern = spec
    listing = _resolve(page, start)
    page.goto(listing)
    found = _links(page, pattern)
    assert found, f"no link matching {pattern} on {listing}"
    return found[0]


def assert_fits(page, width: int, label: str) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        offenders = page.evaluate(_OFFENDERS, width)
        pytest.fail(
            f"{label} ({page.url}) scrolls sideways at {width} px: the page is {scroll_width} px wide. "
            "Wider than the screen:\n  " + "\n  ".join(offenders or ["(no single element found)"])
        )


def _settle(page) -> None:
    """Wait until the page looks as a citizen sees it once it is done: lazy images below the
    fold loaded (a full-page screenshot does not scroll to them) and the map islands drawn
    (they fetch their features and base map after the load event)."""
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach((img) => { img.loading = 'eager'; })")
    page.wait_for_load_state("networkidle")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@pytest.mark.parametrize(("label", "spec"), PAGE_TYPES, ids=[label for label, _ in PAGE_TYPES])
def test_page_fits_the_screen_and_is_accessible(page, label, spec):
    # Chromium's PDF viewer would load its own chrome:// files, which the recorder counts as
    # leaving the machine: a document preview is checked with the document left blank.
    page.route("**/archivo/", lambda route: route.fulfill(status=200, content_type="text/plain", body=""))
    path = _resolve(page, spec)
    failures = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        response = page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
        page.wait_for_load_state("load")
        _settle(page)
        page.screenshot(path=ARTIFACTS / f"fit-{_slug(label)}-{width}px.png", full_page=True)
        check_accessibility(page, f"{label} {width}px")
        try:
            assert_fits(page, width, label)
        except pytest.fail.Exception as error:
            failures.append(str(error))
    if failures:
        pytest.fail("\n".join(failures))


def test_every_resource_table_fits(page):
    """Every table a dataset of the demo catalog offers, not just the first: wide tables
    (many columns, long values) are the ones that used to push the page sideways."""
    page.goto(f"{G}/datos/")
    tables = []
    for dataset in _links(page, r"/datos/conjuntos/[\w-]+/$"):
        page.goto(dataset)
        tables += [t for t in _links(page, r"/datos/recursos/\d+/tabla/$") if t not in tables]
    assert len(tables) >= 3, tables
    failures = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for table in tables:
            page.goto(table)
            try:
                assert_fits(page, width, "resource table")
            except pytest.fail.Exception as error:
                failures.append(str(error))
    if failures:
        pytest.fail("\n".join(failures))
