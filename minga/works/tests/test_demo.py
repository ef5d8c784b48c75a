import datetime as dt
import io

import pytest
import shapely.geometry

from minga.core.comments.models import Comment
from minga.core.tenancy import demo_territory as territory
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import GovernmentFactory, UserFactory

from .. import demo, indicators
from ..models import Photo, ProgressUpdate, Project

pytestmark = pytest.mark.django_db


def test_demo_seed_is_located_has_histories_and_is_idempotent(seeded, now):
    with government_scope(seeded):
        projects = list(Project.objects.all())
        assert len(projects) == 12
        for project in projects:
            assert project.geometry and -81.2 < project.min_lon <= project.max_lon < -79.2
            assert -2.0 < project.min_lat <= project.max_lat < 0.5
            assert project.dpa_code.startswith("13")
        assert ProgressUpdate.objects.count() > 30
        assert Photo.objects.exists()
        assert Comment.objects.filter(target_key="works.project", is_official=True).exists()
        assert Comment.objects.filter(target_key="works.project", depth=1, is_official=False).exists()
        assert Comment.objects.filter(target_key="works.project", status="hidden").exists()
        counts = (Project.objects.count(), ProgressUpdate.objects.count(), Comment.objects.count())
        demo.seed(seeded, now=now, stdout=io.StringIO(), count=12)
        assert (Project.objects.count(), ProgressUpdate.objects.count(), Comment.objects.count()) == counts


def test_demo_seeds_in_the_evening_when_utc_has_already_turned_the_day():
    """At 21:30 in Guayaquil the UTC date is tomorrow's: no progress update may be dated then
    (a canton's demo posts one on the day it runs)."""
    evening = dt.datetime(2026, 12, 8, 2, 30, tzinfo=dt.UTC)
    portoviejo = GovernmentFactory(level="canton", dpa_code="1301", slug="portoviejo", short_name="Portoviejo")
    UserFactory(email="ciudadania1@demo.minga.ec")
    with government_scope(portoviejo):
        demo.seed(portoviejo, now=evening, stdout=io.StringIO())
        latest = ProgressUpdate.objects.order_by("-reported_on").values_list("reported_on", flat=True).first()
    assert latest == dt.date(2026, 12, 7)


def test_demo_plants_every_flag(government, now):
    UserFactory(email="ciudadania1@demo.minga.ec")
    with government_scope(government):
        demo.seed(government, now=now, stdout=io.StringIO())
        projects = indicators.attach(Project.objects.all(), government=government, today=now.date())
    assert len(projects) >= 60
    raised = {flag for project in projects for flag in project.indicators.flags}
    assert raised == set(indicators.FLAG_LABELS)


def _outside(projects, area_of) -> list[str]:
    found = []
    for project in projects:
        area = area_of(project)
        if area is None or not area.contains(shapely.geometry.shape(project.geometry)):
            found.append(f"{project.slug} {project.title} ({project.dpa_code} {project.territory_name})")
    return found


def test_every_province_work_lies_on_land_inside_the_canton_it_names(government, now):
    """Manabí's works: each inside its canton, so on land (the coast is Natural Earth's)."""
    UserFactory(email="ciudadania1@demo.minga.ec")
    with government_scope(government):
        demo.seed(government, now=now, stdout=io.StringIO())
        projects = list(Project.objects.all())
    assert len(projects) == demo.PROVINCE_COUNT
    assert len({project.title for project in projects}) == len(projects)  # no work twice
    assert {project.territory_name for project in projects} <= {name for _c, name, *_ in territory.CANTONS}
    assert _outside(projects, lambda project: territory.area(project.dpa_code)) == []
    assert _outside(projects, lambda project: territory.province_area()) == []


def test_every_canton_work_lies_inside_the_parish_it_names(now):
    """Portoviejo's works: each inside the parish it names, itself inside the canton."""
    portoviejo = GovernmentFactory(level="canton", dpa_code="1301", slug="portoviejo", short_name="Portoviejo")
    parishes = {name: area for name, _urban, area in territory.parish_areas("1301").values()}
    with government_scope(portoviejo):
        demo.seed(portoviejo, now=now, stdout=io.StringIO())
        projects = list(Project.objects.all())
    assert len(projects) == demo.CANTON_COUNT
    assert {project.dpa_code for project in projects} == {"1301"}
    assert _outside(projects, lambda project: parishes.get(project.territory_name)) == []
    assert _outside(projects, lambda project: territory.area("1301")) == []
