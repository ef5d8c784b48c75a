"""Oversight committees: the registry and a committee's page, the object linked through core's
registry, backlinks from the object overseen, the process page section, members and reports
(PDF only), the role × URL matrix and the tenancy rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from minga.core.registry import find_backlinks
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import assert_foreign_government_404, assert_role_matrix, gov_url, login_verified, make_official
from minga.participation.tests import factories as process_factories

from .. import services, urls
from ..models import Committee, Member, Report

pytestmark = pytest.mark.django_db
XSS = '<script>alert("x")</script>'
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def process(government):
    return process_factories.process(government, slug="pp-veeduria")


@pytest.fixture
def committee(government, process):
    with government_scope(government):
        found = services.committee_save(
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
        services.member_save(
            actor=None,
            government=government,
            committee=found,
            member=None,
            fields={"name": "María Zambrano", "role": "Coordinadora", "organisation": "Comité barrial", "position": 1},
        )
        services.report_add(
            actor=None,
            government=government,
            committee=found,
            title="Primer informe",
            presented_on=dt.date(2026, 3, 1),
            upload=SimpleUploadedFile("informe.pdf", PDF, content_type="application/pdf"),
        )
    return found


@pytest.fixture
def editor(government):
    return make_official(government, "editor", "participation")


def test_the_object_title_comes_from_the_registry(government, committee, process):
    assert committee.object_title == process.title


def test_an_unknown_object_needs_a_name(government):
    fields = {
        "name": "Veeduría",
        "object_kind": "works.project",
        "object_key": "no-existe",
        "starts_on": dt.date(2026, 1, 1),
        "status": "active",
    }
    with government_scope(government):
        with pytest.raises(ValidationError) as raised:
            services.committee_save(actor=None, government=government, committee=None, fields=fields)
        assert "object_key" in raised.value.error_dict
        saved = services.committee_save(
            actor=None, government=government, committee=None, fields={**fields, "object_title": "Puente sobre el río"}
        )
    assert saved.object_title == "Puente sobre el río"


def test_backlinks_from_the_object_overseen(government, committee, process):
    with government_scope(government):
        links = find_backlinks(government, "participation.process", process.slug)
        assert [link.key for link in links] == [committee.slug]
        services.committee_save(
            actor=None,
            government=government,
            committee=None,
            fields={
                "name": "Veeduría de la obra",
                "object_kind": "works.project",
                "object_key": "via-manta",
                "object_title": "Vía Manta",
                "starts_on": dt.date(2026, 1, 1),
                "status": "active",
                "is_published": True,
            },
        )
        links = find_backlinks(government, "works.project", "via-manta")
        assert [link.kind for link in links] == ["participation.committee"]
        assert links[0].url.endswith("/participacion/veedurias/veeduria-de-la-obra/")
        assert find_backlinks(government, "procurement.process", "ocds-x") == []


def test_registry_and_committee_page(client, government, committee, process):
    registry = client.get(gov_url(government, "participation:committee_list")).content.decode()
    assert committee.name in registry and process.title in registry
    page = client.get(gov_url(government, "participation:committee_detail", slug=committee.slug)).content.decode()
    assert "María Zambrano" in page and "Coordinadora" in page and "Primer informe" in page
    assert 'id="overseen-link"' in page
    process_page = client.get(gov_url(government, "participation:process_detail", slug=process.slug)).content.decode()
    assert 'id="veedurias"' in process_page and committee.name in process_page


def test_unpublished_committee_is_not_public(client, government, committee):
    with government_scope(government):
        services.committee_save(actor=None, government=government, committee=committee, fields={"is_published": False})
    assert client.get(gov_url(government, "participation:committee_detail", slug=committee.slug)).status_code == 404


def test_report_upload_refuses_a_non_pdf(client, government, committee, editor):
    login_verified(client, editor)
    url = gov_url(government, "participation:office_committee_report_add", pk=committee.pk)
    fake = SimpleUploadedFile("informe.pdf", b"GIF89a not a pdf", content_type="application/pdf")
    response = client.post(url, {"title": "Segundo informe", "presented_on": "2026-04-01", "file": fake})
    assert response.status_code == 400
    assert 'value="Segundo informe"' in response.content.decode()
    good = SimpleUploadedFile("informe.pdf", PDF, content_type="application/pdf")
    assert client.post(url, {"title": "Segundo informe", "presented_on": "2026-04-01", "file": good}).status_code == 302
    with government_scope(government):
        assert Report.objects.filter(committee=committee).count() == 2


def test_office_forms_keep_values_and_escape(client, government, editor):
    login_verified(client, editor)
    url = gov_url(government, "participation:office_committee_create")
    response = client.post(
        url,
        {
            "name": XSS,
            "object_kind": "works.project",
            "object_key": "no-existe",
            "starts_on": "2026-01-01",
            "status": "active",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200 and XSS not in text and "&lt;script&gt;" in text and 'value="no-existe"' in text


def test_members_are_saved_without_contact_data(client, government, committee, editor):
    login_verified(client, editor)
    url = gov_url(government, "participation:office_committee_members", pk=committee.pk)
    client.post(url, {"name": "José Cedeño", "role": "Vocal", "organisation": "", "position": 2})
    with government_scope(government):
        assert list(Member.objects.filter(committee=committee).values_list("name", flat=True)) == [
            "María Zambrano",
            "José Cedeño",
        ]


def _addresses(government, committee):
    with government_scope(government):
        member = Member.objects.get(committee=committee)
        report = Report.objects.get(committee=committee)
    return {
        "public": [
            gov_url(government, "participation:committee_list"),
            gov_url(government, "participation:committee_detail", slug=committee.slug),
        ],
        "viewer": [gov_url(government, "participation:office_committees")],
        "editor": [
            gov_url(government, "participation:office_committee_create"),
            gov_url(government, "participation:office_committee_edit", pk=committee.pk),
            gov_url(government, "participation:office_committee_members", pk=committee.pk),
            gov_url(government, "participation:office_committee_member_edit", pk=committee.pk, member_pk=member.pk),
        ],
        "editor_posts": [
            gov_url(government, "participation:office_committee_delete", pk=committee.pk),
            gov_url(government, "participation:office_committee_member_delete", pk=committee.pk, member_pk=member.pk),
            gov_url(government, "participation:office_committee_report_add", pk=committee.pk),
            gov_url(government, "participation:office_committee_report_delete", pk=committee.pk, report_pk=report.pk),
        ],
    }


def test_every_committee_url_is_covered(government, committee):
    covered = {url for urls_ in _addresses(government, committee).values() for url in urls_}
    assert len(covered) == len(urls.urlpatterns)


def test_role_matrix(client, government, other_government, committee):
    assert_role_matrix(
        client, government, other_government, "participation", other_module="works", **_addresses(government, committee)
    )
    with government_scope(government):
        assert Committee.objects.filter(pk=committee.pk).exists()
        assert Report.objects.filter(committee=committee).exists()


def test_another_governments_committee_is_404(client, government, other_government, committee):
    addresses = _addresses(government, committee)
    assert_foreign_government_404(client, other_government, addresses["public"][1:], government)
    login_verified(client, make_official(other_government, "editor", "participation"))
    for url in addresses["editor"][1:] + addresses["editor_posts"]:
        foreign = url.replace(f"/g/{government.slug}/", f"/g/{other_government.slug}/")
        assert client.post(foreign).status_code == 404, foreign
