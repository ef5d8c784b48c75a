"""The public shell: security headers, CSP, language, formats, Atom feed."""

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import formats, translation

pytestmark = pytest.mark.django_db


def test_security_headers_and_strict_csp(client, government):
    response = client.get(f"/g/{government.slug}/")
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_scripts_or_styles(client, government):
    body = client.get(f"/g/{government.slug}/").content.decode()
    assert "<script>" not in body and "style=" not in body and "<style" not in body
    assert 'class="skip-link" href="#main"' in body and '<main id="main"' in body


def test_spanish_is_the_default_and_english_is_one_click_away(client, government):
    home = f"/g/{government.slug}/"
    assert '<html lang="es">' in client.get(home).content.decode()
    response = client.post(f"{home}idioma/", {"language": "en", "next": home})
    assert response.status_code == 302 and response["Location"] == home
    assert '<html lang="en">' in client.get(home).content.decode()


def test_ecuadorian_number_date_and_money_formats():
    template = Template("{% load minga %}{{ amount|usd }}|{{ day|date:'SHORT_DATE_FORMAT' }}")
    context = Context({"amount": Decimal("8382262.26"), "day": dt.date(2021, 11, 5)})
    with translation.override("es"):
        assert template.render(context) == "USD 8.382.262,26|05/11/2021"
        assert formats.number_format(Decimal("1234.5"), 2, use_l10n=True, force_grouping=True) == "1.234,50"
    with translation.override("en"):
        assert template.render(context) == "USD 8,382,262.26|05/11/2021"


def test_theme_stylesheet_carries_the_government_colours(client, government):
    government.primary_colour = "#123456"
    government.save()
    response = client.get(f"/g/{government.slug}/tema.css")
    assert response["Content-Type"].startswith("text/css")
    assert "--brand:#123456" in response.content.decode()


def test_atom_feed_is_valid_xml(client, government):
    response = client.get(f"/g/{government.slug}/novedades.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert government.name in root.find("{http://www.w3.org/2005/Atom}title").text


def test_unknown_page_is_a_friendly_404(client, government):
    response = client.get(f"/g/{government.slug}/no-existe/")
    assert response.status_code == 404
    assert "<main" in response.content.decode()


def test_main_bar_keeps_one_entry_a_module_and_its_other_pages_show_on_its_own_pages(client, government):
    """Secondary public pages of a module (NavEntry.section) leave the main bar for a row of
    the module's sections, shown on the module's public pages only; the module's entry in the
    main bar is marked as the current section there."""
    from lxml import html

    def navs(path):
        page = html.fromstring(client.get(f"/g/{government.slug}{path}").content)
        bar_links = page.xpath('//nav[@class="main-nav"]//ul[@class="nav-bar"]//a')
        bar = [a.text_content().strip() for a in bar_links]
        current = [a.text_content().strip() for a in bar_links if a.get("aria-current")]
        sections = page.xpath('//nav[@class="section-nav"]')
        row_links = page.xpath('//nav[@class="section-nav"]//a')
        row = [a.text_content().strip() for a in row_links]
        here = [a.text_content().strip() for a in row_links if a.get("aria-current") == "page"]
        label = sections[0].get("aria-label") if sections else None
        return bar, current, row, here, label

    bar, current, row, _here, _label = navs("/")
    assert "Datos abiertos" in bar and "Solicitudes de datos" not in bar
    assert current == ["Inicio"] and row == []
    bar, current, row, here, label = navs("/datos/solicitudes/")
    assert "Solicitudes de datos" not in bar and current == ["Datos abiertos"]
    assert row[:2] == ["Datos abiertos", "Solicitudes de datos"] and here == ["Solicitudes de datos"]
    assert label == "Datos abiertos"
