"""A committee's reports are "informes": core's catalogue translates a bare "Reports" as
"Denuncias" (reports of abusive comments), which on the registry read as if each committee
had received complaints."""

from __future__ import annotations

import datetime as dt

import pytest

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url
from minga.participation.tests import factories as process_factories

from .. import services

pytestmark = pytest.mark.django_db


def test_reports_read_as_informes(client, government):
    process = process_factories.process(government, slug="pp-informes")
    with government_scope(government):
        committee = services.committee_save(
            actor=None,
            government=government,
            committee=None,
            fields={
                "name": "Veeduría del presupuesto",
                "object_kind": "participation.process",
                "object_key": process.slug,
                "starts_on": dt.date(2026, 1, 10),
                "status": "active",
                "is_published": True,
            },
        )
    for page in (
        client.get(gov_url(government, "participation:committee_list")),
        client.get(gov_url(government, "participation:committee_detail", slug=committee.slug)),
    ):
        text = page.content.decode()
        assert "Informes" in text and "Denuncias" not in text
