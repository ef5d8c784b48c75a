"""Who may open what: the role × URL matrix for every works URL, and the tenancy rule:
government B answers 404 for every object of government A (pages, back office, API)."""

import pytest

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import (
    UserFactory,
    assert_foreign_government_404,
    assert_role_matrix,
    gov_url,
    login_verified,
    make_official,
)

from .. import services, urls
from ..api import urls as api_urls
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(government):
    project = factories.project(government, title="Puente Río Chico", slug="puente-rio-chico")
    update = factories.progress(government, project)
    citizen = UserFactory()
    with government_scope(government):
        comment = services.comment_create(actor=citizen, government=government, project=project, body="¿Cuándo?")
    return {"project": project, "update": update, "comment": comment}


def public_urls(g, o):
    slug = o["project"].slug
    return [
        gov_url(g, "works:project_list"),
        gov_url(g, "works:projects_geojson"),
        gov_url(g, "works:planning"),
        gov_url(g, "works:project_detail", slug=slug),
        gov_url(g, "works:project_geojson", slug=slug),
        gov_url(g, "works-api:projects"),
        gov_url(g, "works-api:projects_geojson"),
        gov_url(g, "works-api:project", slug=slug),
        gov_url(g, "works-api:progress", slug=slug),
        gov_url(g, "works-api:project_oc4ids", slug=slug),
        gov_url(g, "works-api:oc4ids"),
    ]


def citizen_post_urls(g, o):
    return []


def follow_url(g, o):
    """Core's follow button of a project (public GET, POST needs a signed-in person)."""
    return gov_url(g, "core:follow", kind="works.project", pk=o["project"].pk)


def comment_urls(g, o):
    """Core's comment addresses for this module's objects (core/tests/test_comments_access.py
    covers the rest of core's comment pages)."""
    return [gov_url(g, "core:comment_create", target="works.project", object_id=o["project"].pk)]


def viewer_urls(g, o):
    return [
        gov_url(g, "works:office_projects"),
        gov_url(g, "works:office_project", pk=o["project"].pk),
    ]


def editor_urls(g, o):
    pk = o["project"].pk
    return [
        gov_url(g, "works:office_project_create"),
        gov_url(g, "works:office_project_import"),
        gov_url(g, "works:office_project_edit", pk=pk),
        gov_url(g, "works:office_project_delete", pk=pk),
        gov_url(g, "works:office_progress_create", pk=pk),
        gov_url(g, "core:comment_queue"),
        gov_url(g, "core:comment_moderation", pk=o["comment"].pk),
        gov_url(g, "works:office_link_search"),
        gov_url(g, "works:office_link_search") + "?tipo=proceso&q=puente",
        gov_url(g, "works:office_link_add"),
    ]


def editor_redirect_urls(g, o):
    """The works' old comment list: a redirect to core's moderation queue, narrowed to works."""
    return [gov_url(g, "works:office_comments")]


def editor_post_only_urls(g, o):
    return [
        gov_url(g, "works:office_project_publish", pk=o["project"].pk),
        gov_url(g, "works:office_progress_delete", pk=o["update"].pk),
    ]


def test_every_works_url_is_covered(government, objects):
    covered = (
        public_urls(government, objects)
        + citizen_post_urls(government, objects)
        + viewer_urls(government, objects)
        + editor_urls(government, objects)
        + editor_redirect_urls(government, objects)
        + editor_post_only_urls(government, objects)
    )
    routes = {url.split("?")[0] for url in covered if "/comentarios/" not in url or "/obras/" in url}
    assert len(routes) == len(urls.urlpatterns) + len(api_urls.urlpatterns)


def test_role_matrix(client, government, other_government, objects):
    assert_role_matrix(
        client,
        government,
        other_government,
        "works",
        other_module="budget",
        public=[*public_urls(government, objects), follow_url(government, objects)],
        viewer=viewer_urls(government, objects),
        editor=editor_urls(government, objects),
        editor_posts=editor_post_only_urls(government, objects),
    )
    # Commenting and following need a signed-in citizen; a GET never does either.
    for url in citizen_post_urls(government, objects) + comment_urls(government, objects):
        assert client.get(url).status_code in (302, 405), url


def test_the_old_comment_list_leads_editors_to_the_moderation_queue(client, government, objects):
    for role, status in (("viewer", 403), ("editor", 302)):
        login_verified(client, make_official(government, role, "works"))
        for url in editor_redirect_urls(government, objects):
            assert client.get(url).status_code == status, (role, url)


def test_anonymous_cannot_comment_or_follow(client, government, objects):
    for url in [*comment_urls(government, objects), follow_url(government, objects)]:
        response = client.post(url, {"body": "Hola", "kind": "comment", "seguir": "1"})
        assert response.status_code == 302 and "/cuenta/" in response["Location"]


def test_comments_of_an_unpublished_project_are_404(client, government, objects):
    with government_scope(government):
        services.project_publish(actor=None, government=government, project=objects["project"], published=False)
    login_verified(client, UserFactory())
    for url in comment_urls(government, objects):
        assert client.post(url, {"body": "Hola", "kind": "comment"}).status_code == 404
    assert client.get(gov_url(government, "core:comment_report", pk=objects["comment"].pk)).status_code == 404


def test_unpublished_projects_are_404_in_public(client, government):
    draft = factories.project(government, title="Borrador", is_published=False)
    for name in (
        "works:project_detail",
        "works:project_geojson",
        "works-api:project",
        "works-api:progress",
        "works-api:project_oc4ids",
    ):
        assert client.get(gov_url(government, name, slug=draft.slug)).status_code == 404
    assert "Borrador" not in client.get(gov_url(government, "works:project_list")).content.decode()


def test_foreign_government_gets_404_for_every_object(client, government, other_government, objects):
    slug = objects["project"].slug
    detail = [
        gov_url(government, "works:project_detail", slug=slug),
        gov_url(government, "works:project_geojson", slug=slug),
        gov_url(government, "works-api:project", slug=slug),
        gov_url(government, "works-api:progress", slug=slug),
        gov_url(government, "works-api:project_oc4ids", slug=slug),
    ]
    assert_foreign_government_404(client, other_government, detail, government)
    for name in ("works:project_list", "works:projects_geojson", "works:planning"):
        assert "Puente Río Chico" not in client.get(gov_url(other_government, name)).content.decode()
    assert client.get(gov_url(other_government, "works-api:projects")).json()["count"] == 0
    assert client.get(gov_url(other_government, "works-api:projects_geojson")).json()["features"] == []
    assert client.get(gov_url(other_government, "works-api:oc4ids")).json()["projects"] == []

    login_verified(client, make_official(other_government, "admin"))
    office = [
        url
        for url in editor_urls(government, objects)
        if not any(part in url for part in ("/nuevo/", "/importar/", "/vinculos/"))
        and url != gov_url(government, "core:comment_queue")
    ]
    office += [gov_url(government, "works:office_project", pk=objects["project"].pk)]
    assert_foreign_government_404(client, other_government, office, government)
    for url in [
        *editor_post_only_urls(government, objects),
        *comment_urls(government, objects),
        follow_url(government, objects),
    ]:
        foreign = url.replace(f"/g/{government.slug}/", f"/g/{other_government.slug}/", 1)
        assert client.post(foreign, {"publicar": "0", "body": "x", "seguir": "1"}).status_code == 404, foreign
    with government_scope(government):
        objects["project"].refresh_from_db()
        assert objects["project"].is_published and objects["project"].updates.count() == 1
