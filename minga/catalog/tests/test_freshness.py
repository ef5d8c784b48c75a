"""The freshness promise: status at the boundaries of the government's calendar, the public
"out of date" badge and filter, the back-office panel (scoped, sortable, cheap) and the
overdue e-mails (once per late period, in the recipient's language, only with a contact)."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone, translation

from minga.core.registry import manifest
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory, gov_url, login_verified, make_official

from .. import tasks
from ..datasets.models import Dataset, Resource
from ..quality import freshness, notices
from ..tables import services as table_services
from ..tables.models import ResourceLoad
from . import factories
from .conftest_datastore import datastore_env  # noqa: F401

pytestmark = pytest.mark.django_db

QUITO = zoneinfo.ZoneInfo("America/Guayaquil")


def _at(year, month, day, hour=12, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=QUITO)


def _late(government, days=40, **fields):
    """A monthly dataset whose data is `days` days old (so about days - 30 days late)."""
    values = {"frequency": "MONTHLY", "now": timezone.now() - dt.timedelta(days=days)}
    values.update(fields)
    return factories.dataset(government, **values)


def _set(dataset, **fields):
    Dataset._base_manager.filter(pk=dataset.pk).update(**fields)
    dataset.refresh_from_db()
    return dataset


# Status ----------------------------------------------------------------------------------


def test_late_starts_at_midnight_in_the_governments_time_zone(government):
    dataset = _set(factories.dataset(government, frequency="MONTHLY"), next_update_due=dt.date(2026, 3, 10))
    # 23:59 in Ecuador on the due day is already 04:59 of the next day in UTC: still on time.
    last_minute = _at(2026, 3, 10, 23, 59)
    assert last_minute.astimezone(dt.UTC).date() == dt.date(2026, 3, 11)
    today = freshness.government_today(government, now=last_minute)
    assert today == dt.date(2026, 3, 10)
    state = freshness.status(dataset, today=today)
    assert state.state == freshness.DUE_SOON and state.days == 0 and not state.is_late
    # Midnight in Ecuador: late by one day.
    today = freshness.government_today(government, now=_at(2026, 3, 11, 0, 0))
    state = freshness.status(dataset, today=today)
    assert state.is_late and state.days == 1
    # 01:00 UTC on the 11th is still the evening of the 10th in Ecuador.
    utc_night = dt.datetime(2026, 3, 11, 1, 0, tzinfo=dt.UTC)
    assert not freshness.status(dataset, today=freshness.government_today(government, now=utc_night)).is_late
    assert freshness.status(dataset, today=dt.date(2026, 4, 9)).days == 30


def test_due_soon_window_depends_on_the_frequency(government):
    monthly = _set(factories.dataset(government, frequency="MONTHLY"), next_update_due=dt.date(2026, 5, 20))
    assert freshness.status(monthly, today=dt.date(2026, 5, 13)).state == freshness.DUE_SOON  # 7 days left
    assert freshness.status(monthly, today=dt.date(2026, 5, 12)).state == freshness.ON_TIME  # 8 days left
    daily = _set(factories.dataset(government, frequency="DAILY"), next_update_due=dt.date(2026, 5, 20))
    assert freshness.status(daily, today=dt.date(2026, 5, 19)).state == freshness.ON_TIME
    irregular = factories.dataset(government, frequency="IRREG")
    assert irregular.next_update_due is None
    assert freshness.status(irregular, today=dt.date(2026, 5, 19)).state == freshness.NO_PROMISE


def test_last_updated_falls_back_to_the_latest_load_then_resources_then_creation(government, datastore_env):  # noqa: F811
    dataset = factories.dataset(government)
    with government_scope(government):
        [found] = freshness.attach(Dataset.objects.filter(pk=dataset.pk))
    assert found.last_updated == found.created_at
    resource = factories.resource(government, dataset)
    with government_scope(government):
        table_services.resource_load_run(government=government, resource=resource)
        finished = _at(2026, 2, 3)
        ResourceLoad._base_manager.filter(resource=resource).update(finished_at=finished)
        # Rows written before the refresh machinery stamped when the data changed.
        _set(dataset, data_updated_at=None)
        Resource._base_manager.filter(pk=resource.pk).update(data_updated_at=None)
        [found] = freshness.attach(Dataset.objects.filter(pk=dataset.pk))
        assert found.last_updated == finished
        stamped = _at(2026, 2, 9)
        _set(dataset, data_updated_at=stamped)
        [found] = freshness.attach(Dataset.objects.filter(pk=dataset.pk))
        assert found.last_updated == stamped


# Public pages ----------------------------------------------------------------------------


def _item(body: str, title: str) -> str:
    for chunk in body.split('<li class="dataset-item">')[1:]:
        if title in chunk:
            return chunk.split("</li>")[0]
    raise AssertionError(f"{title} not listed")


def test_out_of_date_badge_is_public_for_late_datasets_only(client, english, government):
    late = _late(government, days=45, title="Recaudación mensual")
    on_time = factories.dataset(government, frequency="MONTHLY", title="Obras del mes")
    days = (freshness.government_today(government) - late.next_update_due).days
    assert days >= 14

    body = client.get(gov_url(government, "catalog:dataset_list")).content.decode()
    late_item, on_time_item = _item(body, "Recaudación mensual"), _item(body, "Obras del mes")
    assert "Out of date" in late_item and f"{days} days late" in late_item
    assert "Last updated" in late_item and "Next update due" in late_item
    assert "Out of date" not in on_time_item and "Next update due" in on_time_item

    page = client.get(gov_url(government, "catalog:dataset_detail", slug=late.slug)).content.decode()
    assert 'id="overdue"' in page and "Out of date" in page and f"it is {days} days late" in page
    page = client.get(gov_url(government, "catalog:dataset_detail", slug=on_time.slug)).content.decode()
    assert 'id="overdue"' not in page and "Out of date" not in page
    assert "Next update due" in page and "Last updated" in page


def test_out_of_date_badge_reads_desactualizado_in_spanish(client, government):
    late = _late(government)
    page = client.get(gov_url(government, "catalog:dataset_detail", slug=late.slug)).content.decode()
    assert "Desactualizado" in page


def test_only_out_of_date_filter(client, english, government):
    _late(government, title="Recaudación mensual")
    factories.dataset(government, frequency="MONTHLY", title="Obras del mes")
    body = client.get(gov_url(government, "catalog:dataset_list")).content.decode()
    link = re.search(r'href="\?([^"]*frescura=desactualizados[^"]*)"', body)
    assert link and "Only out of date" in body
    filtered = client.get(gov_url(government, "catalog:dataset_list") + "?" + link[1].replace("&amp;", "&"))
    text = filtered.content.decode()
    assert "Recaudación mensual" in text and "Obras del mes" not in text
    assert "1 dataset" in text


# Back-office panel -----------------------------------------------------------------------


def test_panel_lists_late_datasets_by_unit_scoped_to_the_government(
    client, english, government, other_government, viewer
):
    _late(government, days=45, title="Recaudación mensual", publisher="Dirección Financiera")
    _late(government, days=100, title="Partes de tránsito", publisher="Dirección de Movilidad")
    factories.dataset(government, frequency="MONTHLY", title="Obras del mes", publisher="Dirección de Obras")
    _late(other_government, days=90, title="Dato ajeno atrasado", publisher="Dirección Financiera")
    login_verified(client, viewer)
    url = gov_url(government, "catalog:office_freshness")
    body = client.get(url).content.decode()
    assert "Recaudación mensual" in body and "Partes de tránsito" in body
    assert "Dato ajeno atrasado" not in body
    assert "Obras del mes" not in body  # on time: only in its unit's view
    assert "2 datasets are late" in body

    ordered = client.get(url, {"orden": "atraso"}).content.decode()
    assert ordered.index("Partes de tránsito") < ordered.index("Recaudación mensual")
    by_title = client.get(url, {"orden": "titulo"}).content.decode()
    assert by_title.index("Partes de tránsito") < by_title.index("Recaudación mensual")

    unit = client.get(url, {"unidad": "Dirección de Obras"}).content.decode()
    assert "Obras del mes" in unit and "Recaudación mensual" not in unit
    unit = client.get(url, {"unidad": "Dirección Financiera"}).content.decode()
    assert "Recaudación mensual" in unit and "Dato ajeno atrasado" not in unit


def test_panels_need_the_back_office_role(client, government):
    for name in ("catalog:office_freshness", "catalog:office_quality"):
        url = gov_url(government, name)
        assert client.get(url).status_code == 302  # anonymous: sign in
        login_verified(client, UserFactory())
        assert client.get(url).status_code == 403  # citizen
        login_verified(client, make_official(government, "viewer", "catalog"))
        assert client.get(url).status_code == 200
        client.logout()


def test_panel_queries_do_not_grow_with_the_datasets(client, government, viewer):
    login_verified(client, viewer)
    url = gov_url(government, "catalog:office_freshness")
    _late(government, publisher="Unidad A")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(6):
        _late(government, days=40 + number, publisher=f"Unidad {number % 3}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_panel_is_in_the_back_office_menu(client, english, government, viewer):
    login_verified(client, viewer)
    body = client.get(gov_url(government, "catalog:office_datasets")).content.decode()
    assert gov_url(government, "catalog:office_freshness") in body
    assert gov_url(government, "catalog:office_quality") in body


# Overdue e-mails -------------------------------------------------------------------------


def test_periodic_jobs_are_declared():
    jobs = {job.name: job for job in manifest("catalog").periodic}
    assert jobs["catalog.notify_overdue"].every == dt.timedelta(days=1)
    assert jobs["catalog.notify_overdue"].task == "minga.catalog.tasks.notify_overdue"
    assert jobs["catalog.compute_quality"].every == dt.timedelta(days=1)


def test_overdue_email_once_per_late_period_and_only_with_a_contact(government, datastore_env):  # noqa: F811
    late = _late(government, days=45, title="Recaudación mensual", publisher_email="finanzas@gad.example")
    _late(government, days=45, title="Sin contacto")  # no publisher or contact e-mail
    _late(government, days=45, title="Borrador atrasado", is_published=False, contact_email="x@gad.example")
    factories.dataset(government, frequency="MONTHLY", title="Al día", publisher_email="obras@gad.example")

    assert tasks.notify_overdue.enqueue().return_value == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["finanzas@gad.example"]
    assert "Recaudación mensual" in message.body and "Sin contacto" not in message.body
    assert f"/g/{government.slug}/datos/gestion/conjuntos/{late.pk}/" in message.body
    late.refresh_from_db()
    assert late.overdue_notified_at is not None

    # The next day's run sends nothing more for the same late period.
    with government_scope(government):
        assert notices.notify_overdue(government=government, now=timezone.now() + dt.timedelta(days=1)) == 0
    assert len(mail.outbox) == 1

    # New data moves the due date: the notice is reset, and sent again when it is late again.
    factories.resource(government, late)
    late.refresh_from_db()
    with government_scope(government):
        assert not freshness.needs_notice(late, today=freshness.government_today(government), government=government)
        later = timezone.now() + dt.timedelta(days=45)
        notices.notify_overdue(government=government, now=later)
    assert [m.to for m in mail.outbox].count(["finanzas@gad.example"]) == 2


def test_overdue_email_in_the_recipients_language(government):
    UserFactory(email="movilidad@gad.example", preferred_language="en")
    first = _late(government, title="Partes de tránsito", publisher_email="movilidad@gad.example")
    second = _late(government, title="Recaudación mensual", contact_email="finanzas@gad.example")
    with government_scope(government):
        assert notices.notify_overdue(government=government) == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    english_mail = by_address["movilidad@gad.example"]
    assert "is late" in english_mail.subject and "Update due on" in english_mail.body
    with translation.override("en"):
        assert formats.date_format(first.next_update_due, "DATE_FORMAT") in english_mail.body
    # Nobody has an account with this address: Spanish, the default (dates at least until
    # the catalogue has the new sentences).
    with translation.override("es"):
        assert formats.date_format(second.next_update_due, "DATE_FORMAT") in by_address["finanzas@gad.example"].body


def test_one_email_lists_all_late_datasets_of_the_address(government):
    for title in ("Uno atrasado", "Dos atrasado"):
        _late(government, title=title, publisher_email="unidad@gad.example")
    with government_scope(government):
        assert notices.notify_overdue(government=government) == 1
    assert "Uno atrasado" in mail.outbox[0].body and "Dos atrasado" in mail.outbox[0].body
