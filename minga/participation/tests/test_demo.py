"""The demo seed: a participatory budget in its support phase, an open consultation whose
voting has started (its rules fixed), last cycle's finished budget and a draft; running it
twice creates nothing new."""

from __future__ import annotations

import io

import pytest

from minga.core.registry import manifest
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import GovernmentFactory, gov_url

from .. import demo
from ..processes import selectors, services
from ..processes.models import Phase, Process

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_covers_every_status(client, government, now):
    seed = manifest("participation").demo_seed
    assert seed is demo.seed
    for _ in range(2):
        with government_scope(government):
            seed(government, now=now, stdout=io.StringIO())
    with government_scope(government):
        assert Process.objects.count() == 4 and Phase.objects.count() == 15
        groups = selectors.listing(government, now=now)
        year = now.year
        pb = Process.objects.get(slug=f"presupuesto-participativo-{year + 1}")
        consultation = Process.objects.get(slug="consulta-movilidad")
        assert [p.slug for p in groups.ongoing] == ["consulta-movilidad", pb.slug]
        assert [p.slug for p in groups.finished] == [f"presupuesto-participativo-{year - 1}"]
        assert not groups.upcoming  # the upcoming one is a draft
        assert selectors.feature_on(selectors.public_process(government, pb.slug), "support", now)
        assert selectors.feature_on(selectors.public_process(government, consultation.slug), "vote", now)
        assert services.voting_locked(consultation, now=now) and not services.voting_locked(pb, now=now)
    response = client.get(gov_url(government, "participation:process_detail", slug="consulta-movilidad"))
    assert response.status_code == 200 and 'aria-current="step"' in response.content.decode()


def test_seed_limits_the_budget_to_parishes_when_they_are_known(now):
    canton = GovernmentFactory(level="canton", dpa_code="1301", slug="portoviejo", short_name="Portoviejo")
    for number, name in ((51, "Abdón Calderón"), (52, "Alhajuela"), (53, "Chirijos")):
        GovernmentFactory(level="parish", dpa_code=f"1301{number}", short_name=name, parent=canton)
    with government_scope(canton):
        demo.seed(canton, now=now, stdout=io.StringIO())
        pb = Process.objects.get(kind="participatory_budget", ends_at__gt=now)
    assert pb.territory_names == ["Abdón Calderón", "Alhajuela", "Chirijos"]
