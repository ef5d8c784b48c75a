"""The demo follows the government's level: a canton's or a parish's acts and texts do not
speak of the province."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import GovernmentFactory

from .. import demo
from ..acts.models import Act, Unit
from ..members.models import Committee, Council

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("level", "council_name", "word"),
    [
        ("canton", "Concejo Municipal de Portoviejo", "municipales"),
        ("parish", "Junta Parroquial de Portoviejo", "parroquiales"),
    ],
)
def test_a_canton_or_parish_demo_speaks_of_its_own_level(level, council_name, word):
    government = GovernmentFactory(name="Gobierno de Portoviejo", short_name="Portoviejo", slug="pv", level=level)
    with government_scope(government):
        demo.seed(government, now=NOW, stdout=io.StringIO())
        assert Council.objects.get().name == council_name
        titles = list(Act.objects.values_list("title", flat=True))
        assert len(titles) == len(demo.ACTS)
        assert not [title for title in titles if "provincia" in title.lower()]
        assert f"Ordenanza de transparencia y datos abiertos {word}" in titles
        texts = [f"{unit.heading} {unit.body}" for unit in Unit.objects.all()]
        texts += list(Act.objects.values_list("summary", flat=True))
        texts += list(Committee.objects.values_list("description", flat=True))
        texts.append(Council.objects.get().seat)
        assert not [text for text in texts if "provincial" in text.lower() or "{" in text]


def test_a_province_demo_keeps_its_provincial_words(government):
    with government_scope(government):
        demo.seed(government, now=NOW, stdout=io.StringIO())
        assert Act.objects.filter(title="Ordenanza de transparencia y datos abiertos provinciales").exists()
        assert Unit.objects.filter(body__contains="presupuesto provincial").exists()
        assert not Unit.objects.filter(body__contains="{").exists()
