"""Who may open what: the role × URL matrix for every budget URL, and the tenancy rule:
government B answers 404 for every page, download, back-office screen and API endpoint that
shows government A's budget."""

import pytest

from minga.core.api.services import token_create
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import (
    assert_foreign_government_404,
    assert_role_matrix,
    gov_url,
    login_verified,
    make_official,
)

from .. import urls
from ..api import urls as api_urls
from ..models import CutOff
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(government):
    factories.published_budget(government, year=2026, months=(2, 3))
    budget_import = factories.upload(
        government, factories.csv_bytes(factories.EXPENSE_HEADERS, factories.good_expense_rows()), month=4
    )
    with government_scope(government):
        cutoff = CutOff.objects.get(month=3)
    return {"import": budget_import, "cutoff": cutoff, "year": 2026, "partida": "2.01.750105.001"}


def public_urls(government, o):
    year = o["year"]
    return [
        gov_url(government, "budget:overview"),
        gov_url(government, "budget:compare"),
        gov_url(government, "budget:year", year=year),
        gov_url(government, "budget:expense", year=year),
        gov_url(government, "budget:income", year=year),
        gov_url(government, "budget:curve", year=year),
        gov_url(government, "budget:lines", year=year),
        gov_url(government, "budget:line", year=year, partida=o["partida"]),
        gov_url(government, "budget:download_lotaip", year=year),
        gov_url(government, "budget:download_metadata", year=year),
        gov_url(government, "budget:download_dictionary", year=year),
        gov_url(government, "budget:download_datapackage", year=year),
        gov_url(government, "budget:download_csv", year=year),
        gov_url(government, "budget:download_xlsx", year=year),
        gov_url(government, "budget-api:years"),
        gov_url(government, "budget-api:lines", year=year),
        gov_url(government, "budget-api:line", year=year, partida=o["partida"]),
        gov_url(government, "budget-api:execution", year=year),
    ]


def viewer_urls(government, o):
    return [
        gov_url(government, "budget:office_home"),
        gov_url(government, "budget:office_year", year=o["year"]),
        gov_url(government, "budget:office_import", pk=o["import"].pk),
        gov_url(government, "budget:office_import_report", pk=o["import"].pk),
        gov_url(government, "budget:office_classifier"),
    ]


def editor_urls(government, o):
    return [gov_url(government, "budget:office_upload")]


def post_only_urls(government, o):
    return [
        gov_url(government, "budget:office_cutoff_withdraw", pk=o["cutoff"].pk),
        gov_url(government, "budget:office_import_publish", pk=o["import"].pk),
        gov_url(government, "budget:office_import_discard", pk=o["import"].pk),
    ]


def test_every_budget_url_is_covered(government, objects):
    covered = (
        public_urls(government, objects)
        + viewer_urls(government, objects)
        + editor_urls(government, objects)
        + post_only_urls(government, objects)
    )
    assert len(set(covered)) == len(urls.urlpatterns) + len(api_urls.urlpatterns)


def test_role_matrix(client, government, other_government, objects):
    assert_role_matrix(
        client,
        government,
        other_government,
        "budget",
        other_module="institution",
        public=public_urls(government, objects),
        viewer=viewer_urls(government, objects),
        editor=editor_urls(government, objects),
        editor_posts=post_only_urls(government, objects),
    )
    # A viewer reads the preview but may not change its mapping, the notes or the classifier.
    login_verified(client, make_official(government, "viewer", "budget"))
    for url in (
        gov_url(government, "budget:office_import", pk=objects["import"].pk),
        gov_url(government, "budget:office_year", year=2026),
        gov_url(government, "budget:office_classifier"),
    ):
        assert client.post(url, {"notes": "x", "code": "73", "name": "x"}).status_code == 403, url


def test_officials_with_write_role_must_pass_two_factor(client, government, objects):
    client.force_login(make_official(government, "editor", "budget"))
    response = client.get(gov_url(government, "budget:office_home"))
    assert response.status_code == 302 and "/cuenta/" in response["Location"]


def test_foreign_government_gets_404_for_every_object(client, government, other_government, objects):
    detail = [
        url
        for url in public_urls(government, objects)
        if "/2026/" in url  # everything of A's year
    ]
    assert_foreign_government_404(client, other_government, detail, government)
    # B's lists show nothing of A
    assert client.get(gov_url(other_government, "budget-api:years")).json() == []
    body = client.get(gov_url(other_government, "budget:overview")).content.decode()
    assert "2.01.750105.001" not in body
    # B's administrator gets 404 for A's imports and cut-offs in B's back office
    login_verified(client, make_official(other_government, "admin"))
    office = viewer_urls(government, objects)[1:4] + post_only_urls(government, objects)
    for path in office:
        foreign = path.replace(f"/g/{government.slug}/", f"/g/{other_government.slug}/", 1)
        method = client.post if path in post_only_urls(government, objects) else client.get
        assert method(foreign).status_code == 404, foreign
    with government_scope(government):
        assert CutOff.objects.get(pk=objects["cutoff"].pk).published_at is not None


def test_api_token_of_another_government_is_refused(client, government, other_government, objects):
    official = make_official(other_government, "editor", "budget")
    with government_scope(other_government):
        issued = token_create(actor=official, government=other_government, name="t")
    response = client.get(gov_url(government, "budget-api:years"), HTTP_AUTHORIZATION=f"Token {issued.key}")
    assert response.status_code == 401
