import io

import pytest
from django.utils import timezone

from minga.core.tenancy.scoping import government_scope

from .. import demo
from ..models import ImportRun, Process, Release


@pytest.fixture
def seeded(government):
    with government_scope(government):
        demo.seed(government, now=timezone.now(), stdout=io.StringIO())
    return government


def test_demo_seed_has_20000_releases_with_planted_flags(seeded):
    with government_scope(seeded):
        assert Release.objects.count() >= 20_000
        processes = Process.objects.all()
        assert processes.count() >= 5_000
        assert processes.filter(procedure__isnull=True).count() == 0
        codes = set(processes.values_list("procedure__code", flat=True))
        assert {"infima-cuantia", "subasta-inversa", "licitacion", "emergencia", "catalogo-electronico"} <= codes
        for code in ("R018", "R003", "R035", "R036", "AMEND", "BUDGET"):
            assert processes.filter(**{f"flags__{code}__state": "fired"}).exists(), code
        for code in ("FRAC", "EMER", "CONC", "NEWSUP", "THRESH"):
            assert processes.filter(**{f"group_flags__{code}__state": "fired"}).exists(), code
        assert processes.filter(flags__R003__state="no_data").exists()
        # A few planted instances, not a flood; some suppliers' registration dates are unknown.
        for code in ("NEWSUP", "THRESH"):
            assert processes.filter(**{f"group_flags__{code}__state": "fired"}).count() < processes.count() // 50, code
        assert processes.filter(group_flags__NEWSUP__state="no_data").exists()
        assert processes.filter(group_flags__NEWSUP__state="clear").exists()


def test_demo_seed_is_idempotent(seeded):
    with government_scope(seeded):
        before = (Process.objects.count(), Release.objects.count(), ImportRun.objects.count())
        demo.seed(seeded, now=timezone.now(), stdout=io.StringIO())
        assert (Process.objects.count(), Release.objects.count(), ImportRun.objects.count()) == before


def test_large_seed_in_batches(government):
    with government_scope(government):
        demo.seed_large(government, now=timezone.now(), stdout=io.StringIO(), total=300)
        assert Process.objects.count() == 300
        assert Release.objects.filter(tags="compiled").count() == 300
