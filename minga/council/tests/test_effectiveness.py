"""The effectiveness review: council pages counted with no personal data (crawlers left out),
flushed to daily rows; figures per month and per act from visits, follows, comments and
attendance; the before/after comparison with its caveat; the public page, the open-data table,
the secretariat's launch date and attendance (audited, refused when wrong) and the demo."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from minga.core.audit.models import AuditEntry
from minga.core.comments.models import Comment
from minga.core.notifications.models import Follow
from minga.core.opendata import tables_for
from minga.core.tenancy.scoping import government_scope, scopes_disabled
from minga.core.testing import UserFactory, gov_url, login_verified
from minga.core.usage import services as usage
from minga.core.usage.models import UsageCount

from ..acts.models import Act
from ..effectiveness import opendata, selectors
from ..effectiveness.chart import monthly_chart
from ..members.models import Council, Person
from ..seat.models import SeatConsensus, SeatRequest
from ..sessions.models import Session

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
SECRET_IP = "203.0.113.77"
TODAY = dt.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _empty_cache():
    usage.discard_pending()
    cache.clear()
    yield
    usage.discard_pending()
    cache.clear()


@pytest.fixture
def browser(client):
    client.defaults.update(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=SECRET_IP)
    return client


@pytest.fixture
def clean(seeded):
    """The demo council with no counted visits, no launch date, no sessions, and none of the
    demo's citizen activity (silla vacía, comments on articles, follows)."""
    with government_scope(seeded):
        SeatConsensus.objects.filter(government=seeded).delete()
        SeatRequest.objects.filter(government=seeded).delete()
        Comment.objects.filter(government=seeded, target_key__startswith="council.").delete()
        Follow.objects.filter(government=seeded, kind__startswith="council.").delete()
        UsageCount.objects.filter(government=seeded).delete()
        Council.objects.filter(government=seeded).update(launched_on=None)
        Session.objects.filter(government=seeded).delete()  # the demo's sessions, with their votes
    return seeded


def _act(government) -> Act:
    with government_scope(government):
        return Act.objects.get(identifier="PO-2026-003")


def _visits(government) -> dict:
    with scopes_disabled():
        rows = UsageCount.objects.filter(government=government, module="council")
        return {(row.kind, row.object_id): row.count for row in rows}


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 15, 0, tzinfo=dt.UTC)


def _session(government, day: dt.date, status="held", attendance=None, slug=None) -> Session:
    with government_scope(government):
        return Session.objects.create(
            government=government,
            council=Council.objects.get(government=government),
            slug=slug or f"sesion-{day.isoformat()}",
            kind="ordinary",
            title=f"Sesión del {day.isoformat()}",
            starts_at=_at(day),
            status=status,
            public_attendance=attendance,
        )


# Counting the pages ----------------------------------------------------------------------


def test_council_pages_are_counted_privately_and_flushed(browser, clean):
    act = _act(clean)
    with government_scope(clean):
        person = Person.objects.get(name="Jorge Intriago Mera")
    for _ in range(2):
        assert browser.get(gov_url(clean, "council:act_detail", slug=act.slug)).status_code == 200
    browser.get(gov_url(clean, "council:act_diff", slug=act.slug))
    browser.get(gov_url(clean, "council:home"))
    browser.get(gov_url(clean, "council:member_detail", slug=person.slug))
    browser.get(gov_url(clean, "council:effectiveness"))
    browser.get(gov_url(clean, "council:act_detail", slug="no-such-act"))  # 404: not counted
    assert _visits(clean) == {}  # buffered until the flush
    usage.flush()
    assert _visits(clean) == {("act", act.pk): 3, ("home", 0): 1, ("person", person.pk): 1, ("review", 0): 1}
    stored = repr(list(cache._cache.items())) + repr(list(UsageCount.objects.for_government(clean).values()))
    assert SECRET_IP not in stored and "Chrome/124" not in stored


def test_crawlers_are_not_counted(client, clean):
    client.defaults.update(HTTP_USER_AGENT="Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
    client.get(gov_url(clean, "council:home"))
    client.get(gov_url(clean, "council:act_detail", slug=_act(clean).slug))
    usage.flush()
    assert _visits(clean) == {}


# The figures ------------------------------------------------------------------------------


def _figures(government):
    """Visits in Jul–Nov 2026, a launch on 1 Oct, two follows, a comment, attendance."""
    act = _act(government)
    counts = [
        ("act", act.pk, dt.date(2026, 7, 10), 4),
        ("act", act.pk, dt.date(2026, 8, 10), 6),
        ("home", 0, dt.date(2026, 9, 2), 2),
        ("act", act.pk, dt.date(2026, 10, 5), 20),
        ("article", act.pk, dt.date(2026, 11, 3), 10),
        ("home", 0, dt.date(2026, 11, 4), 10),
    ]
    assert usage.seed_counts(government, "council", counts) == 6
    with government_scope(government):
        Council.objects.filter(government=government).update(launched_on=dt.date(2026, 10, 1))
        for day, kind, object_id in [
            (dt.date(2026, 10, 6), "council.act", act.pk),
            (dt.date(2026, 11, 7), "council.committee", 1),
        ]:
            Follow.objects.create(
                government=government, user=UserFactory(), kind=kind, object_id=object_id, created_at=_at(day)
            )
        Comment.objects.create(
            government=government,
            target_key="council.act",
            target_id=act.pk,
            author=UserFactory(),
            body="De acuerdo con la propuesta.",
            created_at=_at(dt.date(2026, 11, 8)),
        )
        Comment.objects.create(  # another module's comment: not counted
            government=government,
            target_key="participation.proposal",
            target_id=act.pk,
            author=UserFactory(),
            body="Otro módulo.",
            created_at=_at(dt.date(2026, 11, 8)),
        )
    _session(government, dt.date(2026, 8, 20), attendance=3)
    _session(government, dt.date(2026, 11, 12), attendance=12)
    _session(government, dt.date(2026, 11, 19), status="cancelled", attendance=40)  # not held: left out
    return act


def test_figures_per_month_with_the_launch_compared(clean):
    act = _figures(clean)
    with government_scope(clean):
        review = selectors.review(clean, today=TODAY)
    assert review.launch == dt.date(2026, 10, 1) and review.launch_set
    months = {row.month: row for row in review.months}
    assert list(months) == [dt.date(2026, m, 1) for m in (7, 8, 9, 10, 11)]
    assert [months[key].visits for key in months] == [4, 6, 2, 20, 20]
    assert [months[key].before_launch for key in months] == [True, True, True, False, False]
    assert months[dt.date(2026, 10, 1)].followers == 1 and months[dt.date(2026, 11, 1)].followers == 1
    assert months[dt.date(2026, 11, 1)].comments == 1
    assert months[dt.date(2026, 8, 1)].attendance == 3 and months[dt.date(2026, 11, 1)].attendance == 12
    assert months[dt.date(2026, 11, 1)].sessions == 1
    assert review.totals["visits"] == 52 and review.totals["followers_now"] == 2 and review.totals["comments"] == 1
    visits = next(row for row in review.comparisons if row.metric == "visits")
    assert (visits.before, visits.after, visits.change) == (4.0, 20.0, 400)
    assert review.months_before == 3 and not review.few_months_before
    first = review.acts[0]
    assert first.act == act and (first.visits, first.followers, first.comments) == (40, 1, 1)
    chart = monthly_chart(review.months)
    assert [bar.value for bar in chart.bars] == [4, 6, 2, 20, 20] and chart.launch_x is not None


def test_few_months_before_the_launch_carry_a_caveat(client, clean):
    _figures(clean)
    with government_scope(clean):
        Council.objects.filter(government=clean).update(launched_on=dt.date(2026, 9, 15))
        review = selectors.review(clean, today=TODAY)
    assert review.months_before == 2 and review.few_months_before
    page = client.get(gov_url(clean, "council:effectiveness")).content.decode()
    assert "Solo 2 meses antes del lanzamiento" in page


def test_without_a_launch_date_the_first_act_is_the_launch(clean):
    with government_scope(clean):
        first = Act.objects.order_by("created_at").first()
        launch, was_set = selectors.launch_date(clean)
    assert launch == timezone.localtime(first.created_at).date() and not was_set


def test_silla_vacia_counts_are_zero_without_a_register(clean):
    with government_scope(clean):
        decisions = selectors.seat_decisions(clean)
        review = selectors.review(clean, today=TODAY)
    assert all(outcome in ("accepted", "denied") for _, outcome, _ in decisions)
    assert review.totals["seat_accepted"] + review.totals["seat_denied"] == len(decisions)


def test_the_public_page_shows_the_counts(client, clean):
    act = _figures(clean)
    response = client.get(gov_url(clean, "council:effectiveness"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Efectividad del Concejo Abierto" in page and "<svg" in page and "<caption" in page
    assert ">52<" in page  # visits in the headline
    assert f'href="{gov_url(clean, "council:act_detail", slug=act.slug)}"' in page or act.identifier in page
    assert "antes del lanzamiento" in page
    with government_scope(clean):
        visits = next(row for row in selectors.review(clean).comparisons if row.metric == "visits")
    assert visits.change > 0 and f"+{visits.change} %" in page


def test_the_open_data_table_has_a_row_per_month(clean):
    _figures(clean)
    with government_scope(clean):
        tables = [table for table in tables_for(clean, "council") if table.key == opendata.KEY]
        assert len(tables) == 1
        table = tables[0]
        assert table.title == "Effectiveness of the Open Council" or "Efectividad" in table.title
        rows = list(table.rows())
    months = [row[0] for row in rows]
    assert months[0] == dt.date(2026, 7, 1) and months[-1] == timezone.localdate().replace(day=1)
    by_month = {row[0]: row for row in rows}
    assert by_month[dt.date(2026, 10, 1)][1:5] == (False, 20, 1, 0)
    assert by_month[dt.date(2026, 11, 1)][2] == 20 and by_month[dt.date(2026, 11, 1)][-1] == 12
    assert [column.name for column in table.columns][:3] == ["mes", "antes_del_lanzamiento", "visitas"]


# The secretariat's inputs ----------------------------------------------------------------


def test_an_editor_sets_the_launch_date_and_attendance_audited(client, clean, editor):
    login_verified(client, editor)
    held = _session(clean, dt.date(2026, 11, 12))
    draft = _session(clean, dt.date(2026, 12, 20), status="draft")
    response = client.post(gov_url(clean, "council:office_effectiveness_launch"), {"launched_on": "2026-10-01"})
    assert response.status_code == 302
    response = client.post(
        gov_url(clean, "council:office_effectiveness_attendance", pk=held.pk), {f"s{held.pk}-attendance": "14"}
    )
    assert response.status_code == 302
    with government_scope(clean):
        assert Council.objects.get(government=clean).launched_on == dt.date(2026, 10, 1)
        assert Session.objects.get(pk=held.pk).public_attendance == 14
        assert AuditEntry.objects.filter(action="council.council.launch_date_set").count() == 1
        assert AuditEntry.objects.filter(action="council.session.public_attendance_recorded").count() == 1
    # Refused, with the reason, and nothing saved.
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(gov_url(clean, "council:office_effectiveness_launch"), {"launched_on": future})
    assert response.status_code == 400 and "no puede ser futura" in response.content.decode()
    response = client.post(
        gov_url(clean, "council:office_effectiveness_attendance", pk=draft.pk), {f"s{draft.pk}-attendance": "5"}
    )
    assert response.status_code == 400 and "sesiones que se celebraron" in response.content.decode()
    response = client.post(
        gov_url(clean, "council:office_effectiveness_attendance", pk=held.pk), {f"s{held.pk}-attendance": "-2"}
    )
    assert response.status_code == 400
    with government_scope(clean):
        assert Council.objects.get(government=clean).launched_on == dt.date(2026, 10, 1)
        assert Session.objects.get(pk=draft.pk).public_attendance is None
        assert Session.objects.get(pk=held.pk).public_attendance == 14
    page = client.get(gov_url(clean, "council:office_effectiveness")).content.decode()
    assert "Sesión del 2026-11-12" in page and 'value="14"' in page


def test_a_viewer_sees_the_review_but_cannot_change_it(client, clean, viewer):
    login_verified(client, viewer)
    held = _session(clean, dt.date(2026, 11, 12), attendance=9)
    page = client.get(gov_url(clean, "council:office_effectiveness")).content.decode()
    assert "9 ciudadanos asistieron" in page and "<form" not in page.split("</h1>", 1)[1].split("effect-headline")[0]
    assert (
        client.post(gov_url(clean, "council:office_effectiveness_launch"), {"launched_on": "2026-10-01"}).status_code
        == 403
    )
    with government_scope(clean):
        assert Session.objects.get(pk=held.pk).public_attendance == 9
        assert Council.objects.get(government=clean).launched_on is None


# The demo --------------------------------------------------------------------------------


def test_the_demo_has_months_of_visits_before_and_after_its_launch(seeded):
    with government_scope(seeded):
        review = selectors.review(seeded, today=TODAY)
    assert review.launch == TODAY - dt.timedelta(days=120) and review.launch_set
    assert review.months_before >= 5 and review.months_after >= 4
    visits = next(row for row in review.comparisons if row.metric == "visits")
    assert visits.after > visits.before > 0
    assert review.acts[0].visits > review.acts[-1].visits
    # The demo's neighbours follow acts, committees and members, most of them since the launch.
    followers = next(row for row in review.comparisons if row.metric == "followers")
    assert review.totals["followers_now"] >= 12 and followers.after > followers.before
