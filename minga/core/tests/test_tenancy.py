import pytest
from django.test import override_settings

from minga.core.tenancy.services import government_create, government_set_module
from minga.core.testing import GovernmentFactory, UserFactory, approve_host, gov_url

pytestmark = pytest.mark.django_db


def test_path_prefix_resolves_the_government(client, government):
    response = client.get(f"/g/{government.slug}/")
    assert response.status_code == 200
    assert government.name in response.content.decode()


def test_unknown_government_answers_404(client, government):
    assert client.get("/g/no-existe/").status_code == 404


def test_inactive_government_answers_404(client, government):
    government.is_active = False
    government.save()
    assert client.get(f"/g/{government.slug}/").status_code == 404


@override_settings(ALLOWED_HOSTS=["portal.manabi.gob.ec", "testserver"])
def test_own_host_serves_the_government_without_prefix(client, government):
    approve_host(government, "portal.manabi.gob.ec")
    response = client.get("/", HTTP_HOST="portal.manabi.gob.ec")
    assert response.status_code == 200
    body = response.content.decode()
    assert government.name in body
    # addresses on the own host carry no /g/ prefix
    assert 'href="/institucion/organigrama/"' in body


def test_links_inside_a_prefixed_government_keep_the_prefix(client, government):
    body = client.get(f"/g/{government.slug}/").content.decode()
    assert f'href="/g/{government.slug}/institucion/organigrama/"' in body


def test_platform_home_lists_governments(client, government, other_government):
    body = client.get("/").content.decode()
    assert government.name in body and other_government.name in body


def test_province_lists_its_cantons(client, db):
    actor = UserFactory()
    province = government_create(
        actor=actor,
        name="Gobierno Provincial de Manabí",
        short_name="Manabí",
        slug="manabi",
        level="province",
        dpa_code="13",
    )
    canton = government_create(
        actor=actor,
        name="GAD Municipal de Portoviejo",
        short_name="Portoviejo",
        slug="portoviejo",
        level="canton",
        dpa_code="1301",
    )
    assert canton.parent == province
    body = client.get("/g/manabi/").content.decode()
    assert "GAD Municipal de Portoviejo" in body


def test_canton_created_before_its_province_is_attached_later(db):
    actor = UserFactory()
    canton = government_create(
        actor=actor, name="GAD Municipal de Manta", short_name="Manta", slug="manta", level="canton", dpa_code="1308"
    )
    province = government_create(
        actor=actor,
        name="Gobierno Provincial de Manabí",
        short_name="Manabí",
        slug="manabi",
        level="province",
        dpa_code="13",
    )
    canton.refresh_from_db()
    assert canton.parent == province


def test_dpa_code_length_must_match_level(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        government_create(actor=None, name="X", short_name="X", slug="x", level="canton", dpa_code="13")


def test_disabled_module_answers_404(client, government):
    url = gov_url(government, "institution:orgchart")
    assert client.get(url).status_code == 200
    government_set_module(actor=UserFactory(), government=government, module="institution", enabled=False)
    assert client.get(url).status_code == 404
    # and it disappears from the navigation
    assert "institucion/organigrama" not in client.get(f"/g/{government.slug}/").content.decode()


def test_government_pages_run_inside_a_scope(client, government, other_government):
    # Two governments with the same page: each sees only its own name.
    assert other_government.name not in client.get(f"/g/{government.slug}/").content.decode()
    assert GovernmentFactory._meta.model.objects.count() == 2


def test_for_government_reaches_one_governments_rows_without_a_scope(government, other_government):
    from django.utils import timezone
    from django_scopes import ScopeError, scope

    from minga.core.search.models import SearchDocument

    for g in (government, other_government):
        with scope(government=g):
            SearchDocument.objects.create(
                government=g, module="core", kind="core.test", object_id=str(g.pk),
                title=g.name, url="/", updated_at=timezone.now(),
            )
    with pytest.raises(ScopeError):
        list(SearchDocument.objects.all())
    assert [d.title for d in SearchDocument.objects.for_government(government)] == [government.name]
    # Its primary key is enough (a model's clean() has only government_id at hand).
    assert [d.title for d in SearchDocument.objects.for_government(government.pk)] == [government.name]
    # Inside another government's scope the named helper still reaches only the one asked for.
    with scope(government=other_government):
        assert list(SearchDocument.objects.for_government(government).values_list("government", flat=True)) == [government.pk]
    with pytest.raises(ValueError):
        SearchDocument.objects.for_government(None)


def test_government_scope_refuses_none(government, other_government):
    """django-scopes applies no filter for a None value: the scope of a government a job failed
    to find would show every government's rows."""
    from django.utils import timezone

    from minga.core.search.models import SearchDocument
    from minga.core.tenancy.scoping import government_scope

    for g in (government, other_government):
        SearchDocument.objects.for_government(g).create(
            government=g, module="core", kind="core.test", object_id=str(g.pk),
            title=g.name, url="/", updated_at=timezone.now(),
        )
    with pytest.raises(ValueError), government_scope(None):
        list(SearchDocument.objects.all())
    with government_scope(government):
        assert [d.title for d in SearchDocument.objects.all()] == [government.name]


def test_for_governments_reaches_several_governments_rows_and_no_others(government, other_government):
    from django.utils import timezone
    from django_scopes import scope

    from minga.core.search.models import SearchDocument

    third = GovernmentFactory()
    for g in (government, other_government, third):
        with scope(government=g):
            SearchDocument.objects.create(
                government=g, module="core", kind="core.test", object_id=str(g.pk),
                title=g.name, url="/", updated_at=timezone.now(),
            )
    found = SearchDocument.objects.for_governments([government, other_government.pk])
    assert sorted(found.values_list("government", flat=True)) == sorted([government.pk, other_government.pk])
    assert list(SearchDocument.objects.for_governments([])) == []
    with pytest.raises(ValueError):
        SearchDocument.objects.for_governments([government, None])
