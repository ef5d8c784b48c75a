"""Who may open what: the role × URL matrix for every institution URL, and the tenancy rule:
government B answers 404 for every object of government A (pages, back office, feeds, API)."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import (
    UserFactory,
    assert_foreign_government_404,
    assert_second_factor_first,
    gov_url,
    login_verified,
    make_official,
    make_superuser,
)

from .. import services, urls
from ..api import urls as api_urls
from ..models import Authority, Unit
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(government):
    unit = factories.unit(government, slug="obras")
    authority = factories.authority(government, slug="alcaldesa", unit=unit)
    event = factories.event(government, authorities=[authority], unit=unit)
    with government_scope(government):
        declaration = services.declaration_create(
            actor=None, government=government, authority=authority, title="D", url="https://e.org/d", year=2024
        )
    return {"unit": unit, "authority": authority, "event": event, "declaration": declaration}


def public_urls(government, o):
    return [
        gov_url(government, "institution:orgchart"),
        gov_url(government, "institution:unit_detail", slug=o["unit"].slug),
        gov_url(government, "institution:authorities"),
        gov_url(government, "institution:authority_detail", slug=o["authority"].slug),
        gov_url(government, "institution:authority_ics", slug=o["authority"].slug),
        gov_url(government, "institution:agenda"),
        gov_url(government, "institution:agenda_list"),
        gov_url(government, "institution:event_detail", uid=o["event"].uid),
        gov_url(government, "institution:agenda_ics"),
        gov_url(government, "institution-api:units"),
        gov_url(government, "institution-api:unit", slug=o["unit"].slug),
        gov_url(government, "institution-api:authorities"),
        gov_url(government, "institution-api:authority", slug=o["authority"].slug),
        gov_url(government, "institution-api:events"),
        gov_url(government, "institution-api:event", uid=o["event"].uid),
    ]


def viewer_urls(government, o):
    return [
        gov_url(government, "institution:office_home"),
        gov_url(government, "institution:office_units"),
        gov_url(government, "institution:office_authorities"),
        gov_url(government, "institution:office_declarations", authority_pk=o["authority"].pk),
        gov_url(government, "institution:office_events"),
    ]


def editor_urls(government, o):
    return [
        gov_url(government, "institution:office_unit_create"),
        gov_url(government, "institution:office_unit_edit", pk=o["unit"].pk),
        gov_url(government, "institution:office_unit_delete", pk=o["unit"].pk),
        gov_url(government, "institution:office_authority_create"),
        gov_url(government, "institution:office_authority_edit", pk=o["authority"].pk),
        gov_url(government, "institution:office_authority_delete", pk=o["authority"].pk),
        gov_url(government, "institution:office_declaration_edit", pk=o["declaration"].pk),
        gov_url(government, "institution:office_event_create"),
        gov_url(government, "institution:office_event_edit", pk=o["event"].pk),
        gov_url(government, "institution:office_event_delete", pk=o["event"].pk),
    ]


def post_only_urls(government, o):
    return [
        gov_url(government, "institution:office_authority_publish", pk=o["authority"].pk),
        gov_url(government, "institution:office_declaration_delete", pk=o["declaration"].pk),
        gov_url(government, "institution:office_event_cancel", pk=o["event"].pk),
    ]


def test_every_institution_url_is_covered(government, objects):
    """The lists above name every route of the module, so a new URL must join the matrix."""
    covered = (
        public_urls(government, objects)
        + viewer_urls(government, objects)
        + editor_urls(government, objects)
        + post_only_urls(government, objects)
    )
    assert len(set(covered)) == len(urls.urlpatterns) + len(api_urls.urlpatterns)


def test_role_matrix(client, government, other_government, objects):
    people = {
        "anonymous": None,
        "citizen": UserFactory(),
        "viewer": make_official(government, "viewer", "institution"),
        "editor": make_official(government, "editor", "institution"),
        "admin": make_official(government, "admin"),
        "editor_of_other": make_official(other_government, "editor", "institution"),
        "editor_of_other_module": make_official(government, "editor", "budget"),
    }
    expected_office = {
        "anonymous": (302, 302),
        "citizen": (403, 403),
        "viewer": (200, 403),
        "editor": (200, 200),
        "admin": (200, 200),
        "editor_of_other": (403, 403),
        "editor_of_other_module": (403, 403),
    }
    for label, user in people.items():
        client.logout()
        if user is not None:
            login_verified(client, user)
        for url in public_urls(government, objects):
            assert client.get(url).status_code == 200, f"{label} {url}"
        view_status, edit_status = expected_office[label]
        for url in viewer_urls(government, objects):
            assert client.get(url).status_code == view_status, f"{label} {url}"
        for url in editor_urls(government, objects):
            assert client.get(url).status_code == edit_status, f"{label} {url}"
        for url in post_only_urls(government, objects):
            assert client.get(url).status_code in (edit_status, 405), f"{label} GET {url}"
            if edit_status != 200:
                assert client.post(url).status_code == edit_status, f"{label} POST {url}"


def test_officials_with_write_role_must_pass_two_factor(client, government, objects):
    editor = make_official(government, "editor", "institution")
    client.force_login(editor)  # signed in, second factor not passed
    response = client.get(gov_url(government, "institution:office_units"))
    assert response.status_code == 302 and "/cuenta/" in response["Location"]


def test_superuser_without_two_factor_changes_nothing(client, government, objects):
    """Every permission is granted to a platform superuser: signed in with the password only,
    the back office sends to the two-factor set-up, and creating a published unit or
    publishing an authority does not happen."""
    superuser = make_superuser()
    client.force_login(superuser)
    office = viewer_urls(government, objects) + editor_urls(government, objects)
    assert_second_factor_first(client, government, office, editor_urls(government, objects))
    assert_second_factor_first(client, government, [], post_only_urls(government, objects))
    create = gov_url(government, "institution:office_unit_create")
    unit = {"name": "Dirección Tomada", "acronym": "DTM", "slug": "", "kind": "operative", "order": "1"}
    response = client.post(create, {**unit, "is_public": "on"})
    assert response.status_code == 302 and "/cuenta/doble-factor/" in response["Location"]
    publish = gov_url(government, "institution:office_authority_publish", pk=objects["authority"].pk)
    flip = "0" if objects["authority"].is_published else "1"
    assert client.post(publish, {"publicar": flip}).status_code == 302
    with government_scope(government):
        assert not Unit.objects.filter(name="Dirección Tomada").exists()
        assert Authority.objects.get(pk=objects["authority"].pk).is_published == objects["authority"].is_published

    # With the second factor passed, the superuser's access is what it was.
    TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    login_verified(client, superuser)
    assert client.post(create, {**unit, "is_public": "on"}).status_code == 302
    with government_scope(government):
        assert Unit.objects.get(name="Dirección Tomada").is_public


def test_foreign_government_gets_404_for_every_object(client, government, other_government, objects):
    detail_urls = [
        gov_url(government, "institution:unit_detail", slug=objects["unit"].slug),
        gov_url(government, "institution:authority_detail", slug=objects["authority"].slug),
        gov_url(government, "institution:authority_ics", slug=objects["authority"].slug),
        gov_url(government, "institution:event_detail", uid=objects["event"].uid),
        gov_url(government, "institution-api:unit", slug=objects["unit"].slug),
        gov_url(government, "institution-api:authority", slug=objects["authority"].slug),
        gov_url(government, "institution-api:event", uid=objects["event"].uid),
    ]
    assert_foreign_government_404(client, other_government, detail_urls, government)

    # The lists and feeds of B do not contain A's objects.
    for name in (
        "institution:orgchart",
        "institution:authorities",
        "institution:agenda_list",
        "institution:agenda_ics",
    ):
        body = client.get(gov_url(other_government, name)).content.decode()
        assert objects["unit"].name not in body and objects["event"].title not in body
    for name in ("institution-api:units", "institution-api:authorities", "institution-api:events"):
        assert client.get(gov_url(other_government, name)).json()["count"] == 0

    # B's administrator (all permissions in B) still gets 404 for A's objects in B's back office.
    login_verified(client, make_official(other_government, "admin"))
    office = [url for url in editor_urls(government, objects) if "/nueva/" not in url and "/nuevo/" not in url]
    office.append(gov_url(government, "institution:office_declarations", authority_pk=objects["authority"].pk))
    assert_foreign_government_404(client, other_government, office, government)
    for url in post_only_urls(government, objects):
        foreign = url.replace(f"/g/{government.slug}/", f"/g/{other_government.slug}/", 1)
        assert client.post(foreign, {"publicar": "0", "confirm": "on"}).status_code == 404, foreign
    # Nothing of A changed.
    assert client.get(detail_urls[1]).status_code == 200
