"""The territories inside a government (core.tenancy.territories): the governments the
platform registers below it and the parishes the geovisor publishes as boundaries, which the
participation module offers for a process (the modules do not import each other)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from minga.core.tenancy.scoping import government_scope
from minga.core.tenancy.territories import government_territories
from minga.core.testing import GovernmentFactory, gov_url, login_verified, make_official
from minga.geo.tests.conftest import feature_collection, make_layer, square
from minga.participation.processes.models import Process
from minga.participation.tests import factories

pytestmark = pytest.mark.django_db


def _parishes(government, *, is_public=True):
    data = feature_collection(
        square(-80.5, -1.0, nombre="Parroquia Norte", dpa_parroquia="130150"),
        square(-80.4, -1.0, nombre="Parroquia Centro", dpa_parroquia="130151"),
        square(-80.3, -1.0, nombre="Fuera", dpa_parroquia="010150"),  # another province's code
    )
    with government_scope(government):
        return make_layer(government, title="Parroquias", data=data, is_public=is_public)


def test_territories_come_from_governments_and_published_boundaries(government):
    GovernmentFactory(level="canton", dpa_code="1301", slug="portoviejo", short_name="Portoviejo", parent=government)
    _parishes(government)
    found = [(t.code, t.name, t.level) for t in government_territories(government)]
    assert found == [
        ("1301", "Portoviejo", "canton"),
        ("130150", "Parroquia Norte", "parish"),
        ("130151", "Parroquia Centro", "parish"),
    ]


def test_a_hidden_layer_or_a_switched_off_geovisor_offers_nothing(government):
    _parishes(government, is_public=False)
    assert government_territories(government) == []
    _parishes(government)
    government.modules = {"geo": {"enabled": False}}
    government.save()
    assert government_territories(government) == []


def test_a_process_can_cover_published_parishes_only(client, government):
    _parishes(government)
    process = factories.process(government, territories=["130151"])
    assert process.territories == [{"code": "130151", "name": "Parroquia Centro"}]
    with pytest.raises(ValidationError):
        factories.process(government, territories=["010150"])
    login_verified(client, make_official(government, "editor", "participation"))
    html = client.get(gov_url(government, "participation:office_process_edit", pk=process.pk)).content.decode()
    assert 'value="130150"' in html and 'value="130151"' in html and "checked" in html.split('value="130151"')[1][:40]
    with government_scope(government):
        assert Process.objects.count() == 1
