"""The pages through HTTP: list with filters and sort, a proposal's page (progress, evaluation,
merged and hidden notices), the process page's section, the forms keeping what was typed, XSS
payloads escaped, supports and withdrawing through the pages, the map, GeoJSON and API."""

from __future__ import annotations

import pytest

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory, gov_url, login_verified

from .. import services
from ..models import Proposal, Status
from . import factories

pytestmark = pytest.mark.django_db


def form(**changes) -> dict:
    return {key: value for key, value in factories.values(**changes).items() if value is not None}


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def process(government):
    return factories.supporting_process(government, settings={"support_threshold": 4})


@pytest.fixture
def proposal(government, process):
    return factories.proposal(government, process, latitude="-0.95", longitude="-80.73")


def test_list_filters_sorts_and_paginates(client, government, process, proposal):
    other = factories.proposal(
        government, process, title="Agua potable para la comunidad El Cerro", category="Agua potable y saneamiento"
    )
    with government_scope(government):
        services.support_add(actor=UserFactory(), government=government, proposal=other)
    url = gov_url(government, "participation:proposal_list", slug=process.slug)
    page = client.get(url).content.decode()
    assert page.index(other.title) < page.index(proposal.title)  # most supported first
    page = client.get(url, {"orden": "recientes"}).content.decode()
    assert page.index(other.title) < page.index(proposal.title)
    filtered = client.get(url, {"categoria": "Agua potable y saneamiento"}).content.decode()
    assert other.title in filtered and proposal.title not in filtered
    assert proposal.title in client.get(url, {"q": "malecón"}).content.decode()
    assert other.title not in client.get(url, {"q": "malecón"}).content.decode()
    random_once = client.get(url, {"orden": "aleatorio"}).content.decode()
    assert client.get(url, {"orden": "aleatorio"}).content.decode() == random_once  # stable in the session
    assert 'class="form-errors" role="alert"' in client.get(url, {"estado": "nada"}).content.decode()
    assert client.get(url, {"estado": "en-evaluacion"}).status_code == 200


def test_detail_shows_progress_and_evaluation(client, government, process, proposal):
    with government_scope(government):
        services.proposal_evaluate(
            actor=None,
            government=government,
            proposal=proposal,
            feasible=False,
            cost_estimate="90000",
            answer="No es competencia provincial: corresponde al municipio de San Vicente.",
        )
    page = client.get(gov_url(government, "participation:proposal_detail", slug=process.slug, pk=proposal.pk))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="supports-progress"' in text and 'max="4"' in text
    assert "corresponde al municipio de San Vicente" in text
    assert 'id="proposal-cost"' in text


def test_process_page_has_the_section(client, government, process, proposal):
    text = client.get(gov_url(government, "participation:process_detail", slug=process.slug)).content.decode()
    assert 'id="propuestas"' in text and proposal.title in text


def test_xss_in_title_and_body_is_escaped(client, government):
    process = factories.proposing_process(government)
    proposal = factories.proposal(government, process, title="Propuesta " + XSS, body="Texto largo del cuerpo " + XSS)
    for name, kwargs in (
        ("participation:proposal_detail", {"slug": process.slug, "pk": proposal.pk}),
        ("participation:proposal_list", {"slug": process.slug}),
        ("participation:process_detail", {"slug": process.slug}),
    ):
        text = client.get(gov_url(government, name, **kwargs)).content.decode()
        assert "<script>alert" not in text and "<img src=x" not in text, name


def test_create_form_keeps_typed_values_and_then_publishes(client, government):
    process = factories.proposing_process(government)
    person = UserFactory()
    login_verified(client, person)
    url = gov_url(government, "participation:proposal_create", slug=process.slug)
    assert client.get(url).status_code == 200
    typed = {"title": "Corto", "body": "Un cuerpo con suficiente texto para pasar la validación.", "category": ""}
    refused = client.post(url, typed)
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Un cuerpo con suficiente texto" in text and 'value="Corto"' in text
    response = client.post(url, {**form(), "latitude": "-0.95", "longitude": "-80.73"})
    assert response.status_code == 302
    with government_scope(government):
        created = Proposal.objects.get(author=person)
    assert created.latitude is not None


def test_propose_outside_the_phase_is_refused_on_the_page(client, government, process):
    login_verified(client, UserFactory())
    url = gov_url(government, "participation:proposal_create", slug=process.slug)
    assert 'id="proposal-refusal"' in client.get(url).content.decode()
    client.post(url, form())
    with government_scope(government):
        assert not Proposal.objects.filter(process=process).exists()


def test_anonymous_is_sent_to_sign_in(client, government, process, proposal):
    response = client.post(gov_url(government, "participation:proposal_support", slug=process.slug, pk=proposal.pk))
    assert response.status_code == 302 and "/cuenta/ingresar/" in response["Location"]
    assert response["Location"].endswith(f"/propuestas/{proposal.pk}/")


def test_support_and_withdraw_through_the_page(client, government, process, proposal):
    login_verified(client, UserFactory())
    url = gov_url(government, "participation:proposal_support", slug=process.slug, pk=proposal.pk)
    assert client.post(url).status_code == 302
    proposal.refresh_from_db()
    assert proposal.supports_count == 1
    detail = client.get(gov_url(government, "participation:proposal_detail", slug=process.slug, pk=proposal.pk))
    assert 'id="support-withdraw"' in detail.content.decode()
    client.post(url, {"accion": "retirar"})
    proposal.refresh_from_db()
    assert proposal.supports_count == 0


def test_author_edits_and_withdraws(client, government, process, proposal):
    login_verified(client, proposal.author)
    edit = gov_url(government, "participation:proposal_edit", slug=process.slug, pk=proposal.pk)
    assert client.get(edit).status_code == 200
    client.post(edit, form(title="Luminarias LED en todo el malecón"))
    proposal.refresh_from_db()
    assert proposal.title == "Luminarias LED en todo el malecón"
    withdraw = gov_url(government, "participation:proposal_withdraw", slug=process.slug, pk=proposal.pk)
    client.post(withdraw, {"reason": "La junta parroquial ya la incluyó."})
    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN
    text = client.get(gov_url(government, "participation:proposal_detail", slug=process.slug, pk=proposal.pk)).content
    assert "La junta parroquial ya la incluyó." in text.decode()


def test_someone_else_cannot_edit(client, government, process, proposal):
    login_verified(client, UserFactory())
    edit = gov_url(government, "participation:proposal_edit", slug=process.slug, pk=proposal.pk)
    assert client.get(edit).status_code == 404


def test_merged_and_hidden_pages(client, government, process, proposal):
    target = factories.proposal(government, process, title="Iluminación del malecón y del parque central")
    with government_scope(government):
        services.proposal_merge(actor=None, government=government, source=proposal, target=target)
        hidden = factories.proposal(government, process, title="Propuesta con insultos a un vecino del barrio")
        services.proposal_set_hidden(
            actor=None, government=government, proposal=hidden, hidden=True, reason="Ataques personales."
        )
    text = client.get(gov_url(government, "participation:proposal_detail", slug=process.slug, pk=proposal.pk)).content
    assert 'id="proposal-merged"' in text.decode() and f"/propuestas/{target.pk}/" in text.decode()
    page = client.get(gov_url(government, "participation:proposal_detail", slug=process.slug, pk=hidden.pk))
    assert "Ataques personales." in page.content.decode() and hidden.title not in page.content.decode()
    listing = client.get(gov_url(government, "participation:proposal_list", slug=process.slug)).content.decode()
    assert hidden.title not in listing


def test_map_geojson_and_api(client, government, process, proposal):
    assert client.get(gov_url(government, "participation:proposal_map", slug=process.slug)).status_code == 200
    data = client.get(gov_url(government, "participation:proposal_geojson", slug=process.slug)).json()
    assert data["features"][0]["geometry"]["coordinates"] == [-80.73, -0.95]
    api = client.get(gov_url(government, "participation-api:proposals", slug=process.slug)).json()
    assert api["results"][0]["title"] == proposal.title
    assert "author" not in api["results"][0]
    assert (
        client.get(gov_url(government, "participation-api:proposals", slug=process.slug), {"estado": "x"}).status_code
        == 400
    )


def test_office_evaluates_with_typed_values_kept(client, government, process, proposal):
    from minga.core.testing import make_official

    login_verified(client, make_official(government, "editor", "participation"))
    url = gov_url(government, "participation:office_proposal_evaluate", pk=proposal.pk)
    refused = client.post(url, {"feasible": "1", "cost_estimate": "1500", "answer": "corto"})
    assert refused.status_code == 400 and 'value="1500"' in refused.content.decode()
    client.post(
        url,
        {
            "feasible": "1",
            "cost_estimate": "1500.5",
            "answer": "Viable: el terreno es público y cabe en el presupuesto.",
        },
    )
    proposal.refresh_from_db()
    assert proposal.status == Status.FEASIBLE
    listing = client.get(gov_url(government, "participation:office_proposals"), {"estado": "feasible"})
    assert proposal.title in listing.content.decode()


def test_photo_is_stored_without_metadata(client, government, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    image = Image.new("RGB", (2400, 1600), "#336699")
    exif = Image.Exif()
    exif[0x010F] = "CamaraDePrueba"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    photo = SimpleUploadedFile("foto.jpg", buffer.getvalue(), content_type="image/jpeg")
    process = factories.proposing_process(government)
    person = UserFactory()
    login_verified(client, person)
    response = client.post(
        gov_url(government, "participation:proposal_create", slug=process.slug), {**form(), "photo": photo}
    )
    assert response.status_code == 302
    with government_scope(government):
        stored = Proposal.objects.get(author=person)
        with Image.open(stored.photo) as picture:
            assert max(picture.size) == services.PHOTO_MAX_SIDE and not picture.getexif()


def test_hidden_support_counts_in_the_phase(client, government):
    from ...tests import factories as process_factories

    start = factories.now() - 15 * factories.DAY
    phases = process_factories.budget_phases(start)
    phases[1]["settings"] = {"hide_support_counts": True}
    process = process_factories.process(government, start=start, phases=phases)
    proposal = factories.proposal(government, process)
    detail = client.get(gov_url(government, "participation:proposal_detail", slug=process.slug, pk=proposal.pk))
    assert 'id="supports-count"' not in detail.content.decode()
    listing = client.get(gov_url(government, "participation:proposal_list", slug=process.slug)).content.decode()
    assert "0 supports" not in listing and "0 apoyos" not in listing
