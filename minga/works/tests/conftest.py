import io
from decimal import Decimal

import pytest
from django.utils import timezone

from minga.core import registry
from minga.core.registry import LinkedRecord, ModuleManifest
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory, make_official

from .. import demo


@pytest.fixture
def now():
    return timezone.now().replace(second=0, microsecond=0)


@pytest.fixture
def seeded(government, now):
    """A small demo of the `government` fixture (a province), with the demo citizens."""
    UserFactory(email="ciudadania1@demo.minga.ec")
    UserFactory(email="ciudadania2@demo.minga.ec")
    with government_scope(government):
        demo.seed(government, now=now, stdout=io.StringIO(), count=12)
    return government


@pytest.fixture
def editor(government):
    return make_official(government, "editor", "works")


@pytest.fixture
def viewer(government):
    return make_official(government, "viewer", "works")


LINES = {
    "2026:3.02.750107.001": ("3.02.750107.001 · Obras de urbanización y embellecimiento", Decimal("250000")),
    "2026:3.01.750105.002": ("3.01.750105.002 · Transporte y vías", Decimal("900000")),
}
PROCESSES = {"ocds-5wno2w-COTO-GPM-001-2026": "Construcción del puente sobre el río Chico"}


def _line(key):
    title, amount = LINES[key]
    return LinkedRecord("budget.line", key, title, "/presupuesto/l/", "budget", {"codificado": amount, "devengado": 0})


def _process(key):
    return LinkedRecord("procurement.process", key, PROCESSES[key], "/contratacion/p/", "procurement", {"amount": 1})


@pytest.fixture
def published(monkeypatch, government):
    """A budget and a procurement module that publish the records above, and nothing else."""
    searched = []

    def search_lines(gov, text, limit):
        searched.append((gov, text, limit))
        return [_line(k) for k, (title, _a) in LINES.items() if text.lower() in title.lower() or k.startswith(text)]

    def search_processes(gov, text, limit):
        return [_process(k) for k, title in PROCESSES.items() if text.lower() in (k + title).lower()]

    fake = [
        ModuleManifest(
            key="budget",
            label="B",
            link_resolvers={"budget.line": lambda gov, keys: {k: _line(k) for k in keys if k in LINES}},
            link_search={"budget.line": search_lines},
        ),
        ModuleManifest(
            key="procurement",
            label="P",
            link_resolvers={"procurement.process": lambda gov, keys: {k: _process(k) for k in keys if k in PROCESSES}},
            link_search={"procurement.process": search_processes},
        ),
    ]
    monkeypatch.setattr(registry, "enabled_manifests", lambda government: fake)
    return searched
