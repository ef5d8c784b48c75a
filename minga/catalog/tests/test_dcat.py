"""DCAT-AP 3 output parsed with rdflib: the catalog (JSON-LD and Turtle, Hydra paging) and each
dataset with its distributions; drafts and other governments' datasets never appear."""

import datetime as dt

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF

from ..interop import dcat
from . import factories

pytestmark = pytest.mark.django_db

DCAT = Namespace("http://www.w3.org/ns/dcat#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
THEME = "http://publications.europa.eu/resource/authority/data-theme/"
BASE = "http://testserver"
FORMATS = {"jsonld": "json-ld", "ttl": "turtle"}


def fetch(client, path: str, fmt: str, **params) -> Graph:
    response = client.get(path, params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/ld+json" if fmt == "jsonld" else "text/turtle")
    graph = Graph()
    graph.parse(data=response.content.decode(), format=FORMATS[fmt], publicID=BASE + path)
    return graph


@pytest.fixture
def catalog(government, other_government):
    mobility = factories.theme(government, name="Movilidad", slug="movilidad", dcat_theme="TRAN")
    accidents = factories.dataset(
        government,
        title="Siniestros de tránsito",
        slug="siniestros",
        summary="Accidentes registrados.",
        description="Fuente: ANT.",
        themes=[mobility],
        tags=["tránsito"],
        frequency="MONTHLY",
        temporal_start=dt.date(2023, 1, 1),
        temporal_end=dt.date(2025, 12, 31),
        spatial_coverage=["13", "1301"],
        contact_name="Unidad de Datos",
        contact_email="datos@example.org",
        publisher="Dirección de Movilidad",
    )
    csv = factories.resource(government, accidents, title="Siniestros 2025", description="Por mes.")
    link = factories.resource(government, accidents, title="Visor", kind="url", url="https://mapas.example.org/v")
    factories.dataset(government, title="Borrador", slug="borrador", is_published=False)
    factories.dataset(other_government, title="Ajeno", slug="ajeno")
    return {"accidents": accidents, "csv": csv, "link": link}


@pytest.mark.parametrize("fmt", ["jsonld", "ttl"])
def test_dataset_description(client, government, catalog, fmt):
    path = f"/g/{government.slug}/datos/dcat/siniestros.{fmt}"
    graph = fetch(client, path, fmt)
    node = URIRef(f"{BASE}/g/{government.slug}/datos/conjuntos/siniestros/")
    assert (node, RDF.type, DCAT.Dataset) in graph
    assert graph.value(node, DCTERMS.title) == Literal("Siniestros de tránsito")
    assert "Fuente: ANT." in str(graph.value(node, DCTERMS.description))
    assert graph.value(node, DCTERMS.identifier) == Literal(str(node))
    assert (node, DCAT.keyword, Literal("tránsito")) in graph
    assert (node, DCAT.theme, URIRef(THEME + "TRAN")) in graph
    frequency = URIRef("http://publications.europa.eu/resource/authority/frequency/MONTHLY")
    assert graph.value(node, DCTERMS.accrualPeriodicity) == frequency
    licence = graph.value(node, DCTERMS.license)
    assert (licence, RDF.type, DCTERMS.LicenseDocument) in graph
    assert graph.value(licence, DCTERMS.identifier) == Literal("CC-BY-4.0")
    period = graph.value(node, DCTERMS.temporal)
    assert graph.value(period, DCAT.startDate).toPython() == dt.date(2023, 1, 1)
    assert graph.value(period, DCAT.endDate).toPython() == dt.date(2025, 12, 31)
    codes = {str(graph.value(place, DCTERMS.identifier)) for place in graph.objects(node, DCTERMS.spatial)}
    assert codes == {"13", "1301"}
    contact = graph.value(node, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Kind) in graph
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:datos@example.org")
    publisher = graph.value(node, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert "Dirección de Movilidad" in str(graph.value(publisher, FOAF.name))
    assert graph.value(node, DCTERMS.issued).datatype == XSD.dateTime
    assert graph.value(node, DCTERMS.modified) is not None

    distributions = {str(graph.value(d, DCTERMS.title)): d for d in graph.objects(node, DCAT.distribution)}
    assert set(distributions) == {"Siniestros 2025", "Visor"}
    csv, resource = distributions["Siniestros 2025"], catalog["csv"]
    download = URIRef(f"{BASE}/g/{government.slug}/datos/recursos/{resource.pk}/descarga/")
    assert (csv, RDF.type, DCAT.Distribution) in graph
    assert graph.value(csv, DCAT.downloadURL) == download and graph.value(csv, DCAT.accessURL) == download
    file_type = URIRef("http://publications.europa.eu/resource/authority/file-type/CSV")
    assert graph.value(csv, DCTERMS["format"]) == file_type
    assert graph.value(csv, DCAT.mediaType) == URIRef("https://www.iana.org/assignments/media-types/text/csv")
    assert graph.value(csv, DCAT.byteSize).toPython() == resource.size
    checksum = graph.value(csv, SPDX.checksum)
    assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
    assert str(graph.value(checksum, SPDX.checksumValue)) == resource.sha256
    visor = distributions["Visor"]
    assert graph.value(visor, DCAT.accessURL) == URIRef("https://mapas.example.org/v")
    assert graph.value(visor, DCAT.downloadURL) is None


@pytest.mark.parametrize("fmt", ["jsonld", "ttl"])
def test_catalog_lists_published_datasets_only(client, government, catalog, fmt):
    graph = fetch(client, f"/g/{government.slug}/datos/dcat/catalog.{fmt}", fmt)
    [node] = graph.subjects(RDF.type, DCAT.Catalog)
    assert node == URIRef(f"{BASE}/g/{government.slug}/datos/")
    assert government.name in str(graph.value(node, DCTERMS.title))
    agent = graph.value(node, DCTERMS.publisher)
    assert graph.value(agent, FOAF.name) == Literal(government.name)
    datasets = set(graph.objects(node, DCAT.dataset))
    assert datasets == {URIRef(f"{BASE}/g/{government.slug}/datos/conjuntos/siniestros/")}
    assert set(graph.subjects(RDF.type, DCAT.Dataset)) == datasets
    [page] = graph.subjects(RDF.type, HYDRA.PagedCollection)
    assert graph.value(page, HYDRA.totalItems).toPython() == 1
    assert graph.value(page, HYDRA.nextPage) is None


@pytest.mark.parametrize("fmt", ["jsonld", "ttl"])
def test_catalog_paging(client, government, monkeypatch, fmt):
    monkeypatch.setattr(dcat, "PAGE_SIZE", 2)
    for number in range(5):
        factories.dataset(government, title=f"Conjunto {number}", slug=f"conjunto-p{number}")
    path = f"/g/{government.slug}/datos/dcat/catalog.{fmt}"
    seen = set()
    url = f"{BASE}{path}?page=1"
    pages = 0
    while url:
        graph = fetch(client, path, fmt, page=url.rsplit("=", 1)[1])
        [collection] = graph.subjects(RDF.type, HYDRA.PagedCollection)
        assert str(collection) == url
        assert graph.value(collection, HYDRA.totalItems).toPython() == 5
        assert graph.value(collection, HYDRA.itemsPerPage).toPython() == 2
        assert str(graph.value(collection, HYDRA.firstPage)) == f"{BASE}{path}?page=1"
        assert str(graph.value(collection, HYDRA.lastPage)) == f"{BASE}{path}?page=3"
        found = set(graph.subjects(RDF.type, DCAT.Dataset))
        assert len(found) <= 2 and not found & seen
        seen |= found
        following = graph.value(collection, HYDRA.nextPage)
        url = str(following) if following is not None else ""
        pages += 1
    assert pages == 3 and len(seen) == 5
    assert client.get(path, {"page": 4}).status_code == 404
    assert client.get(path, {"page": "x"}).status_code == 400


def test_drafts_and_other_governments_are_not_described(client, government, other_government, catalog):
    for slug in ("borrador", "ajeno", "no-existe"):
        for fmt in ("jsonld", "ttl"):
            assert client.get(f"/g/{government.slug}/datos/dcat/{slug}.{fmt}").status_code == 404
    graph = fetch(client, f"/g/{other_government.slug}/datos/dcat/catalog.ttl", "ttl")
    titles = {str(graph.value(node, DCTERMS.title)) for node in graph.subjects(RDF.type, DCAT.Dataset)}
    assert titles == {"Ajeno"}
