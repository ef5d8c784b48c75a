"""The API answers what its committed OpenAPI document (docs/api/openapi.yaml) says.

schemathesis generates requests from the document, operation by operation, and sends them to
the real portal (Django's WSGI application, in process, on the test database) for a
government with a little of everything: budget lines, a contracting process, a public work
with its progress, units, authorities and events, a dataset with a loaded table, a map layer,
a participatory process and a canton below it. Each operation gets a few requests with
generated parameters and a few with the path of a real object (so detail answers are checked
too, not only 404s), with a fixed seed. Every answer must be no server error, with a documented status and content
type, and a body that matches the documented schema.

Bounded on purpose (a few examples per operation) so that it runs in `make test` on SQLite
and PostgreSQL; a broader run: `schemathesis run docs/api/openapi.yaml --url <portal>/g/<slug>`.
"""

from __future__ import annotations

import io
from functools import cache

import pytest
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from minga.budget.tests import factories as budget
from minga.catalog.tests import factories as catalog
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import (
    GovernmentFactory,
    api_conformance_checks,
    committed_api_schema,
    wsgi_requests_in_the_test_transaction,
)
from minga.datastore import load_table
from minga.geo.tests.conftest import make_layer
from minga.institution.tests import factories as institution
from minga.participation.budgets.tests import helpers as participatory_budgets
from minga.participation.surveys.tests import support as surveys  # surveys
from minga.participation.tests import factories as participation
from minga.procurement.models import Buyer, Supplier
from minga.procurement.tests import conftest as ocds
from minga.works.tests import factories as works

pytestmark = pytest.mark.django_db

EXAMPLES = 4  # per operation and kind of request (generated / with a real object's path)
SEED = 20261206
PARTIDA = "2.01.750105.001"
OCID = "ocds-5wno2w-LICO-GPM-2026-001-1360"
TABLE = "Cantón;Obra;Monto;Fecha\nManta;Vía a San Mateo;1234.56;2024-03-05\nPortoviejo;Puente;12.5;2023-12-31\n"


@cache
def _operations():
    return [result.ok() for result in committed_api_schema().get_all_operations()]


def _council_records(government) -> dict:
    """A council with a member, a public act, a convened session with the act on its agenda
    and a vote on it."""
    import datetime as dt

    from django.utils import timezone

    from minga.council.acts.models import Act
    from minga.council.members.models import Council, Membership, Person
    from minga.council.sessions.models import AgendaItem, Session, Vote, VoteEvent

    with government_scope(government):
        council = Council.objects.create(government=government, name="Consejo Provincial", kind="provincial")
        person = Person.objects.create(government=government, slug="consejera", name="Consejera Uno")
        Membership.objects.create(
            government=government, council=council, person=person, role="member", starts_on=dt.date(2024, 5, 14)
        )
        act = Act.objects.create(
            government=government,
            council=council,
            slug="po-2026-001",
            identifier="PO-2026-001",
            kind="ordinance",
            title="Ordenanza de datos abiertos",
            stage="presented",
            stage_date=dt.date(2026, 11, 2),
        )
        session = Session.objects.create(
            government=government,
            council=council,
            slug="sesion-ordinaria",
            kind="ordinary",
            title="Sesión ordinaria",
            starts_at=timezone.now() + dt.timedelta(days=5),
            status="convened",
        )
        item = AgendaItem.objects.create(government=government, session=session, position=1, title="Punto", act=act)
        event = VoteEvent.objects.create(government=government, item=item, motion="Aprobar", result="passed", act=act)
        Vote.objects.create(government=government, event=event, person=person, option="yes")
    return {"act": act, "person": person, "session": session, "event": event}


@pytest.fixture
def portal(government, settings, tmp_path):
    """The government's data and the path parameters of one real object per operation."""
    settings.DATASTORE_SQLITE_PATH = tmp_path / "datastore.sqlite3"
    # Hundreds of requests from one address: the rate limit has its own tests.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
    }
    GovernmentFactory(
        name="GAD Municipal de Portoviejo", slug="portoviejo", level="canton", dpa_code="1301", parent=government
    )
    with government_scope(government):
        budget.published_budget(government, year=2026, months=(3,))
    ocds.do_import(
        government,
        ocds.package(
            ocds.tender_release(OCID, date="2026-02-01T10:00:00-05:00"), ocds.award_release(OCID, amount=950_000)
        ),
    )
    project = works.project(government, links={"budget.line": [f"2026:{PARTIDA}"], "procurement.process": [OCID]})
    works.progress(government, project)
    unit = institution.unit(government)
    authority = institution.authority(government, unit=unit)
    event = institution.event(government, unit=unit)
    process = participation.process(government, slug="presupuesto-participativo")
    survey, _questions = surveys.survey_with_questions(government, process)  # surveys
    pb_budget = participatory_budgets.budget(government, process)
    dataset = catalog.dataset(government, themes=[catalog.theme(government)], tags=["obras"])
    resource = catalog.resource(government, dataset)
    report = load_table(
        table_id=resource.datastore_table_id, source=io.BytesIO(TABLE.encode()), filename="obras.csv", now=None
    )
    assert report.ok, report.errors
    with government_scope(government):
        layer = make_layer(government)
        buyer, supplier = Buyer.objects.get(), Supplier.objects.get()
    council = _council_records(government)
    real = {
        "/api/v1/concejo/actos/{uid}/": {"uid": str(council["act"].uid)},
        "/api/v1/concejo/miembros/{uid}/": {"uid": str(council["person"].uid)},
        "/api/v1/concejo/sesiones/{uid}/": {"uid": str(council["session"].uid)},
        "/api/v1/concejo/votaciones/{uid}/": {"uid": str(council["event"].uid)},
        "/api/v1/contratacion/compradores/{id}/": {"id": buyer.pk},
        "/api/v1/contratacion/proveedores/{id}/": {"id": supplier.pk},
        "/api/v1/contratacion/procesos/{ocid}/": {"ocid": OCID},
        "/api/v1/datos/conjuntos/{slug}/": {"slug": dataset.slug},
        "/api/v1/geo/capas/{slug}/": {"slug": layer.slug},
        "/api/v1/institucion/autoridades/{slug}/": {"slug": authority.slug},
        "/api/v1/institucion/unidades/{slug}/": {"slug": unit.slug},
        "/api/v1/institucion/eventos/{uid}/": {"uid": str(event.uid)},
        "/api/v1/obras/proyectos/{slug}/": {"slug": project.slug},
        "/api/v1/participacion/procesos/{slug}/": {"slug": process.slug},
        "/api/v1/participacion/procesos/{slug}/encuestas/": {"slug": process.slug},  # surveys
        "/api/v1/participacion/procesos/{slug}/resultados/": {"slug": process.slug},  # results
        "/api/v1/participacion/procesos/{slug}/encuestas/{survey_slug}/": {
            "slug": process.slug,
            "survey_slug": survey.slug,
        },
        "/api/v1/participacion/procesos/{slug}/propuestas/": {"slug": process.slug},
        "/api/v1/participacion/procesos/{slug}/presupuestos/": {"slug": process.slug},
        "/api/v1/participacion/procesos/{slug}/presupuestos/{budget}/": {
            "slug": process.slug,
            "budget": pb_budget.slug,
        },
        "/api/v1/presupuesto/anios/{year}/partidas/{partida}/": {"year": 2026, "partida": PARTIDA},
    }
    for path in (
        "/api/v1/obras/proyectos/{slug}/avances/",
        "/api/v1/obras/proyectos/{slug}/oc4ids/",
    ):
        real[path] = {"slug": project.slug}
    for path in ("/api/v1/presupuesto/anios/{year}/ejecucion/", "/api/v1/presupuesto/anios/{year}/partidas/"):
        real[path] = {"year": 2026}
    for path in committed_api_schema().raw_schema["paths"]:
        if path.startswith("/api/v1/datos/recursos/{id}/"):
            real[path] = {"id": resource.pk}
    return {"base_url": f"http://testserver/g/{government.slug}", "real": real}


def _run(operation, strategy, base_url: str, app, answered: set) -> str | None:
    """Send the strategy's requests; the first failing check's report, or None. Adds the
    operation to `answered` when one of its answers was a success."""

    @seed(SEED)
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def send(case):
        response = case.call(base_url=base_url, app=app)
        if 200 <= response.status_code < 300:
            answered.add((operation.method, operation.path))
        case.validate_response(response, checks=api_conformance_checks())

    try:
        send()
    except Unsatisfiable:  # nothing in this operation can be made invalid (negative mode)
        return None
    except (Exception, BaseExceptionGroup) as exc:  # the failing case, shrunk by hypothesis, with its curl command
        return f"{operation.method.upper()} {operation.path}: {exc}"
    return None


def test_every_operation_answers_as_its_schema_says(portal):
    app = get_wsgi_application()
    answered = set()
    with wsgi_requests_in_the_test_transaction():
        failures = _failures(portal, app, answered)
    assert not failures, "\n\n".join(failures)
    # The requests reached real data: every operation but the two that need an official's
    # token answered with a success at least once (not only 400s and 404s).
    everything = {(operation.method, operation.path) for operation in _operations()}
    assert len(everything) >= 38
    assert everything - answered == {("get", "/api/v1/yo/"), ("delete", "/api/v1/yo/token/")}


def _failures(portal, app, answered: set) -> list[str]:
    failures = []
    for operation in _operations():
        strategies = [operation.as_strategy(mode) for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)]
        if operation.path in portal["real"]:
            strategies.append(operation.as_strategy(path_parameters=portal["real"][operation.path]))
        for strategy in strategies:
            if (failure := _run(operation, strategy, portal["base_url"], app, answered)) is not None:
                failures.append(failure)
    return failures
