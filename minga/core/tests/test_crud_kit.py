"""The CRUD kit (minga/core/crud): a service's errors on the posted form, slugs free among the
rows they compete with, the audited values of a row and what a write changed."""

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import set_urlconf

from minga.core.crud import (
    apply_validation_error,
    changed_fields,
    confirm_delete_context,
    snapshot,
    submit,
    unique_slug,
)
from minga.core.tenancy.models import Government
from minga.core.testing import GovernmentFactory, gov_url, login_verified, make_official


class NameForm(forms.Form):
    name = forms.CharField()
    hosts_text = forms.CharField(required=False)


def _bound():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    return form


def test_field_errors_go_to_their_field_and_unknown_fields_to_the_form():
    form = _bound()
    apply_validation_error(form, ValidationError({"name": "Ya existe.", "slug": "Identificador tomado."}))
    assert form.errors["name"] == ["Ya existe."]
    assert form.non_field_errors() == ["Identificador tomado."]


def test_a_field_map_renames_the_service_field_to_the_form_field():
    form = _bound()
    apply_validation_error(form, ValidationError({"hosts": "Nombre no válido."}), field_map={"hosts": "hosts_text"})
    assert form.errors["hosts_text"] == ["Nombre no válido."]
    assert not form.non_field_errors()


def test_an_error_without_fields_goes_to_the_form():
    form = _bound()
    apply_validation_error(form, ValidationError(["Primero.", "Segundo."]))
    assert form.non_field_errors() == ["Primero.", "Segundo."]
    assert "name" not in form.errors


def test_submit_saves_a_valid_form_and_returns_what_the_service_returned():
    calls = []
    done = submit(NameForm({"name": "Parque"}), lambda: calls.append("saved") or "fila")
    assert done and done.value == "fila" and calls == ["saved"]


def test_submit_never_calls_the_service_for_an_unbound_or_invalid_form():
    calls = []
    unbound = NameForm()
    assert not submit(unbound, lambda: calls.append("saved")) and not unbound.errors
    invalid = NameForm({"name": ""})
    assert not submit(invalid, lambda: calls.append("saved")) and "name" in invalid.errors
    assert calls == []


def test_submit_puts_the_services_refusal_on_the_form():
    form = NameForm({"name": "Parque", "hosts_text": "a b"})

    def refuse():
        raise ValidationError({"name": "Ya existe.", "hosts": "Nombre no válido."})

    done = submit(form, refuse, field_map={"hosts": "hosts_text"})
    assert not done and done.value is None
    assert form.errors["name"] == ["Ya existe."] and form.errors["hosts_text"] == ["Nombre no válido."]
    assert form.data["name"] == "Parque"  # what was typed stays for the page to show again


@pytest.mark.django_db
def test_unique_slug_numbers_taken_names_and_skips_reserved_words():
    GovernmentFactory(slug="obras")
    GovernmentFactory(slug="obras-2")
    taken = Government.objects.all()
    assert unique_slug(taken, "Obras", 80) == "obras-3"
    assert unique_slug(taken, "Vialidad y tránsito", 80) == "vialidad-y-transito"
    assert unique_slug(taken, "Gestión", 80, reserved={"gestion"}) == "gestion-2"
    assert unique_slug(taken, "¡¿?!", 80, fallback="capa") == "capa"
    # The row being renamed does not compete with itself.
    own = Government.objects.get(slug="obras")
    assert unique_slug(taken.exclude(pk=own.pk), "Obras", 80) == "obras"


@pytest.mark.django_db
def test_unique_slug_never_grows_past_max_length():
    GovernmentFactory(slug="a" * 10)
    found = unique_slug(Government.objects.all(), "a" * 30, 10)
    assert found == "a" * 8 + "-2" and len(found) == 10


@pytest.mark.django_db
def test_snapshot_leaves_out_timestamps_and_adds_extra_values():
    government = GovernmentFactory(name="Antes")
    values = snapshot(government, extra={"hosts": ["a.example.org"]})
    assert values["name"] == "Antes" and values["hosts"] == ["a.example.org"]
    assert "created_at" not in values
    assert "name" not in snapshot(government, leave_out=("name",))


@pytest.mark.django_db
def test_changed_fields_lists_only_what_the_write_changed():
    government = GovernmentFactory(name="Antes", short_name="A")
    before = snapshot(government)
    assert changed_fields(government, before) == {}
    government.name = "Después"
    assert changed_fields(government, before) == {"name": ["Antes", "Después"]}
    deleted = changed_fields(None, before)
    assert deleted["name"] == ["Antes", None] and deleted["short_name"] == ["A", None]


@pytest.mark.django_db
def test_confirm_delete_page_names_the_object_and_its_consequence(client, government):
    """With a consequence of the module's own; with a refusal, the way back and no form."""
    official = make_official(government, "admin")
    login_verified(client, official)
    response = client.get(gov_url(government, "core:members"))
    assert response.status_code == 200
    request = response.wsgi_request
    form = NameForm()
    set_urlconf(settings.GOVERNMENT_URLCONF)
    try:
        html = render_to_string(
            "core/confirm_delete.html",
            confirm_delete_context(obj="Capa de vías", form=form, cancel_url="/volver/", consequence="Se va del mapa."),
            request=request,
        )
        refused = render_to_string(
            "core/confirm_delete.html",
            confirm_delete_context(obj="Dirección", form=form, cancel_url="/volver/", refusal="Tiene unidades."),
            request=request,
        )
    finally:
        set_urlconf(None)
    assert "Capa de vías" in html and "Se va del mapa." in html and 'href="/volver/"' in html
    assert '<form method="post" novalidate>' in html
    assert (
        "Tiene unidades." in refused and '<form method="post" novalidate>' not in refused and 'role="alert"' in refused
    )
