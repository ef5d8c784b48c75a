"""A search of several words that no process has all of shows the processes with the most of
them, labelled as such, instead of an empty page; the API keeps to exact matches."""

import pytest

from minga.core.testing import gov_url

from .. import selectors
from .conftest import do_import, package, tender_release

ROADS = "ocds-5wno2w-MCO-GPM-2025-010-1360"
BRIDGE = "ocds-5wno2w-LICO-GPM-2025-011-1360"


@pytest.fixture
def data(government):
    do_import(
        government,
        package(
            tender_release(),  # "Adquisición de papel bond"
            tender_release(ROADS, tender={"title": "Mantenimiento de equipos informáticos", "description": ""}),
            tender_release(BRIDGE, tender={"title": "Puente de la red vial de Chone", "description": ""}),
        ),
    )


def test_no_process_with_every_word_gives_the_best_partial_matches(scoped, data):
    government = scoped
    query = selectors.ProcessQuery.from_params({"q": "mantenimiento vial"})
    assert selectors.matches(government, query).total == 0  # exact semantics by default
    found = selectors.matches(government, query, partial_fallback=True)
    assert found.partial
    assert sorted(process.ocid for process in found[0:10]) == sorted([ROADS, BRIDGE])
    # The process with more of the words wins alone.
    found = selectors.matches(
        government, selectors.ProcessQuery.from_params({"q": "puente vial informaticos"}), partial_fallback=True
    )
    assert found.partial and [process.ocid for process in found[0:10]] == [BRIDGE]


def test_partial_matches_keep_the_other_filters(scoped, data):
    government = scoped
    query = selectors.ProcessQuery.from_params({"q": "mantenimiento vial", "monto_min": "999999999"})
    found = selectors.matches(government, query, partial_fallback=True)
    assert found.total == 0 and not found.partial


def test_a_full_match_is_not_labelled_and_one_word_has_no_fallback(scoped, data):
    government = scoped
    found = selectors.matches(
        government, selectors.ProcessQuery.from_params({"q": "puente vial"}), partial_fallback=True
    )
    assert not found.partial and [process.ocid for process in found[0:10]] == [BRIDGE]
    found = selectors.matches(government, selectors.ProcessQuery.from_params({"q": "carretera"}), partial_fallback=True)
    assert found.total == 0 and not found.partial


def test_the_page_labels_partial_matches(client, english, government, data):
    url = gov_url(government, "procurement:search")
    page = client.get(url, {"q": "mantenimiento vial"}).content.decode()
    assert 'id="partial-matches"' in page
    assert "No process contains all the words; these contain some of them." in page
    assert "Mantenimiento de equipos" in page and "Puente de la red vial" in page
    assert "papel bond" not in page
    page = client.get(url, {"q": "puente vial"}).content.decode()
    assert 'id="partial-matches"' not in page
    response = client.get(gov_url(government, "procurement-api:processes"), {"q": "mantenimiento vial"})
    assert response.json()["count"] == 0
