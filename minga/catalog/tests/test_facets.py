"""Facet counts of the catalog search: counted here over a text query's candidates, they are
the same as the database's grouped counts for every combination of filters; and a text
search costs the same number of queries whatever the number of filters."""

import datetime as dt
import itertools

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url

from ..datasets import facets
from ..datasets.models import Dataset
from ..datasets.selectors import CatalogQuery, widened_public_datasets
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(government, canton):
    """Datasets of a province and one of its cantons with overlapping and missing values."""
    roads = factories.theme(government, name="Vialidad", slug="vialidad")
    water = factories.theme(government, name="Agua", slug="agua")
    canton_roads = factories.theme(canton, name="Vías", slug="vialidad")  # same slug, other label
    other = factories.licence(government, code="CC-BY-4.0-X", name="Atribución")
    made = []
    shapes = [
        (government, [roads], ["puentes", "vías"], "Obras Públicas", "MONTHLY", other, True),
        (government, [roads, water], ["vías"], "Obras Públicas", "ANNUAL", None, False),
        (government, [water], [], "Ambiente", "MONTHLY", None, True),
        (government, [], ["agua potable"], "Ambiente", "IRREG", other, False),
        (canton, [canton_roads], ["vías"], "Obras Públicas", "MONTHLY", None, True),
        (canton, [], ["puentes"], "Planificación", "QUARTERLY", None, False),
    ]
    for number, (owner, themes, tags, publisher, frequency, licence, late) in enumerate(shapes):
        fields = {
            "title": f"Obras y datos {number}",
            "slug": f"obras-{number}",
            "themes": themes,
            "tags": tags,
            "publisher": publisher,
            "frequency": frequency,
        }
        if licence is not None:
            fields["licence"] = licence
        dataset = factories.dataset(owner, **fields)
        if number % 2 == 0:
            factories.resource(owner, dataset)
        if number % 3 == 0:
            factories.resource(owner, dataset, kind="url", url="https://datos.example.org/a.json")
        due = dt.date(2020, 1, 1) if late else dt.date(2999, 1, 1)
        with government_scope(owner):
            Dataset.objects.for_government(owner).filter(pk=dataset.pk).update(next_update_due=due)
        made.append(dataset)
    return made


FILTER_CHOICES = {
    "tema": ["vialidad", "agua"],
    "etiqueta": ["vias", "puentes"],
    "publicador": ["Obras Públicas"],
    "formato": ["CSV", "JSON"],
    "frecuencia": ["MONTHLY"],
    "nivel": ["canton"],
    "frescura": [facets.OUT_OF_DATE],
    "licencia": ["CC-BY-4.0-X"],
}


def _combinations():
    yield {}
    params = sorted(FILTER_CHOICES)
    for size in (1, 2, 3):
        for chosen in itertools.combinations(params, size):
            for values in itertools.product(*(FILTER_CHOICES[param] for param in chosen)):
                yield dict(zip(chosen, values, strict=True))


def test_counting_here_matches_the_databases_counts_for_every_filter_combination(government, canton, mixed):
    governments = [government, canton]
    base = widened_public_datasets(governments)
    checked = 0
    with government_scope(government):
        for filters in _combinations():
            query = CatalogQuery(q="obras", filters=filters)
            cache.clear()
            here = facets.facet_counts(governments, base, query, few_candidates=True)
            cache.clear()
            database = facets.facet_counts(governments, base, query, few_candidates=False)
            assert here == database, filters
            checked += 1
    assert checked > 100
    # The fixture is not degenerate: both theme labels' slug merges, lateness and the level.
    cache.clear()
    with government_scope(government):
        counts, late = facets.facet_counts(governments, base, CatalogQuery(q="obras"), few_candidates=True)
    assert counts["tema"]["vialidad"][1] == 3
    assert {level: n for level, (_label, n) in counts["nivel"].items()} == {"province": 4, "canton": 2}
    assert late == 3


def test_a_text_search_costs_the_same_queries_whatever_its_filters(client, government, canton, mixed):
    def queries(params: str) -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(gov_url(government, "catalog:dataset_list") + params)
        assert response.status_code == 200
        return len(captured.captured_queries)

    plain = queries("?q=obras")
    assert queries("?q=obras&tema=vialidad&etiqueta=vias&frecuencia=MONTHLY") == plain
    # Without a text query every facet is one grouped query in the database.
    assert queries("?tema=vialidad") > plain
