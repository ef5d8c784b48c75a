"""Services of results: progress roll-up, the tree's limits, statuses, notices to followers
(one per change, none for drafts), CSV import all or nothing with line-numbered errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from minga.core.notifications import services as notifications
from minga.core.notifications.models import Notification
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory

from .. import imports, selectors, services
from ..models import Result
from . import factories

pytestmark = pytest.mark.django_db


def test_rolled_up_is_the_weighted_average():
    assert selectors.rolled_up([(Decimal(3), Decimal(100)), (Decimal(1), Decimal(0))]) == Decimal("75.00")
    assert selectors.rolled_up([(Decimal(0), Decimal(50)), (Decimal(0), Decimal(100))]) == Decimal("75.00")
    assert selectors.rolled_up([]) == Decimal("0")


def test_parent_follows_its_children_unless_set_by_hand(government, process):
    parent = factories.result(government, process, title="Vialidad")
    road = factories.result(government, process, parent=parent, title="Asfaltado", weight=3, progress=40)
    factories.result(government, process, parent=parent, title="Aceras", weight=1, progress=80)
    with government_scope(government):
        parent.refresh_from_db()
    assert parent.progress == Decimal("50.00")
    factories.update(government, road, progress=80)
    with government_scope(government):
        parent.refresh_from_db()
    assert parent.progress == Decimal("80.00")
    # Set by hand: the children no longer move it.
    factories.update(government, parent, progress=10, progress_by_hand=True)
    factories.update(government, road, progress=0)
    with government_scope(government):
        parent.refresh_from_db()
    assert parent.progress == Decimal("10.00")


def test_grandchild_rolls_up_to_the_top(government, process):
    top = factories.result(government, process, title="Agua")
    middle = factories.result(government, process, parent=top, title="Red")
    factories.result(government, process, parent=middle, title="Tramo 1", progress=60)
    with government_scope(government):
        top.refresh_from_db()
        middle.refresh_from_db()
    assert middle.progress == Decimal("60.00") and top.progress == Decimal("60.00")


def test_at_most_three_levels(government, process):
    one = factories.result(government, process)
    two = factories.result(government, process, parent=one)
    three = factories.result(government, process, parent=two)
    with pytest.raises(ValidationError) as error:
        factories.result(government, process, parent=three)
    assert "como máximo 3 niveles" in str(error.value)


def test_status_must_be_one_of_the_governments(government, process):
    with pytest.raises(ValidationError) as error:
        factories.result(government, process, status="inventado")
    assert "no es uno de los estados" in str(error.value)


def test_progress_out_of_range_is_refused(government, process):
    with pytest.raises(ValidationError) as error:
        factories.result(government, process, progress="120")
    assert "entre 0 y 100" in str(error.value)


def _follower(government, result):
    person = UserFactory()
    with government_scope(government):
        notifications.follow(user=person, government=government, target=result)
    return person


def _notices(government, person):
    with government_scope(government):
        return list(Notification.objects.filter(user=person).order_by("pk"))


def test_followers_hear_of_each_change_once(government, process, django_capture_on_commit_callbacks):
    result = factories.result(government, process, status="no-iniciado")
    person = _follower(government, result)
    with django_capture_on_commit_callbacks(execute=True):
        factories.update(government, result, status="ejecucion", progress=30)  # one edit, one notice
    with django_capture_on_commit_callbacks(execute=True):
        factories.update(government, result, title="Otro título")  # neither status nor progress
    with django_capture_on_commit_callbacks(execute=True), government_scope(government):
        services.timeline_add(
            actor=None, government=government, result=result, date=dt.date(2025, 5, 1), text="Contrato firmado"
        )
    notices = _notices(government, person)
    assert len(notices) == 2
    assert "En ejecución" in notices[0].summary and "30" in notices[0].summary
    assert "Contrato firmado" in notices[1].summary


def test_parent_followers_hear_when_a_child_moves_it(government, process, django_capture_on_commit_callbacks):
    parent = factories.result(government, process)
    child = factories.result(government, process, parent=parent, progress=0)
    person = _follower(government, parent)
    with django_capture_on_commit_callbacks(execute=True):
        factories.update(government, child, progress=50)
    assert len(_notices(government, person)) == 1


def test_no_notice_for_drafts(government, process, django_capture_on_commit_callbacks):
    result = factories.result(government, process)
    person = _follower(government, result)
    factories.update(government, result, is_published=False)
    with django_capture_on_commit_callbacks(execute=True):
        factories.update(government, result, status="terminado", progress=100)
    with django_capture_on_commit_callbacks(execute=True), government_scope(government):
        services.timeline_add(actor=None, government=government, result=result, date=dt.date(2025, 5, 1), text="Hito")
    assert _notices(government, person) == []


def test_timeline_progress_becomes_the_results(government, process):
    result = factories.result(government, process)
    with government_scope(government):
        services.timeline_add(
            actor=None, government=government, result=result, date=dt.date(2025, 6, 1), text="Avance", progress="45"
        )
        services.timeline_add(
            actor=None, government=government, result=result, date=dt.date(2025, 1, 1), text="Antes", progress="5"
        )
        result.refresh_from_db()
    assert result.progress == Decimal("45.00")  # the older entry does not move it back


GOOD = """referencia,padre,titulo,estado,avance,inicio,fin,unidad,vinculos
R1,,Vialidad,En ejecución,,2025-01-01,2025-12-31,Obras Públicas,
R1.1,R1,Asfaltado,ejecucion,40,2025-02-01,,,works.project:puente
R1.2,R1,Aceras,terminado,100,,,,budget.line:2025:750105
"""


def test_import_creates_the_tree(government, process):
    with government_scope(government):
        report = imports.import_results(actor=None, government=government, process=process, content=GOOD.encode())
        results = {r.reference: r for r in Result.objects.filter(process=process)}
    assert (report.created, report.updated) == (3, 0)
    assert results["R1.1"].parent_id == results["R1"].pk
    assert results["R1"].progress == Decimal("70.00")
    assert results["R1"].unit_name == "Obras Públicas"
    with government_scope(government):
        assert selectors.link_keys(government, results["R1.1"]) == {"works.project": ["puente"]}


def test_import_is_all_or_nothing_with_line_numbers(government, process):
    existing = factories.result(government, process, title="Antes", reference="R1", progress=10)
    bad = (
        "referencia;titulo;estado;avance;inicio\n"
        "R1;Cambiado;ejecucion;50;2025-01-01\n"
        "R2;Nuevo;inventado;;\n"
        "R3;Otro;;150;31-31-2025\n"
        ";;;;\n"
        "R4;;;;\n"
    )
    with government_scope(government), pytest.raises(imports.ImportRefused) as error:
        imports.import_results(actor=None, government=government, process=process, content=bad.encode())
    lines = [line for line, _ in error.value.problems]
    assert lines == sorted(lines) and {3, 4, 6} <= set(lines) and 2 not in lines
    text = " ".join(error.value.messages)
    assert "Línea 3" in text and "inventado" in text and "31-31-2025" in text
    with government_scope(government):
        assert list(Result.objects.filter(process=process).values_list("title", "progress")) == [
            ("Antes", Decimal("10.00"))
        ]
        assert existing.pk == Result.objects.get(process=process).pk


def test_import_refuses_unknown_columns_and_empty_files(government, process):
    with government_scope(government):
        with pytest.raises(imports.ImportRefused) as error:
            imports.import_results(
                actor=None, government=government, process=process, content=b"titulo,color\nA,rojo\n"
            )
        assert "color" in " ".join(error.value.messages)
        with pytest.raises(imports.ImportRefused):
            imports.import_results(actor=None, government=government, process=process, content=b"titulo\n")
        with pytest.raises(imports.ImportRefused):
            imports.import_results(actor=None, government=government, process=process, content=b"\xff\xfe")


def test_delete_takes_the_branch_and_moves_the_parent(government, process):
    parent = factories.result(government, process)
    factories.result(government, process, parent=parent, progress=100)
    doomed = factories.result(government, process, parent=parent, progress=0)
    factories.result(government, process, parent=doomed)
    with government_scope(government):
        services.result_delete(actor=None, government=government, result=doomed)
        parent.refresh_from_db()
        assert Result.objects.filter(process=process).count() == 2
    assert parent.progress == Decimal("100.00")
