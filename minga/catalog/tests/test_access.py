"""Who may open what: the role × URL matrix for every catalog URL, and the tenancy rule:
government B answers 404 for every object of government A (pages, downloads, requests, back
office)."""

import pytest
from django.conf import settings
from django.urls import resolve

from minga.core.audit.models import AuditEntry
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import (
    UserFactory,
    assert_foreign_government_404,
    assert_role_matrix,
    gov_url,
    login_verified,
    make_official,
)

from .. import urls
from ..api import urls as api_urls
from ..datasets.models import Dataset
from ..tables import services as table_services
from ..tables.models import ResourceLoad
from . import factories
from .conftest_datastore import datastore_env  # noqa: F401
from .test_previews import preview_access_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(government):
    theme = factories.theme(government, slug="movilidad")
    dataset = factories.dataset(government, slug="siniestros", themes=[theme])
    resource = factories.resource(government, dataset)
    with government_scope(government):
        table_services.resource_load_run(government=government, resource=resource)
    licence = factories.licence(government, code="ODbL-1.0", name="ODbL")
    requester = UserFactory()
    data_request = factories.data_request(government, requester)
    return {
        "theme": theme,
        "dataset": dataset,
        "resource": resource,
        "licence": licence,
        "request": data_request,
    }


def public_urls(government, o):
    return [
        gov_url(government, "catalog:dataset_list"),
        gov_url(government, "catalog:dataset_feed"),
        gov_url(government, "catalog:dataset_detail", slug=o["dataset"].slug),
        gov_url(government, "catalog:resource_download", pk=o["resource"].pk),
        *table_urls(government, o),
        *preview_access_urls(government, o),
        gov_url(government, "catalog:request_list"),
        gov_url(government, "catalog:stats"),
        gov_url(government, "catalog:request_detail", pk=o["request"].pk),
        *metadata_api_urls(government, o),
        *follow_urls(government, o),
    ]


def follow_urls(government, o):
    """Core's follow button of the catalog's followable records (not the catalog's routes)."""
    return [
        gov_url(government, "core:follow", kind="catalog.dataset", pk=o["dataset"].pk),
        gov_url(government, "core:follow", kind="catalog.request", pk=o["request"].pk),
    ]


def metadata_api_urls(government, o):
    return [
        gov_url(government, "catalog-api:datasets"),
        gov_url(government, "catalog-api:dataset", slug=o["dataset"].slug),
        gov_url(government, "catalog-api:themes"),
        gov_url(government, "catalog-api:publishers"),
    ]


def table_urls(government, o):
    """The public table and the query API of a loaded resource."""
    pk = o["resource"].pk
    return [
        gov_url(government, "catalog:resource_table", pk=pk),
        gov_url(government, "catalog-api:resource_data", pk=pk),
        gov_url(government, "catalog-api:resource_csv", pk=pk),
        gov_url(government, "catalog-api:resource_json", pk=pk),
        gov_url(government, "catalog-api:resource_xlsx", pk=pk),
        gov_url(government, "catalog-api:resource_openapi", pk=pk),
        gov_url(government, "catalog:resource_versions", pk=pk),
        gov_url(
            government,
            "catalog:resource_version_download",
            pk=pk,
            load_pk=ResourceLoad._base_manager.filter(resource_id=pk).latest("pk").pk,
        ),
    ]


def demo_urls(government, o):
    """Served for demo governments only (404 elsewhere, see test_refresh)."""
    return [gov_url(government, "catalog:demo_source", "nivel-rios")]


def signed_in_urls(government, o):
    """Any signed-in person (citizens included); anonymous visitors are sent to sign in."""
    return [gov_url(government, "catalog:request_create")]


def viewer_urls(government, o):
    return [
        gov_url(government, "catalog:office_datasets"),
        gov_url(government, "catalog:office_dataset", pk=o["dataset"].pk),
        gov_url(government, "catalog:office_resource", pk=o["resource"].pk),
        gov_url(government, "catalog:office_vocabularies"),
        gov_url(government, "catalog:office_requests"),
        gov_url(government, "catalog:office_freshness"),
        gov_url(government, "catalog:office_quality"),
    ]


def editor_urls(government, o):
    return [
        gov_url(government, "catalog:office_dataset_create"),
        gov_url(government, "catalog:office_dataset_edit", pk=o["dataset"].pk),
        gov_url(government, "catalog:office_dataset_delete", pk=o["dataset"].pk),
        gov_url(government, "catalog:office_resource_create", dataset_pk=o["dataset"].pk),
        gov_url(government, "catalog:office_resource_edit", pk=o["resource"].pk),
        gov_url(government, "catalog:office_resource_dictionary", pk=o["resource"].pk),
        gov_url(government, "catalog:office_resource_delete", pk=o["resource"].pk),
        gov_url(government, "catalog:office_theme_create"),
        gov_url(government, "catalog:office_theme_edit", pk=o["theme"].pk),
        gov_url(government, "catalog:office_theme_delete", pk=o["theme"].pk),
        gov_url(government, "catalog:office_licence_create"),
        gov_url(government, "catalog:office_licence_edit", pk=o["licence"].pk),
        gov_url(government, "catalog:office_licence_delete", pk=o["licence"].pk),
        gov_url(government, "catalog:office_request_answer", pk=o["request"].pk),
    ]


def post_only_urls(government, o):
    return [
        gov_url(government, "catalog:office_dataset_publish", pk=o["dataset"].pk),
        gov_url(government, "catalog:office_resource_load", pk=o["resource"].pk),
        gov_url(government, "catalog:office_resource_check", pk=o["resource"].pk),
    ]


def citizen_post_urls(government, o):
    return [gov_url(government, "catalog:request_support", pk=o["request"].pk)]


def test_every_catalog_url_is_covered(government, objects):
    """The lists above name every route of the module, so a new URL must join the matrix."""
    covered = (
        public_urls(government, objects)
        + signed_in_urls(government, objects)
        + viewer_urls(government, objects)
        + editor_urls(government, objects)
        + post_only_urls(government, objects)
        + citizen_post_urls(government, objects)
        + demo_urls(government, objects)
    )
    catalog_routes = set(covered) - set(follow_urls(government, objects))
    assert len(catalog_routes) == len(urls.urlpatterns) + len(api_urls.urlpatterns)


def office_urls(government, o) -> list[str]:
    """The back office's addresses, whoever may open them."""
    return viewer_urls(government, o) + editor_urls(government, o) + post_only_urls(government, o)


def test_every_back_office_route_is_in_the_matrix(government, objects):
    """Each route of the back office (named office_…) is in the viewer, editor or POST-only
    list, once, so a new back-office page must say who may open it."""
    prefix = f"/g/{government.slug}"
    listed = [
        resolve(url[len(prefix) :], urlconf=settings.GOVERNMENT_URLCONF) for url in office_urls(government, objects)
    ]
    names = [match.url_name for match in listed]
    assert all(match.namespace == "catalog" for match in listed)
    assert len(names) == len(set(names))
    assert set(names) == {pattern.name for pattern in urls.urlpatterns if pattern.name.startswith("office_")}


def test_role_matrix(client, government, other_government, objects):
    loads = ResourceLoad.objects.for_government(government).filter(resource_id=objects["resource"].pk).count()
    assert_role_matrix(
        client,
        government,
        other_government,
        "catalog",
        other_module="institution",
        public=public_urls(government, objects),
        viewer=viewer_urls(government, objects),
        editor=editor_urls(government, objects),
        editor_posts=post_only_urls(government, objects),
    )
    # The refused POSTs unpublished, loaded and checked nothing.
    refused = ("catalog.dataset.published", "catalog.dataset.unpublished", "catalog.resource.check_requested")
    assert not AuditEntry.objects.filter(action__in=refused).exists()
    assert ResourceLoad.objects.for_government(government).filter(resource_id=objects["resource"].pk).count() == loads
    with government_scope(government):
        assert Dataset.objects.get(pk=objects["dataset"].pk).is_published == objects["dataset"].is_published
    # Asking for data and supporting a request: any signed-in person, whatever their role.
    people = {
        "anonymous": None,
        "citizen": UserFactory(),
        "viewer": make_official(government, "viewer", "catalog"),
        "editor": make_official(government, "editor", "catalog"),
        "editor_of_other_government": make_official(other_government, "editor", "catalog"),
    }
    for label, user in people.items():
        client.logout()
        if user is not None:
            login_verified(client, user)
        for url in signed_in_urls(government, objects):
            assert client.get(url).status_code == (302 if user is None else 200), f"{label} {url}"
        for url in citizen_post_urls(government, objects):
            assert client.get(url).status_code == (302 if user is None else 405), f"{label} GET {url}"


def test_officials_with_write_role_must_pass_two_factor(client, government, objects):
    editor = make_official(government, "editor", "catalog")
    client.force_login(editor)  # signed in, second factor not passed
    response = client.get(gov_url(government, "catalog:office_datasets"))
    assert response.status_code == 302 and "/cuenta/" in response["Location"]


def test_foreign_government_gets_404_for_every_object(client, government, other_government, objects):
    detail_urls = [
        gov_url(government, "catalog:dataset_detail", slug=objects["dataset"].slug),
        gov_url(government, "core:follow", kind="catalog.dataset", pk=objects["dataset"].pk),
        gov_url(government, "catalog:resource_download", pk=objects["resource"].pk),
        gov_url(government, "catalog:request_detail", pk=objects["request"].pk),
        gov_url(government, "core:follow", kind="catalog.request", pk=objects["request"].pk),
    ]
    api_detail = [gov_url(government, "catalog-api:dataset", slug=objects["dataset"].slug)]
    assert_foreign_government_404(client, other_government, api_detail, government)
    assert_foreign_government_404(client, other_government, table_urls(government, objects), government)
    assert_foreign_government_404(client, other_government, preview_access_urls(government, objects), government)
    assert_foreign_government_404(client, other_government, detail_urls, government)

    # The lists and the feed of B do not contain A's objects.
    for name in ("catalog:dataset_list", "catalog:dataset_feed", "catalog:request_list"):
        body = client.get(gov_url(other_government, name)).content.decode()
        assert objects["dataset"].title not in body and objects["request"].title not in body

    # A citizen of B cannot support or follow A's request through B's address.
    login_verified(client, UserFactory())
    for url in citizen_post_urls(government, objects) + detail_urls[-1:] + detail_urls[1:2]:
        foreign = url.replace(f"/g/{government.slug}/", f"/g/{other_government.slug}/", 1)
        assert client.post(foreign, {"seguir": "1"}).status_code == 404, foreign

    # B's administrator (all permissions in B) still gets 404 for A's objects in B's back office.
    login_verified(client, make_official(other_government, "admin"))
    office = [url for url in editor_urls(government, objects) if "/nuevo/" not in url and "/nueva/" not in url]
    office.append(gov_url(government, "catalog:office_dataset", pk=objects["dataset"].pk))
    office.append(gov_url(government, "catalog:office_resource", pk=objects["resource"].pk))
    office.append(gov_url(government, "catalog:office_resource_create", dataset_pk=objects["dataset"].pk))
    assert_foreign_government_404(client, other_government, office, government)
    for url in post_only_urls(government, objects) + [u for u in office if "eliminar" in u]:
        foreign = url.replace(f"/g/{government.slug}/", f"/g/{other_government.slug}/", 1)
        assert client.post(foreign, {"publicar": "0", "confirm": "on"}).status_code == 404, foreign
    # Nothing of A changed.
    client.logout()
    assert client.get(detail_urls[0]).status_code == 200
    assert client.get(detail_urls[2]).status_code == 200
