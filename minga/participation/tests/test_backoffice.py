"""The back office through HTTP: create a process with its phases in one form, errors shown on
the right phase with the input kept, "add another phase" without JavaScript, publish, delete;
once voting opened, the voting rules shown as fixed and a change refused in Spanish and
recorded in the audit log."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from minga.core.audit.models import AuditEntry
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified, make_official

from ..processes.models import Phase, Process
from . import factories
from .factories import DAY

pytestmark = pytest.mark.django_db
FMT = "%Y-%m-%dT%H:%M"
SETTINGS = {
    "setting_support_threshold": "10",
    "setting_max_supports_per_person": "0",
    "setting_proposals_per_person": "2",
    "setting_max_votes_per_person": "1",
    "setting_verification_propose": "email",
    "setting_verification_support": "email",
    "setting_verification_comment": "email",
    "setting_verification_vote": "cedula",
    "setting_budgets_per_voter": "1",  # the participatory budgets' component
}


def _at(moment) -> str:
    return timezone.localtime(moment).strftime(FMT)


def form_data(*, title, starts_at, ends_at, phases, initial=0, **extra) -> dict:
    data = {
        "title": title,
        "slug": "",
        "summary": "Resumen",
        "description": "Descripción",
        "kind": "participatory_budget",
        "starts_at": _at(starts_at),
        "ends_at": _at(ends_at),
        "image_alt": "",
        **SETTINGS,
        "fases-TOTAL_FORMS": str(len(phases)),
        "fases-INITIAL_FORMS": str(initial),
        "fases-MIN_NUM_FORMS": "0",
        "fases-MAX_NUM_FORMS": "20",
    }
    for index, phase in enumerate(phases):
        prefix = f"fases-{index}-"
        data[prefix + "title"] = phase["title"]
        data[prefix + "description"] = phase.get("description", "")
        data[prefix + "starts_at"] = _at(phase["starts_at"]) if phase.get("starts_at") else ""
        data[prefix + "ends_at"] = _at(phase["ends_at"]) if phase.get("ends_at") else ""
        data[prefix + "features"] = phase.get("features", [])
        data[prefix + "setting_announcement"] = phase.get("settings", {}).get("announcement", "")
        if phase.get("settings", {}).get("hide_vote_counts", True):
            data[prefix + "setting_hide_vote_counts"] = "on"
        if phase.get("id"):
            data[prefix + "id"] = str(phase["id"])
        if phase.get("delete"):
            data[prefix + "DELETE"] = "on"
    data.update(extra)
    return data


@pytest.fixture
def signed_in(client, editor):
    login_verified(client, editor)
    return client


def test_viewer_sees_the_list_without_edit_links(client, government, viewer, now):
    factories.process(government, title="Consulta de prueba")
    login_verified(client, viewer)
    html = client.get(gov_url(government, "participation:office_processes")).content.decode()
    assert "Consulta de prueba" in html and "/gestion/procesos/nuevo/" not in html


def test_create_with_phases_in_one_form(signed_in, government, now):
    start = (now + 5 * DAY).replace(minute=0)
    phases = factories.budget_phases(start)
    data = form_data(
        title="Presupuesto participativo 2027",
        starts_at=start,
        ends_at=start + 40 * DAY,
        phases=list(reversed(phases)) + [{"title": ""}],  # a blank extra phase is ignored
        **{"setting_support_threshold": "25"},
    )
    response = signed_in.post(gov_url(government, "participation:office_process_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    with government_scope(government):
        process = Process.objects.get(slug="presupuesto-participativo-2027")
        titles = list(Phase.objects.filter(process=process).order_by("position").values_list("title", flat=True))
    assert titles == ["Propuestas", "Apoyos", "Votación", "Resultados"]
    assert process.settings["support_threshold"] == 25 and not process.is_published
    assert AuditEntry.objects.filter(action="participation.process.created").count() == 1


def test_errors_go_to_the_phase_and_the_input_is_kept(signed_in, government, now):
    start = (now + 5 * DAY).replace(minute=0)
    phases = factories.budget_phases(start)
    phases[1]["starts_at"] = phases[0]["starts_at"] + DAY  # overlaps "Propuestas"
    data = form_data(title="Con errores", starts_at=start, ends_at=start + 40 * DAY, phases=phases)
    data["setting_max_votes_per_person"] = "0"
    response = signed_in.post(
        gov_url(government, "participation:office_process_create"), data, HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "phases follow each other without overlapping" in html
    assert html.index("phases follow each other") > html.index('id="phase-form-2"')  # on the second phase
    assert 'value="Con errores"' in html and 'value="Apoyos"' in html
    assert "Ensure this value is greater than or equal to 1" in html
    with government_scope(government):
        assert not Process.objects.exists()


def test_add_another_phase_keeps_what_was_typed(signed_in, government, now):
    start = now + 5 * DAY
    data = form_data(
        title="A medias", starts_at=start, ends_at=start + 9 * DAY, phases=[{"title": "Primera", "features": []}]
    )
    data["mas_fases"] = "1"
    response = signed_in.post(gov_url(government, "participation:office_process_create"), data)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="phase-form-2"' in html and 'value="Primera"' in html
    assert 'value="A medias"' in html and "field-errors" not in html  # nothing was sent yet: no errors
    with government_scope(government):
        assert not Process.objects.exists()


def test_edit_page_of_a_process_in_vote_shows_the_rules_fixed(signed_in, government, now):
    process = factories.process(government, start=now - 22 * DAY)
    html = signed_in.get(gov_url(government, "participation:office_process_edit", pk=process.pk)).content.decode()
    assert 'id="voting-locked"' in html and "phase-locked" in html
    tag = re.search(r'<input[^>]*name="setting_max_votes_per_person"[^>]*>', html).group(0)
    assert "disabled" in tag
    tag = re.search(r'<input[^>]*name="setting_support_threshold"[^>]*>', html).group(0)
    assert "disabled" not in tag  # not a voting rule


def test_a_change_to_the_voting_rules_is_refused_in_spanish_and_audited(signed_in, government, now):
    start = (now - 22 * DAY).replace(minute=0)
    process = factories.process(government, start=start)
    items = factories.items_of(process)
    # A second round of voting after the results: the voting phases are fixed.
    items[3]["ends_at"] -= 2 * DAY
    items.append(
        {"title": "Segunda vuelta", "starts_at": items[3]["ends_at"], "ends_at": start + 40 * DAY, "features": ["vote"]}
    )
    data = form_data(
        title="Título nuevo",
        starts_at=process.starts_at,
        ends_at=process.ends_at,
        phases=items,
        initial=4,
    )
    response = signed_in.post(gov_url(government, "participation:office_process_edit", pk=process.pk), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "La votación de este proceso ya se abrió, así que sus reglas de votación ya no pueden cambiar." in html
    assert "Fase «Segunda vuelta»: añade Votar" in html
    assert 'value="Segunda vuelta"' in html  # the input is kept
    with government_scope(government):
        assert Process.objects.get(pk=process.pk).title == process.title
        assert Phase.objects.filter(process=process).count() == 4
    refusal = AuditEntry.objects.get(action="participation.process.change_refused")
    assert refusal.object_id == str(process.pk) and list(refusal.changes) == ["phase:new.features"]
    # The same form without the second round saves (the title is not a voting rule).
    data = form_data(
        title="Título nuevo",
        starts_at=process.starts_at,
        ends_at=process.ends_at,
        phases=factories.items_of(process),
        initial=4,
    )
    assert (
        signed_in.post(gov_url(government, "participation:office_process_edit", pk=process.pk), data).status_code == 302
    )
    with government_scope(government):
        assert Process.objects.get(pk=process.pk).title == "Título nuevo"


def test_publish_and_unpublish(signed_in, government, now):
    process = factories.process(government, is_published=False)
    url = gov_url(government, "participation:office_process_publish", pk=process.pk)
    assert signed_in.post(url, {"publicar": "1"}).status_code == 302
    assert signed_in.get(gov_url(government, "participation:process_detail", slug=process.slug)).status_code == 200
    assert signed_in.post(url, {"publicar": "0"}).status_code == 302
    with government_scope(government):
        assert not Process.objects.get(pk=process.pk).is_published
    actions = list(AuditEntry.objects.filter(object_id=str(process.pk)).values_list("action", flat=True))
    assert actions[-2:] == ["participation.process.published", "participation.process.unpublished"]


def test_delete_asks_first_and_is_refused_once_voting_opened(signed_in, government, now):
    later = factories.process(government, start=now + 5 * DAY)
    url = gov_url(government, "participation:office_process_delete", pk=later.pk)
    assert signed_in.get(url).status_code == 200
    assert signed_in.post(url, {}).status_code == 200  # not confirmed: nothing deleted
    assert signed_in.post(url, {"confirm": "on"}).status_code == 302
    voting = factories.process(government, start=now - 22 * DAY)
    url = gov_url(government, "participation:office_process_delete", pk=voting.pk)
    assert 'id="delete-refusal"' in signed_in.get(url).content.decode()
    assert signed_in.post(url, {"confirm": "on"}).status_code == 409
    with government_scope(government):
        assert Process.objects.filter(pk=voting.pk).exists() and not Process.objects.filter(pk=later.pk).exists()
    assert AuditEntry.objects.filter(action="participation.process.delete_refused").count() == 1


def test_neighbourhoods_are_listed_in_the_module_settings(client, government, now):
    """The administrator lists neighbourhoods one per line; they become territories a process
    can cover, and a line that cannot be read is not one."""
    login_verified(client, make_official(government, "admin"))
    url = gov_url(government, "core:module_configure", key="participation")
    assert "Los Ceibos" not in client.get(url).content.decode()
    data = {"neighbourhoods": "B-07 Barrio San Pablo\n\n  B-08   Barrio Los Ceibos \nsolo", "finished_shown": "12"}
    assert client.post(url, data).status_code == 302
    government.refresh_from_db()
    assert government.module_settings("participation")["neighbourhoods"] == [
        "B-07 Barrio San Pablo",
        "B-08   Barrio Los Ceibos",
        "solo",
    ]
    assert "B-08   Barrio Los Ceibos" in client.get(url).content.decode()  # shown one per line again
    process = factories.process(government, territories=["B-08"])
    assert process.territories == [{"code": "B-08", "name": "Barrio Los Ceibos"}]
    with pytest.raises(ValidationError):
        factories.process(government, territories=["solo"])


def test_a_process_ending_before_it_starts_is_explained_once(signed_in, government, now):
    start = now + 5 * DAY
    data = form_data(title="Al revés", starts_at=start, ends_at=start - DAY, phases=[])
    html = signed_in.post(
        gov_url(government, "participation:office_process_create"), data, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert html.count("The process must end after it starts.") == 1
    assert "Constraint" not in html
