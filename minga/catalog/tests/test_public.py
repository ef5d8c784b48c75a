"""The public catalog through HTTP: facets and counts, accent- and plural-insensitive search,
sorting, the province that lists its cantons' datasets, dataset pages with schema.org markup,
downloads and the Atom feed. Unpublished datasets never show."""

import json
import re

import pytest
from django.core.cache import cache

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import GovernmentFactory, gov_url

from ..datasets import services
from . import factories

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    return re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', response.content.decode())


@pytest.fixture
def catalog(government):
    mobility = factories.theme(government, name="Movilidad", slug="movilidad", dcat_theme="TRAN")
    budget = factories.theme(government, name="Presupuesto", slug="presupuesto", dcat_theme="ECON")
    accidents = factories.dataset(
        government,
        title="Siniestros de tránsito por cantón",
        slug="siniestros",
        summary="Accidentes registrados por la Agencia Nacional de Tránsito.",
        themes=[mobility],
        tags=["tránsito", "seguridad vial"],
        frequency="MONTHLY",
        publisher="Dirección de Movilidad",
    )
    accidents_csv = factories.resource(government, accidents, title="Siniestros 2025")
    execution = factories.dataset(
        government,
        title="Ejecución presupuestaria 2025",
        slug="ejecucion",
        summary="Información de la ejecución del presupuesto por partida.",
        themes=[budget],
        tags=["presupuesto"],
        frequency="QUARTERLY",
    )
    execution_link = factories.resource(
        government, execution, title="Enlace", kind="url", url="https://datos.example.org/ejecucion.json"
    )
    hidden = factories.dataset(
        government, title="Borrador secreto de información", slug="borrador", is_published=False, themes=[budget]
    )
    return {
        "accidents": accidents,
        "accidents_csv": accidents_csv,
        "execution": execution,
        "execution_link": execution_link,
        "hidden": hidden,
        "mobility": mobility,
        "budget": budget,
    }


def test_list_shows_published_datasets_with_facets_and_counts(client, government, catalog):
    response = client.get(gov_url(government, "catalog:dataset_list"))
    assert response.status_code == 200
    titles = _titles(response)
    assert set(titles) == {"Siniestros de tránsito por cantón", "Ejecución presupuestaria 2025"}
    facets = {f.param: {o.value: o.count for o in f.options} for f in response.context["result"].facets}
    assert facets["tema"] == {"movilidad": 1, "presupuesto": 1}
    assert facets["formato"] == {"CSV": 1, "JSON": 1}
    assert facets["frecuencia"] == {"MONTHLY": 1, "QUARTERLY": 1}
    assert facets["licencia"] == {"CC-BY-4.0": 2}
    assert facets["etiqueta"]["transito"] == 1
    assert "nivel" not in facets  # a government without child governments


def test_facet_filter_narrows_and_counts_follow(client, government, catalog):
    response = client.get(gov_url(government, "catalog:dataset_list"), {"tema": "movilidad"})
    assert _titles(response) == ["Siniestros de tránsito por cantón"]
    facets = {f.param: {o.value: o.count for o in f.options} for f in response.context["result"].facets}
    assert facets["formato"] == {"CSV": 1}
    # The theme facet itself still offers the other value, with its count.
    assert facets["tema"] == {"movilidad": 1, "presupuesto": 1}
    response = client.get(gov_url(government, "catalog:dataset_list"), {"formato": "JSON", "frecuencia": "QUARTERLY"})
    assert _titles(response) == ["Ejecución presupuestaria 2025"]
    response = client.get(gov_url(government, "catalog:dataset_list"), {"publicador": "Nadie"})
    assert _titles(response) == []


def test_search_is_accent_and_plural_insensitive(client, government, catalog):
    url = gov_url(government, "catalog:dataset_list")
    assert _titles(client.get(url, {"q": "transito"})) == ["Siniestros de tránsito por cantón"]
    assert _titles(client.get(url, {"q": "presupuestos"})) == ["Ejecución presupuestaria 2025"]
    # "informacion" matches the published dataset, never the unpublished one.
    assert _titles(client.get(url, {"q": "informacion"})) == ["Ejecución presupuestaria 2025"]


def test_sorting(client, government, catalog):
    url = gov_url(government, "catalog:dataset_list")
    assert _titles(client.get(url, {"orden": "titulo"})) == [
        "Ejecución presupuestaria 2025",
        "Siniestros de tránsito por cantón",
    ]
    with government_scope(government):
        services.dataset_update(actor=None, government=government, dataset=catalog["accidents"], summary="Nuevo.")
    assert _titles(client.get(url, {"orden": "recientes"}))[0] == "Siniestros de tránsito por cantón"


def test_province_lists_its_cantons_datasets(client, government, canton, catalog):
    factories.dataset(canton, title="Recolección de residuos de Portoviejo", slug="residuos")
    factories.dataset(canton, title="Borrador cantonal", slug="borrador-cantonal", is_published=False)
    response = client.get(gov_url(government, "catalog:dataset_list"))
    titles = _titles(response)
    assert "Recolección de residuos de Portoviejo" in titles and "Borrador cantonal" not in titles
    assert f'href="/g/{canton.slug}/datos/conjuntos/residuos/"' in response.content.decode()
    facets = {f.param: {o.value: o.count for o in f.options} for f in response.context["result"].facets}
    assert facets["nivel"] == {"province": 2, "canton": 1}
    assert _titles(client.get(gov_url(government, "catalog:dataset_list"), {"nivel": "canton"})) == [
        "Recolección de residuos de Portoviejo"
    ]
    # Text search reaches the cantons' index too.
    assert _titles(client.get(gov_url(government, "catalog:dataset_list"), {"q": "residuo"})) == [
        "Recolección de residuos de Portoviejo"
    ]
    # The canton's own catalog does not list the province's datasets.
    assert _titles(client.get(gov_url(canton, "catalog:dataset_list"))) == ["Recolección de residuos de Portoviejo"]
    # Switched off: only the province's own datasets.
    government.modules = {"catalog": {"settings": {"include_child_governments": False}}}
    government.save()
    cache.clear()  # the government and its pages are cached; the settings form clears them
    assert "Recolección de residuos de Portoviejo" not in _titles(
        client.get(gov_url(government, "catalog:dataset_list"))
    )


def test_dataset_page_with_resources_history_and_schema_org(client, english, government, catalog):
    response = client.get(gov_url(government, "catalog:dataset_detail", slug="siniestros"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Siniestros 2025" in body and "SHA-256" in body
    assert "Dataset created" in body and "Data added: Siniestros 2025" in body
    data = json.loads(
        re.search(r'<script type="application/ld\+json" id="dataset-jsonld">(.*?)</script>', body, re.S)[1]
    )
    assert data["@type"] == "Dataset" and data["name"] == "Siniestros de tránsito por cantón"
    assert data["distribution"][0]["encodingFormat"] == "text/csv"
    assert "Next update due" in body


def test_json_ld_cannot_close_the_script(client, government):
    factories.dataset(government, title="Datos </script><script>alert(1)</script>", slug="xss")
    body = client.get(gov_url(government, "catalog:dataset_detail", slug="xss")).content.decode()
    block = re.search(r'<script type="application/ld\+json" id="dataset-jsonld">(.*?)</script>', body, re.S)[1]
    assert "<script>" not in block and "\\u003C/script\\u003E" in block


def test_unpublished_dataset_is_never_public(client, government, catalog):
    assert client.get(gov_url(government, "catalog:dataset_detail", slug="borrador")).status_code == 404
    feed = client.get(gov_url(government, "catalog:dataset_feed")).content.decode()
    assert "Borrador secreto" not in feed and "Siniestros de tránsito" in feed
    search = client.get(gov_url(government, "core:search"), {"q": "borrador secreto"}).content.decode()
    assert "Borrador secreto" not in search
    resource = factories.resource(government, catalog["hidden"], title="Archivo oculto")
    assert client.get(gov_url(government, "catalog:resource_download", pk=resource.pk)).status_code == 404
    # Unpublishing removes it from everything at once.
    with government_scope(government):
        services.dataset_set_published(
            actor=None, government=government, dataset=catalog["accidents"], is_published=False
        )
    assert client.get(gov_url(government, "catalog:dataset_detail", slug="siniestros")).status_code == 404
    assert "Siniestros" not in client.get(gov_url(government, "catalog:dataset_feed")).content.decode()
    assert _titles(client.get(gov_url(government, "catalog:dataset_list"), {"q": "transito"})) == []


def test_download_streams_the_file_inert(client, government, catalog):
    resource = catalog["accidents_csv"]
    response = client.get(gov_url(government, "catalog:resource_download", pk=resource.pk))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == factories.CSV_BYTES
    link = catalog["execution_link"]
    response = client.get(gov_url(government, "catalog:resource_download", pk=link.pk))
    assert response.status_code == 302 and response["Location"] == "https://datos.example.org/ejecucion.json"


def test_atom_feed(client, government, catalog):
    response = client.get(gov_url(government, "catalog:dataset_feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "<feed" in response.content.decode() and "Ejecución presupuestaria 2025" in response.content.decode()


def test_public_stats_and_latest_updates(client, government, catalog):
    response = client.get(gov_url(government, "core:home"))
    assert response.status_code == 200
    assert "Siniestros de tránsito por cantón" in response.content.decode()


def test_a_province_searches_its_cantons_catalogues_in_one_full_text_query(client, government, canton, catalog):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    other_canton = GovernmentFactory(
        name="GAD Municipal de Manta", short_name="Manta", slug="manta", dpa_code="1308", level="canton",
        parent=government,
    )
    factories.dataset(canton, title="Recolección de residuos de Portoviejo", slug="residuos")
    factories.dataset(other_canton, title="Residuos sólidos de Manta", slug="residuos")
    url = gov_url(government, "catalog:dataset_list")
    with CaptureQueriesContext(connection) as queries:
        titles = _titles(client.get(url, {"q": "residuos"}))
    assert sorted(titles) == ["Recolección de residuos de Portoviejo", "Residuos sólidos de Manta"]
    full_text = [q["sql"] for q in queries if "core_search_fts" in q["sql"] or "to_tsquery" in q["sql"]]
    # One query for the province and its two cantons, not one per government: its cost must
    # not grow with the number of governments a catalog lists.
    assert len(full_text) == 1, full_text
