"""The chain budget line → contracting process → public work, across three modules that do not
import each other (core's link registry carries it): each page shows the other two links, the
"award above the certified budget" flag reads the budget module's certified amount, and a
module switched off drops out of the chain."""

import pytest

from minga.budget.tests import factories as budget
from minga.core.registry import find_backlinks, resolve_links
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url
from minga.procurement.models import Process
from minga.procurement.tests import conftest as ocds
from minga.works.tests import factories as works

pytestmark = pytest.mark.django_db

PARTIDA = "2.01.750105.001"  # "Obras de transporte y vías", certificado 900.000,00 in the budget factory
LINE = f"2026:{PARTIDA}"
OCID = "ocds-5wno2w-LICO-GPM-2026-001-1360"


@pytest.fixture
def chain(government, settings, tmp_path):
    settings.DATASTORE_SQLITE_PATH = tmp_path / "datastore.sqlite3"
    with government_scope(government):
        budget.published_budget(government, year=2026, months=(3,))
    tender = ocds.tender_release(
        OCID,
        date="2026-02-01T10:00:00-05:00",
        tender={
            "title": "Obras de rehabilitación de la vía Chone–Flavio Alfaro",
            "procurementMethodDetails": "Licitación",
        },
    )
    tender["planning"] = {"budget": {"id": PARTIDA, "amount": {"amount": 1_500_000, "currency": "USD"}}}
    award = ocds.award_release(
        OCID, amount=950_000, date="2026-03-10T10:00:00-05:00", supplier=("EC-RUC-1391234567001", "Vialmanabí S.A.")
    )
    ocds.do_import(government, ocds.package(tender, award))
    project = works.project(
        government,
        title="Vía Chone–Flavio Alfaro",
        links={"budget.line": [LINE], "procurement.process": [OCID]},
    )
    return project


def test_each_link_resolves_to_the_other_modules_records(government, chain):
    with government_scope(government):
        line = resolve_links(government, "budget.line", [LINE])[LINE]
        process = resolve_links(government, "procurement.process", [OCID])[OCID]
        work = resolve_links(government, "works.project", [chain.slug])[chain.slug]
        assert str(line.facts["certificado"]) == "900000.00"
        assert process.facts["suppliers"] == ["Vialmanabí S.A."]
        assert work.title == "Vía Chone–Flavio Alfaro"
        spending = {(link.kind, link.key) for link in find_backlinks(government, "budget.line", LINE)}
        assert spending == {("procurement.process", OCID), ("works.project", chain.slug)}
        building = [link.key for link in find_backlinks(government, "procurement.process", OCID)]
        assert building == [chain.slug]


def test_the_award_is_checked_against_the_certified_amount_of_the_line(government, chain):
    with government_scope(government):
        process = Process.objects.get(ocid=OCID)
    budget_flag = process.flags["BUDGET"]
    # 950.000 awarded against 900.000 certified (not the 1.500.000 of planning.budget).
    assert budget_flag["state"] == "fired" and budget_flag["values"]["source"] == "certified"


def test_every_page_of_the_chain_links_the_other_two(client, government, chain):
    line_page = client.get(gov_url(government, "budget:line", year=2026, partida=PARTIDA)).content.decode()
    process_page = client.get(gov_url(government, "procurement:process_detail", ocid=OCID)).content.decode()
    work_page = client.get(gov_url(government, "works:project_detail", slug=chain.slug)).content.decode()
    process_url = gov_url(government, "procurement:process_detail", ocid=OCID)
    work_url = gov_url(government, "works:project_detail", slug=chain.slug)
    line_url = gov_url(government, "budget:line", year=2026, partida=PARTIDA)
    assert process_url in line_page and work_url in line_page
    assert line_url in process_page and work_url in process_page
    assert line_url in work_page and process_url in work_page


def test_a_module_switched_off_leaves_the_chain(client, government, chain):
    government.modules = {"procurement": {"enabled": False}}
    government.save()
    with government_scope(government):
        assert resolve_links(government, "procurement.process", [OCID]) == {}
        assert {link.kind for link in find_backlinks(government, "budget.line", LINE)} == {"works.project"}
    line_page = client.get(gov_url(government, "budget:line", year=2026, partida=PARTIDA)).content.decode()
    assert gov_url(government, "procurement:process_detail", ocid=OCID) not in line_page


def test_the_works_demo_links_to_the_other_modules_records(government, chain):
    """The demo seeds budget and procurement first; the works' demo then finds their records
    through the registry, so the demo shows the chain too."""
    import io

    from django.utils import timezone

    from minga.core.registry import search_links
    from minga.works import demo
    from minga.works.models import ProjectLink

    with government_scope(government):
        assert [record.key for record in search_links(government, "budget.line", "transporte y vías")] == [LINE]
        assert [record.key for record in search_links(government, "procurement.process", "Obras")] == [OCID]
        demo.seed(government, now=timezone.now(), stdout=io.StringIO(), count=6)
        keys = set(ProjectLink.objects.exclude(project=chain).values_list("kind", "key"))
    assert ("budget.line", LINE) in keys and ("procurement.process", OCID) in keys
    assert {key for kind, key in keys if kind == "budget.line"} == {LINE}  # nothing made up
