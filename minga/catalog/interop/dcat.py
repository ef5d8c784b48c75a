"""DCAT-AP 3 descriptions of the catalog and of each published dataset, in JSON-LD and Turtle.

The catalog is paged like ckanext-dcat and uData do, with the Hydra vocabulary: each page is a
``hydra:PagedCollection`` with ``hydra:totalItems``, ``hydra:itemsPerPage`` and the addresses
of the first, last, previous and next pages (``?page=``). Dataset and distribution identifiers
are the absolute addresses of the dataset page and of each file's download."""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, XSD

from minga.core.access import public
from minga.core.api.throttling import rate_limited

from ..datasets.models import Dataset, Resource
from .common import access_url, catalog_links, catalog_url, dataset_url, download_url, media_type, published_datasets

DCAT3 = Namespace(str(DCAT))  # DCAT 3 terms (dcat:version) missing from rdflib's closed DCAT 2 namespace
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
FILE_TYPES = {"CSV": "CSV", "XLSX": "XLSX", "JSON": "JSON", "GeoJSON": "GEOJSON", "PDF": "PDF", "ZIP": "ZIP"}
PAGE_SIZE = 100
FORMATS = {"jsonld": ("json-ld", "application/ld+json"), "ttl": ("turtle", "text/turtle; charset=utf-8")}
CONTEXT = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "vcard": str(VCARD),
    "spdx": str(SPDX),
    "hydra": str(HYDRA),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}


def new_graph() -> Graph:
    graph = Graph()
    for prefix, uri in CONTEXT.items():
        graph.bind(prefix, Namespace(uri))
    return graph


def _government_agent(graph: Graph, request) -> URIRef:
    government = request.government
    agent = URIRef(request.build_absolute_uri(reverse("core:home")))
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, FOAF.name, Literal(government.name)))
    graph.add((agent, DCTERMS.identifier, Literal(government.dpa_code)))
    return agent


def _licence(graph: Graph, dataset: Dataset):
    licence = dataset.licence
    node = URIRef(licence.url) if licence.url else BNode()
    graph.add((node, RDF.type, DCTERMS.LicenseDocument))
    graph.add((node, RDFS.label, Literal(licence.name)))
    graph.add((node, DCTERMS.identifier, Literal(licence.code)))
    return node


def add_distribution(graph: Graph, request, dataset_node: URIRef, resource: Resource, licence) -> URIRef:
    node = URIRef(f"{str(dataset_node)}#recurso-{resource.pk}")
    graph.add((dataset_node, DCAT.distribution, node))
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, Literal(resource.title)))
    if resource.description:
        graph.add((node, DCTERMS.description, Literal(resource.description)))
    graph.add((node, DCAT.accessURL, URIRef(access_url(request, resource))))
    if resource.is_upload:
        graph.add((node, DCAT.downloadURL, URIRef(download_url(request, resource))))
    if resource.format in FILE_TYPES:
        graph.add((node, DCTERMS["format"], URIRef(FILE_TYPE + FILE_TYPES[resource.format])))
        graph.add((node, DCAT.mediaType, URIRef(MEDIA_TYPE + media_type(resource))))
    if resource.size is not None:
        graph.add((node, DCAT.byteSize, Literal(resource.size, datatype=XSD.nonNegativeInteger)))
    if resource.sha256:
        checksum = BNode()
        graph.add((node, SPDX.checksum, checksum))
        graph.add((checksum, RDF.type, SPDX.Checksum))
        graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        graph.add((checksum, SPDX.checksumValue, Literal(resource.sha256, datatype=XSD.hexBinary)))
    graph.add((node, DCTERMS.license, licence))
    graph.add((node, DCTERMS.issued, Literal(resource.created_at)))
    graph.add((node, DCTERMS.modified, Literal(resource.updated_at)))
    return node


def add_dataset(graph: Graph, request, dataset: Dataset) -> URIRef:
    node = URIRef(dataset_url(request, dataset))
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.title, Literal(dataset.title)))
    description = dataset.summary + ("\n\n" + dataset.description if dataset.description else "")
    graph.add((node, DCTERMS.description, Literal(description)))
    graph.add((node, DCTERMS.identifier, Literal(str(node))))
    graph.add((node, DCAT.landingPage, node))
    for tag in dataset.tags.all():
        graph.add((node, DCAT.keyword, Literal(tag.name)))
    for theme in dataset.themes.all():
        graph.add((node, DCAT.theme, URIRef(theme.dcat_uri)))
    graph.add((node, DCTERMS.accrualPeriodicity, URIRef(dataset.frequency_uri)))
    licence = _licence(graph, dataset)
    graph.add((node, DCTERMS.license, licence))
    if dataset.temporal_start or dataset.temporal_end:
        period = BNode()
        graph.add((node, DCTERMS.temporal, period))
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if dataset.temporal_start:
            graph.add((period, DCAT.startDate, Literal(dataset.temporal_start, datatype=XSD.date)))
        if dataset.temporal_end:
            graph.add((period, DCAT.endDate, Literal(dataset.temporal_end, datatype=XSD.date)))
    for code in dataset.spatial_coverage or []:
        place = BNode()
        graph.add((node, DCTERMS.spatial, place))
        graph.add((place, RDF.type, DCTERMS.Location))
        graph.add((place, DCTERMS.identifier, Literal(code)))
        graph.add((place, RDFS.label, Literal(f"DPA {code}")))
    if dataset.contact_email or dataset.contact_name:
        contact = BNode()
        graph.add((node, DCAT.contactPoint, contact))
        graph.add((contact, RDF.type, VCARD.Kind))
        graph.add((contact, VCARD.fn, Literal(dataset.contact_name or dataset.publisher)))
        if dataset.contact_email:
            graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{dataset.contact_email}")))
    publisher = BNode()
    graph.add((node, DCTERMS.publisher, publisher))
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(f"{dataset.publisher} · {request.government.name}")))
    if dataset.publisher_email:
        graph.add((publisher, FOAF.mbox, URIRef(f"mailto:{dataset.publisher_email}")))
    graph.add((node, DCTERMS.issued, Literal(dataset.created_at)))
    graph.add((node, DCTERMS.modified, Literal(dataset.updated_at)))
    graph.add((node, DCAT3.version, Literal(str(dataset.version))))
    for resource in dataset.resources.all():
        add_distribution(graph, request, node, resource, licence)
    return node


def _respond(graph: Graph, fmt: str) -> HttpResponse:
    rdf_format, content_type = FORMATS[fmt]
    if rdf_format == "json-ld":
        body = graph.serialize(format="json-ld", context=CONTEXT, auto_compact=True, indent=2)
    else:
        body = graph.serialize(format=rdf_format)
    response = HttpResponse(body, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _page_url(request, fmt: str, page: int) -> Literal:
    return Literal(request.build_absolute_uri(reverse("catalog-dcat:catalog", kwargs={"fmt": fmt})) + f"?page={page}")


@public
@catalog_links
@rate_limited()
def catalog(request, fmt):
    """The catalog: its description and one page of its datasets, with Hydra paging."""
    if fmt not in FORMATS:
        raise Http404
    datasets = published_datasets(request.government).order_by("-updated_at", "pk")
    paginator = Paginator(datasets, PAGE_SIZE, allow_empty_first_page=True)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        return HttpResponseBadRequest(_("The page must be a whole number."))
    except EmptyPage as exc:
        raise Http404 from exc
    graph = new_graph()
    government = request.government
    node = URIRef(catalog_url(request))
    graph.add((node, RDF.type, DCAT.Catalog))
    graph.add((node, DCTERMS.title, Literal(_("Open data of %(name)s") % {"name": government.name})))
    graph.add((node, DCTERMS.description, Literal(government.description or government.name)))
    graph.add((node, FOAF.homepage, node))
    graph.add((node, DCTERMS.publisher, _government_agent(graph, request)))
    latest = datasets.first()
    if latest is not None:
        graph.add((node, DCTERMS.modified, Literal(latest.updated_at)))
    for dataset in page.object_list:
        graph.add((node, DCAT.dataset, add_dataset(graph, request, dataset)))
    collection = URIRef(str(_page_url(request, fmt, page.number)))
    graph.add((collection, RDF.type, HYDRA.PagedCollection))
    graph.add((collection, HYDRA.totalItems, Literal(paginator.count, datatype=XSD.integer)))
    graph.add((collection, HYDRA.itemsPerPage, Literal(PAGE_SIZE, datatype=XSD.integer)))
    graph.add((collection, HYDRA.firstPage, _page_url(request, fmt, 1)))
    graph.add((collection, HYDRA.lastPage, _page_url(request, fmt, paginator.num_pages)))
    if page.has_next():
        graph.add((collection, HYDRA.nextPage, _page_url(request, fmt, page.next_page_number())))
    if page.has_previous():
        graph.add((collection, HYDRA.previousPage, _page_url(request, fmt, page.previous_page_number())))
    return _respond(graph, fmt)


@public
@catalog_links
@rate_limited()
def dataset(request, slug, fmt):
    """One published dataset and its distributions."""
    if fmt not in FORMATS:
        raise Http404
    found = get_object_or_404(published_datasets(request.government), slug=slug)
    graph = new_graph()
    add_dataset(graph, request, found)
    return _respond(graph, fmt)
