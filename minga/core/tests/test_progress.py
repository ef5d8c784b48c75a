"""Progress of long work (core/progress): the throttled writes, the live figures of a job inside
a transaction, the time left, a failure's text, and the page and fragment officials poll."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone, translation

from minga.core.progress import selectors
from minga.core.progress import services as progress
from minga.core.progress.models import Progress
from minga.core.templatetags.progress import time_left_text
from minga.core.testing import (
    UserFactory,
    assert_foreign_government_404,
    gov_url,
    login_verified,
    make_official,
)

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self):
        self.seconds = 0.0

    def __call__(self) -> float:
        return self.seconds


def _stored(tracker) -> Progress:
    return Progress.objects.for_government(tracker.record.government_id).get(pk=tracker.record.pk)


def _start(government, clock=None, **kwargs):
    options = {"kind": "catalog.load", "module": "catalog", "title": "obras.csv", "now": T0}
    options.update(kwargs)
    return progress.start(government=government, clock=clock or Clock(), **options)


def test_start_records_running_work(government):
    tracker = _start(government, key="abc")
    record = _stored(tracker)
    assert record.state == "running" and record.title == "obras.csv" and record.key == "abc"
    assert record.started_at == T0 and record.done == 0 and record.total is None


def test_advance_writes_at_most_about_once_a_second(government):
    clock = Clock()
    tracker = _start(government, clock, labels={"inserting": "Inserting rows"})
    assert tracker.advance("inserting", 0, 1000) is True  # a new phase is written at once
    clock.seconds = 0.4
    assert tracker.advance("inserting", 100, 1000) is False
    clock.seconds = 0.9
    assert tracker.advance("inserting", 200, 1000) is False
    assert _stored(tracker).done == 0
    clock.seconds = 1.1
    assert tracker.advance("inserting", 300, 1000) is True
    record = _stored(tracker)
    assert (record.phase, record.phase_label, record.done, record.total) == ("inserting", "Inserting rows", 300, 1000)
    clock.seconds = 1.2
    assert tracker("indexing", 0, 4) is True  # the next phase, even within the second
    assert _stored(tracker).phase == "indexing"
    assert tracker.writes == 3


def test_inside_a_transaction_the_figures_go_live_through_the_cache(government):
    clock = Clock()
    tracker = _start(government, clock)
    with transaction.atomic():
        tracker.advance("store", 50, 200)
        # The row waits for the transaction; the selector already shows the figures.
        assert _stored(tracker).done == 0
        record = selectors.progress_get(government=government, pk=tracker.record.pk)
        assert (record.phase, record.done, record.total) == ("store", 50, 200)
    tracker.finish()
    record = _stored(tracker)
    assert record.state == "succeeded" and record.done == 200 and record.finished_at


def test_time_left_from_the_rate_so_far(government):
    tracker = _start(government)
    record = tracker.record
    record.phase_started_at = T0
    record.updated_at = T0 + dt.timedelta(seconds=10)
    record.done, record.total = 100, 1000
    assert progress.seconds_left(record) == 90  # 10 rows a second, 900 to go
    assert progress.seconds_left(record, now=record.updated_at + dt.timedelta(seconds=5)) == 85
    record.total = None
    assert progress.seconds_left(record) is None  # no total: cannot tell
    record.total, record.done = 1000, 0
    assert progress.seconds_left(record) is None  # nothing done yet
    with translation.override("en"):
        assert time_left_text(None) == ""
        assert time_left_text(30) == "less than a minute left"
        assert time_left_text(170) == "about 3 minutes left"
        assert time_left_text(3 * 3600 + 600) == "about 3 h 10 min left"
    with translation.override("es"):
        assert time_left_text(170) == "faltan alrededor de 3 minutos"


def test_failure_says_why_and_what_stayed_live(government):
    tracker = _start(government)
    tracker.advance("inserting", 10, 100)
    tracker.fail("Row 12: value does not match the column type.", "Version 3 of the table stays published.")
    record = _stored(tracker)
    assert record.state == "failed" and record.phase == "inserting"
    assert record.failure_reason.startswith("Row 12")
    assert record.kept_live == "Version 3 of the table stays published."
    assert tracker.advance("inserting", 20, 100) is False  # a finished record no longer moves


def test_latest_for_an_object_and_running_lists(government):
    from minga.core.accounts.models import Membership

    obj = Membership.objects.create(user=UserFactory(), government=government, role="viewer", module="catalog")
    first = _start(government, obj=obj)
    first.finish()
    second = _start(government, obj=obj, now=T0 + dt.timedelta(minutes=1))
    assert selectors.latest_for(government=government, obj=obj).pk == second.record.pk
    assert [r.pk for r in selectors.running(government=government, module="catalog")] == [second.record.pk]
    assert selectors.running(government=government, module="geo") == []


# The page and the fragment ------------------------------------------------------------------------


@pytest.fixture
def running_load(government):
    tracker = _start(government, labels={"inserting": "Inserting rows"}, now=timezone.now())
    tracker.advance("inserting", 250, 1000)
    return tracker


def test_permissions_of_the_page_and_the_fragment(client, government, other_government, running_load):
    pk = running_load.record.pk
    urls = [gov_url(government, "core:progress", pk=pk), gov_url(government, "core:progress_fragment", pk=pk)]
    people = {
        "citizen": (UserFactory(), 403),
        "viewer of the module": (make_official(government, "viewer", "catalog"), 200),
        "editor of the module": (make_official(government, "editor", "catalog"), 200),
        "admin": (make_official(government, "admin"), 200),
        "editor of another module": (make_official(government, "editor", "geo"), 403),
        "editor of another government": (make_official(other_government, "editor", "catalog"), 403),
    }
    for url in urls:
        assert client.get(url).status_code == 302, "anonymous goes to sign in"
    for label, (user, status) in people.items():
        client.logout()
        login_verified(client, user)
        for url in urls:
            assert client.get(url).status_code == status, f"{label} {url}"
    # Asked for under another government, the record does not exist.
    client.logout()
    login_verified(client, make_official(other_government, "admin"))
    assert_foreign_government_404(client, other_government, urls, government)


def test_fragment_polls_while_running_and_stops_when_finished(english, government, running_load):
    client = english
    login_verified(client, make_official(government, "viewer", "catalog"))
    url = gov_url(government, "core:progress_fragment", pk=running_load.record.pk)
    body = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in body and f'hx-get="{url}"' in body
    assert "Inserting rows" in body and "250 of 1,000 rows" in body
    assert '<progress max="1000" value="250" aria-label="Progress">' in body
    assert "<html" not in body  # a fragment, for htmx to swap in
    body = client.get(url + "?encabezado=Import+running").content.decode()
    assert "<h2>Import running: obras.csv</h2>" in body and f'hx-get="{url}?encabezado=Import%20running"' in body
    running_load.finish()
    body = client.get(url).content.decode()
    assert "hx-trigger" not in body and "Finished." in body


def test_plain_page_works_on_reload_without_javascript(english, government, running_load):
    client = english
    login_verified(client, make_official(government, "viewer", "catalog"))
    url = gov_url(government, "core:progress", pk=running_load.record.pk)
    response = client.get(url)
    body = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert "<html" in body and "Inserting rows" in body and "250 of 1,000 rows" in body
    assert 'http-equiv="refresh"' not in body
    assert f'href="{url}"' in body  # the reload link
    running_load.fail("The stored file could not be found.", "Version 2 of the table stays published.")
    body = client.get(url).content.decode()
    assert "It failed." in body and "The stored file could not be found." in body
    assert "What stayed live:" in body and "Version 2 of the table stays published." in body


def test_spanish_is_the_default(client, government, running_load):
    login_verified(client, make_official(government, "viewer", "catalog"))
    running_load.fail("x", "y")
    body = client.get(gov_url(government, "core:progress", pk=running_load.record.pk)).content.decode()
    assert "Falló." in body and "Qué sigue publicado:" in body


def test_recovery_gives_up_work_that_stopped_giving_news(government, settings):
    from minga.core.jobs.recovery import recover

    settings.PROGRESS_SILENT_SECONDS = 600
    silent = _start(government)
    talking = _start(government)
    with transaction.atomic():  # its row waits for a transaction; the cache has the news
        talking.now = lambda: T0 + dt.timedelta(minutes=15)
        talking.advance("store", 10, 100)
    assert recover(now=T0 + dt.timedelta(minutes=5))["core.progress"] == 0
    with translation.override("en"):
        assert recover(now=T0 + dt.timedelta(minutes=20))["core.progress"] == 1
    assert recover(now=T0 + dt.timedelta(minutes=20))["core.progress"] == 0  # once
    record = _stored(silent)
    assert record.state == "failed" and "stopped giving news" in record.failure_reason and record.kept_live
    assert _stored(talking).state == "running"


def test_news_that_cannot_be_written_never_stops_the_work(government, monkeypatch):
    from django.core.cache import cache

    tracker = _start(government)

    def refuse(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "set", refuse)
    assert tracker.advance("store", 1, 2) is True  # logged, not raised
    assert tracker.record.done == 1


# Work done by a background job ------------------------------------------------------------------


def test_queued_work_waits_then_a_job_resumes_it(english, government):
    target = UserFactory()  # any saved record the work is about
    record = progress.queued(
        government=government, kind="catalog.load", module="catalog", obj=target, title="obras.csv", now=T0
    )
    assert record.state == "running" and record.phase == progress.QUEUED
    with translation.override("en"):
        assert record.phase_display == "Waiting for a worker to start it"
    later = T0 + dt.timedelta(minutes=3)
    tracker = progress.resume(
        government=government,
        kind="catalog.load",
        module="catalog",
        obj=target,
        labels={"inserting": "Inserting rows"},
        now=later,
    )
    assert tracker.record.pk == record.pk  # the same record, running from now
    stored = _stored(tracker)
    assert stored.started_at == later and stored.phase == "" and stored.done == 0
    tracker.advance("inserting", 10, 100)
    assert _stored(tracker).phase_label == "Inserting rows"
    # Another job's record is not taken up: a record of another kind gets a new one.
    other = progress.resume(government=government, kind="geo.layer_import", module="geo", obj=target, now=later)
    assert other.record.pk != record.pk


def test_recovery_fails_the_running_records_of_an_object(government):
    target = UserFactory()
    record = progress.queued(government=government, kind="catalog.load", module="catalog", obj=target, now=T0)
    done = _start(government, obj=target)
    done.finish()
    assert progress.fail_running(government=government, obj=target, reason="It stopped.", kept_live="All of it.") == 1
    failed = Progress.objects.for_government(government).get(pk=record.pk)
    assert failed.state == "failed" and failed.failure_reason == "It stopped." and failed.kept_live == "All of it."
    assert _stored(done).state == "succeeded"


def test_queued_work_is_not_given_up_for_silence(government, settings):
    from minga.core.jobs.recovery import recover

    settings.PROGRESS_SILENT_SECONDS = 600
    record = progress.queued(government=government, kind="catalog.load", module="catalog", obj=UserFactory(), now=T0)
    assert recover(now=T0 + dt.timedelta(hours=5))["core.progress"] == 0
    assert Progress.objects.for_government(government).get(pk=record.pk).state == "running"


def test_the_fragment_asks_htmx_to_reload_the_page_when_the_work_ended(government, client, running_load):
    login_verified(client, make_official(government, "viewer", "catalog"))
    url = gov_url(government, "core:progress_fragment", pk=running_load.record.pk)
    assert "HX-Refresh" not in client.get(url, HTTP_HX_REQUEST="true")
    running_load.finish()
    assert client.get(url, HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"
    assert "HX-Refresh" not in client.get(url)  # a plain request is not told to reload
