import io

import pytest

from minga.core.comments.models import Comment
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory

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


def test_demo_plants_every_flag(government, now):
    UserFactory(email="ciudadania1@demo.minga.ec")
    with government_scope(government):
        demo.seed(government, now=now, stdout=io.StringIO())
        projects = indicators.attach(Project.objects.all(), government=government, today=now.date())
    assert len(projects) >= 60
    raised = {flag for project in projects for flag in project.indicators.flags}
    assert raised == set(indicators.FLAG_LABELS)
