"""The demo seed: a realistic org chart for the government's level, fictional authorities with
drawn portraits and three months of agenda; running it twice creates nothing new."""

import io

import pytest

from minga.core.registry import manifest
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import GovernmentFactory, gov_url

from .. import demo
from ..models import AgendaEvent, Authority, DeclarationLink, Unit

pytestmark = pytest.mark.django_db


def _counts(government):
    with government_scope(government):
        return (
            Unit.objects.count(),
            Authority.objects.count(),
            AgendaEvent.objects.count(),
            DeclarationLink.objects.count(),
        )


def test_seed_is_idempotent_and_realistic(client, government, now):
    seed = manifest("institution").demo_seed
    assert seed is demo.seed
    with government_scope(government):
        seed(government, now=now, stdout=io.StringIO())
    first = _counts(government)
    with government_scope(government):
        seed(government, now=now, stdout=io.StringIO())
    assert _counts(government) == first
    units, authorities, events, declarations = first
    assert units >= 20 and authorities >= 10 and events >= 30 and declarations >= 1
    with government_scope(government):
        names = set(Unit.objects.values_list("name", flat=True))
        assert {"Consejo Provincial", "Prefectura", "Dirección de Obras Públicas", "Procuraduría Síndica"} <= names
        assert AgendaEvent.objects.filter(visibility="private").exists()
        assert AgendaEvent.objects.filter(status="cancelled").count() == 1
        assert Authority.objects.filter(term_end__lt=now.date()).exists()  # past authorities
        assert all(a.photo for a in Authority.objects.all())
        prefecture = Unit.objects.get(slug="prefectura")
        assert prefecture.head is not None and prefecture.head.position.startswith("Prefect")
    assert client.get(gov_url(government, "institution:orgchart")).status_code == 200


def test_seed_differs_by_level_and_is_deterministic(now):
    canton = GovernmentFactory(level="canton", dpa_code="1301", slug="portoviejo", short_name="Portoviejo")
    twin = GovernmentFactory(level="canton", dpa_code="1308", slug="manta", short_name="Manta")
    for each in (canton, twin):
        with government_scope(each):
            demo.seed(each, now=now, stdout=io.StringIO())
    with government_scope(canton):
        names = set(Unit.objects.values_list("name", flat=True))
        people = sorted(Authority.objects.values_list("name", flat=True))
    assert "Concejo Municipal" in names and "Alcaldía" in names and len(names) >= 20
    with government_scope(twin):
        assert sorted(Authority.objects.values_list("name", flat=True)) != people  # seeded per slug


def test_portraits_are_drawn_images():
    image = demo.portrait("María José Zambrano Vera", "#0b5563")
    assert image.read(8).startswith(b"\x89PNG")
