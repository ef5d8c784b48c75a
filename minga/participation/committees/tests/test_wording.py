"""The registry's figures of a committee: its reports are "informes" (core's catalogue
translates a bare "Reports" as "Denuncias", reports of abusive comments, which read as if each
committee had received complaints), and counted once each (the count was members × reports)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

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


def test_the_registry_counts_members_and_reports_once(client, government):
    process = process_factories.process(government, slug="pp-cuentas")
    with government_scope(government):
        committee = services.committee_save(
            actor=None,
            government=government,
            committee=None,
            fields={
                "name": "Veeduría de las cuentas",
                "object_kind": "participation.process",
                "object_key": process.slug,
                "starts_on": dt.date(2026, 1, 10),
                "status": "active",
                "is_published": True,
            },
        )
        for position, name in enumerate(("Ana", "Luis", "Rosa"), start=1):
            services.member_save(
                actor=None,
                government=government,
                committee=committee,
                member=None,
                fields={"name": name, "role": "Vocal", "position": position},
            )
        services.report_add(
            actor=None,
            government=government,
            committee=committee,
            title="Primer informe",
            presented_on=dt.date(2026, 3, 1),
            upload=SimpleUploadedFile("informe.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        )
    html = client.get(gov_url(government, "participation:committee_list")).content.decode()
    row = re.search(r"Veeduría de las cuentas.*?</tr>", html, re.S).group(0)
    assert re.findall(r"<td>(\d+)</td>", row) == ["3", "1"]
