"""Public pages through HTTP: the org chart (tree and pop-up markup), unit pages, the
authorities gallery, the agenda (month, list, filters, event page). Private events, hidden
units and unpublished authorities never show."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from minga.core.tenancy.scoping import government_scope
from minga.core.tenancy.services import government_set_module_settings
from minga.core.testing import gov_url

from .. import services
from . import factories
from .conftest import aware

pytestmark = pytest.mark.django_db


@pytest.fixture
def chart(government):
    top = factories.unit(government, name="Prefectura", slug="prefectura", kind="executive")
    head = factories.authority(government, name="Rosa Intriago Mero", slug="rosa", position="Prefecta", unit=top)
    with government_scope(government):
        top = services.unit_update(actor=None, government=government, unit=top, head=head)
    works = factories.unit(
        government,
        name="Dirección de Obras Públicas",
        slug="obras",
        parent=top,
        description="Construye la red vial.",
        functions="Mantener vías\nConstruir puentes",
        email="obras@example.org",
    )
    hidden = factories.unit(government, name="Unidad Reservada", slug="reservada", parent=top, is_public=False)
    factories.unit(government, name="Subunidad Oculta", slug="oculta", parent=hidden)
    return {"top": top, "works": works, "hidden": hidden, "head": head}


def test_orgchart_is_a_drawn_tree_with_pop_ups_and_keeps_the_nested_list(client, government, chart):
    response = client.get(gov_url(government, "institution:orgchart"))
    assert response.status_code == 200
    html = response.content.decode()
    # The drawing: one SVG link per unit (its only tab stop), boxes and connector lines.
    svg = html[html.index('<svg class="orgchart-svg"') : html.index("</svg>")]
    assert svg.count('<a class="orgchart-box') == 2
    assert 'id="orgchart-box-prefectura"' in svg and 'id="orgchart-box-obras"' in svg
    assert f'href="{gov_url(government, "institution:unit_detail", slug="obras")}"' in svg
    assert svg.count("<rect") == 4 and '<g class="orgchart-lines" aria-hidden="true"><path d="M' in svg
    assert "Rosa Intriago Mero" in svg  # the head's name in the box
    assert 'data-level="1"' in svg and 'data-level="2"' in svg
    assert 'tabindex="-1"' not in svg
    # Each box has a pop-up (non-modal dialog), hidden until the script shows it.
    assert re.search(r'<div class="orgchart-pop" id="orgchart-pop-obras" role="dialog"[^>]*hidden>', html)
    assert 'data-pop="orgchart-pop-obras"' in html
    assert "Construye la red vial." in html
    assert "orgchart-pop-link" in html
    assert "institution/js/orgchart.js" in html and "<script>" not in html and "style=" not in html
    # The nested list stays, for screen readers and pages without the script.
    assert 'id="orgchart"' in html
    top_start = html.index('id="orgchart-unit-prefectura"')
    works_at = html.index('id="orgchart-unit-obras"')
    assert top_start < works_at and '<ul class="orgchart-children">' in html[top_start:works_at]
    # Hidden units and their subtree are not in the chart.
    assert "Unidad Reservada" not in html and "Subunidad Oculta" not in html


def test_unit_page(client, government, chart):
    event = factories.event(government, title="Inspección del puente", unit=chart["works"])
    factories.event(government, title="Reunión privada de obras", unit=chart["works"], visibility="private")
    factories.authority(government, name="Luis Loor Vera", unit=chart["works"], position="Director")
    factories.authority(government, name="Borrador Sin Publicar", unit=chart["works"], is_published=False)
    response = client.get(gov_url(government, "institution:unit_detail", slug="obras"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mantener vías" in html and "Construir puentes" in html and "obras@example.org" in html
    assert "Luis Loor Vera" in html and "Borrador Sin Publicar" not in html
    assert event.title in html and "Reunión privada de obras" not in html
    assert "Prefectura" in html  # breadcrumb to the parent
    top = client.get(gov_url(government, "institution:unit_detail", slug="prefectura")).content.decode()
    assert "Rosa Intriago Mero" in top and "Dirección de Obras Públicas" in top and "Unidad Reservada" not in top


def test_hidden_unit_page_is_404(client, government, chart):
    assert client.get(gov_url(government, "institution:unit_detail", slug="reservada")).status_code == 404
    assert client.get(gov_url(government, "institution:unit_detail", slug="no-existe")).status_code == 404


def test_gallery_separates_current_and_past_authorities(client, government):
    today = timezone.localdate()
    factories.authority(government, name="Actual Persona", term_start=today - dt.timedelta(days=300))
    factories.authority(
        government,
        name="Pasada Persona",
        term_start=today - dt.timedelta(days=2000),
        term_end=today - dt.timedelta(days=400),
    )
    factories.authority(government, name="Oculta Persona", is_published=False)
    html = client.get(gov_url(government, "institution:authorities")).content.decode()
    current = html[html.index('id="authorities-current"') : html.index('id="authorities-past"')]
    past = html[html.index('id="authorities-past"') :]
    assert "Actual Persona" in current and "Pasada Persona" not in current
    assert "Pasada Persona" in past
    assert "Oculta Persona" not in html
    government_set_module_settings(
        actor=None, government=government, module="institution", values={"show_past_authorities": False}
    )
    html = client.get(gov_url(government, "institution:authorities")).content.decode()
    assert "Pasada Persona" not in html and 'id="authorities-past"' not in html


def test_authority_page_shows_biography_declarations_and_subscribe_link(client, government):
    authority = factories.authority(
        government, name="Carmen Zambrano Pico", slug="carmen", biography="Primer párrafo.\n\nSegundo <b>párrafo</b>."
    )
    with government_scope(government):
        services.declaration_create(
            actor=None,
            government=government,
            authority=authority,
            title="Declaración de inicio",
            url="https://www.contraloria.gob.ec/",
            year=2023,
        )
    html = client.get(gov_url(government, "institution:authority_detail", slug="carmen")).content.decode()
    assert "<p>Primer párrafo.</p>" in html and "&lt;b&gt;párrafo&lt;/b&gt;" in html
    assert "Declaración de inicio" in html and "https://www.contraloria.gob.ec/" in html
    assert re.search(
        r'id="agenda-subscribe"[^>]*href="webcal://testserver/g/manabi/institucion/autoridades/carmen/agenda.ics"', html
    )
    hidden = factories.authority(government, slug="borrador", is_published=False)
    assert client.get(gov_url(government, "institution:authority_detail", slug=hidden.slug)).status_code == 404


def test_month_view_is_a_table_with_month_navigation(client, government):
    factories.event(
        government, title="Sesión ordinaria", starts_at=aware(2026, 3, 12, 10), ends_at=aware(2026, 3, 12, 12)
    )
    factories.event(
        government, title="Feria de tres días", starts_at=aware(2026, 3, 30, 9), ends_at=aware(2026, 4, 1, 18)
    )
    factories.event(government, title="Reunión privada", starts_at=aware(2026, 3, 13, 9), visibility="private")
    response = client.get(gov_url(government, "institution:agenda") + "?mes=2026-03")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<table class="agenda-month"' in html and '<th scope="col">' in html
    assert "Sesión ordinaria" in html and "Reunión privada" not in html
    assert html.count("Feria de tres días") == 3  # 30, 31 March and 1 April (shown in the last week)
    assert "mes=2026-02" in html and "mes=2026-04" in html
    assert 'id="agenda-subscribe"' in html
    december = client.get(gov_url(government, "institution:agenda") + "?mes=2025-12").content.decode()
    assert "mes=2026-01" in december and "mes=2025-11" in december and "Sesión ordinaria" not in december
    # Nonsense months fall back to the current month instead of failing.
    for value in ("2026-13", "abc", "2026-3", "99999-01"):
        assert client.get(gov_url(government, "institution:agenda") + f"?mes={value}").status_code == 200


def test_list_view_upcoming_first_then_past_and_filters(client, government):
    now = timezone.now()
    mayor = factories.authority(government, slug="alcaldesa", name="Alcaldesa Prueba")
    works = factories.unit(government, slug="obras", name="Obras")
    factories.event(
        government, title="Próxima con alcaldesa", authorities=[mayor], starts_at=now + dt.timedelta(days=3)
    )
    factories.event(government, title="Próxima de obras", unit=works, starts_at=now + dt.timedelta(days=5))
    factories.event(government, title="Pasada con alcaldesa", authorities=[mayor], starts_at=now - dt.timedelta(days=5))
    factories.event(government, title="Privada futura", starts_at=now + dt.timedelta(days=2), visibility="private")
    html = client.get(gov_url(government, "institution:agenda_list")).content.decode()
    upcoming = html[html.index('id="agenda-upcoming"') : html.index('id="agenda-past"')]
    past = html[html.index('id="agenda-past"') :]
    assert "Próxima con alcaldesa" in upcoming and "Próxima de obras" in upcoming
    assert upcoming.index("Próxima con alcaldesa") < upcoming.index("Próxima de obras")
    assert "Pasada con alcaldesa" in past and "Privada futura" not in html
    by_authority = client.get(gov_url(government, "institution:agenda_list") + "?autoridad=alcaldesa").content.decode()
    assert "Próxima con alcaldesa" in by_authority and "Próxima de obras" not in by_authority
    assert "autoridades/alcaldesa/agenda.ics" in by_authority  # subscribe to that authority's feed
    by_unit = client.get(gov_url(government, "institution:agenda_list") + "?unidad=obras").content.decode()
    assert "Próxima de obras" in by_unit and "Próxima con alcaldesa" not in by_unit
    # Unknown parameters are ignored, never passed to the database.
    loose = client.get(gov_url(government, "institution:agenda_list") + "?starts_at__gte=1").content.decode()
    assert "Próxima de obras" in loose
    # An authority that is not published matches nothing (as in the API), and the page says why.
    unknown = client.get(gov_url(government, "institution:agenda_list") + "?autoridad=x").content.decode()
    assert "Próxima de obras" not in unknown and 'id="agenda-filter-errors"' in unknown
    assert "Ninguna autoridad publicada tiene este identificador." in unknown


def test_event_page_and_private_event_404(client, government):
    event = factories.event(government, title="Audiencia pública", location="Coliseo", status="cancelled")
    private = factories.event(government, title="Privada", visibility="private")
    html = client.get(gov_url(government, "institution:event_detail", uid=event.uid)).content.decode()
    assert "Audiencia pública" in html and "Coliseo" in html and "event-status-cancelled" in html
    assert client.get(gov_url(government, "institution:event_detail", uid=private.uid)).status_code == 404


def test_private_events_never_appear_publicly(client, government):
    title = "Reunión secreta del gabinete"
    private = factories.event(government, title=title, visibility="private")
    month = private.starts_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m")
    pages = [
        gov_url(government, "institution:agenda") + f"?mes={month}",
        gov_url(government, "institution:agenda_list"),
        gov_url(government, "institution:agenda_ics"),
        gov_url(government, "institution-api:events"),
        f"/g/{government.slug}/",
        f"/g/{government.slug}/novedades.atom",
        f"/g/{government.slug}/buscar/?q=secreta",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert title not in response.content.decode(), page


def test_home_page_shows_stats_and_updates(client, government, chart):
    factories.event(government, title="Feria productiva")
    html = client.get(f"/g/{government.slug}/").content.decode()
    assert "Feria productiva" in html and "Dirección de Obras Públicas" in html
