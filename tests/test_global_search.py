"""The global search across modules that do not import each other: contracting processes
come from the procurement module's own engine (a search source) and public works from the
portal-wide index; a title that is the whole query ranks above a supplier's name that merely
contains it, and a section named by the query ("obras") comes before a supplier's name. Run
on SQLite and on PostgreSQL."""

import pytest

from minga.core.search.selectors import search
from minga.core.search.services import reindex
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url
from minga.procurement.tests import conftest as ocds
from minga.works.tests import factories as works

pytestmark = pytest.mark.django_db

OCID = "ocds-5wno2w-LICO-GPM-2026-001-1360"
OTHER = "ocds-5wno2w-MCO-GPM-2026-002-1360"


@pytest.fixture
def portal(government):
    ocds.do_import(
        government,
        ocds.package(
            ocds.tender_release(
                OCID, tender={"title": "Construcción del puente sobre el estero La Pila", "description": ""}
            ),
            ocds.award_release(OCID, supplier=("EC-RUC-1390000000009", "Ingeniería y Obras Loor Cía. Ltda.")),
            ocds.tender_release(OTHER, tender={"title": "Mantenimiento vial del camino a La Pila", "description": ""}),
            ocds.award_release(
                OTHER, supplier=("EC-RUC-1390000000010", "Puente Sobre el Estero La Pila Constructora S.A.")
            ),
        ),
    )
    works.project(government, title="Puente sobre el estero La Pila")
    works.project(government, title="Asfaltado de la vía Sancán", contractor="Ingeniería y Obras Loor Cía. Ltda.")
    reindex(government)  # suppliers reach the index from a job once the import commits
    return government


def _search(government, query, **kwargs):
    with government_scope(government):
        return search(government=government, query=query, count_zero_results=False, **kwargs)


def _first_titles(found):
    return [(group.module, [result.title for result in group.results]) for group in found.groups]


def test_processes_and_works_are_found(portal):
    found = _search(portal, "mantenimiento vial")
    groups = dict(_first_titles(found))
    assert groups["procurement.process"] == ["Mantenimiento vial del camino a La Pila"]
    found = _search(portal, "asfaltado")
    assert dict(_first_titles(found))["works"] == ["Asfaltado de la vía Sancán"]


def test_an_exact_title_ranks_above_a_supplier_name(portal):
    found = _search(portal, "Puente sobre el estero La Pila")
    first = found.groups[0]
    assert first.module == "works" and first.results[0].title == "Puente sobre el estero La Pila"
    modules = [group.module for group in found.groups]
    assert modules.index("works") < modules.index("procurement")
    # Inside one group too: the process whose title is the query comes first.
    found = _search(portal, "construccion del puente sobre el estero la pila")
    assert found.groups[0].module == "procurement.process"


def test_a_section_named_by_the_query_comes_before_a_supplier_name(portal):
    found = _search(portal, "obras")
    modules = [group.module for group in found.groups]
    assert "procurement" in modules  # the supplier "… y Obras …" is found
    assert modules[0] == "works"


def test_the_search_narrows_to_processes_and_pages_them(client, portal):
    url = gov_url(portal, "core:search")
    page = client.get(url, {"q": "la pila"}).content.decode()
    assert "Procesos de contratación" in page and "Mantenimiento vial del camino a La Pila" in page
    assert "Obras públicas" in page
    page = client.get(url, {"q": "la pila", "modulo": "procurement.process"}).content.decode()
    assert "Construcción del puente sobre el estero La Pila" in page
    assert "Asfaltado" not in page and "Puente sobre el estero La Pila</a>" not in page


def test_processes_leave_with_the_module(portal):
    portal.modules = {"procurement": {"enabled": False}}
    portal.save(update_fields=["modules"])
    found = _search(portal, "mantenimiento vial")
    assert "procurement.process" not in dict(_first_titles(found))
