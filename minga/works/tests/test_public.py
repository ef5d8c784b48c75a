"""The public pages through HTTP: map and list with filters (SVG and table without
JavaScript), GeoJSON, the project page with its money chain, comments and follows, the
planning view and the API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from minga.core import registry
from minga.core.comments import services as comments
from minga.core.comments.models import Comment
from minga.core.notifications.models import Follow
from minga.core.registry import LinkedRecord, ModuleManifest
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory, bomb_png_bytes, gov_url

from .. import services
from ..models import Photo
from . import factories

pytestmark = pytest.mark.django_db

LINE = {"type": "LineString", "coordinates": [[-80.72, -0.95], [-80.70, -0.94]]}


@pytest.fixture
def works(government):
    bridge = factories.project(
        government,
        title="Puente Río Chico",
        sector="roads",
        pdot_objectives=["OE1 Conectividad"],
        area_of_interest="Cuenca del río Portoviejo",
        links={"budget.line": ["2026:3.01.750104.001", "2026:9.99"], "procurement.process": ["ocds-5wno2w-A-1"]},
    )
    road = factories.project(
        government,
        title="Vía Manta–Montecristi",
        sector="water",
        status="completed",
        actual_start=dt.date(2025, 1, 1),
        actual_end=dt.date(2025, 12, 1),
        location=LINE,
        dpa_code="1308",
        territory_name="Manta",
        amount_planned=Decimal("2500000"),
    )
    factories.progress(government, bridge, day=dt.date(2026, 1, 10), physical="20", financial="60", note="Pilotes")
    factories.progress(government, bridge, day=dt.date(2026, 2, 10), physical="30", financial="65", note="Vigas")
    return {"bridge": bridge, "road": road}


def test_map_and_list_work_without_javascript(english, government, works):
    body = english.get(gov_url(government, "works:project_list")).content.decode()
    assert body.count("<h1>") == 1
    assert "<svg" in body and 'role="group"' in body and '<title id="works-map-svg-title">' in body
    assert body.count('<a href="/g/manabi/obras/puente-rio-chico/">') >= 2  # on the map and in the table
    assert "Vía Manta–Montecristi" in body and "2 works" in body
    assert "<script>" not in body and "style=" not in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sector=roads", ["Puente"]),
        ("estado=completed", ["Vía"]),
        ("territorio=1308", ["Vía"]),
        ("territorio=13", ["Puente", "Vía"]),
        ("monto_min=1.000.000", ["Vía"]),
        ("monto_max=200000", ["Puente"]),
        ("alerta=brecha", ["Puente"]),
        ("q=manta", ["Vía"]),
        ("objetivo=OE1+Conectividad", ["Puente"]),
        ("sector=__import__&estado=x&alerta=nada", ["Puente", "Vía"]),  # unknown values are ignored
    ],
)
def test_filters(client, government, works, query, expected):
    data = client.get(gov_url(government, "works-api:projects") + "?" + query).json()
    assert sorted(p["title"].split()[0] for p in data["results"]) == expected
    geo = client.get(gov_url(government, "works:projects_geojson") + "?" + query).json()
    assert len(geo["features"]) == len(expected)


def test_project_page_shows_timeline_indicators_and_unresolved_links(english, government, works):
    body = english.get(gov_url(government, "works:project_detail", slug="puente-rio-chico")).content.decode()
    assert "Pilotes" in body and "Vigas" in body
    assert "Paid ahead of the works" in body  # 65 % paid, 30 % built
    assert "2026:3.01.750104.001" in body and "(not published in the budget pages)" in body
    assert "ocds-5wno2w-A-1" in body
    assert "Sign in to follow" in body and "Sign in to comment" in body and 'class="comment-form"' not in body
    assert "csrfmiddlewaretoken" not in body  # cacheable
    assert '<title id="chart-title">' in body


def test_project_page_shows_the_linked_money_from_other_modules(english, government, works, monkeypatch):
    def budget(gov, keys):
        return {
            k: LinkedRecord(
                "budget.line",
                k,
                "Vías rurales",
                "/presupuesto/x/",
                "budget",
                {"devengado": Decimal("1500"), "codificado": Decimal("9000")},
            )
            for k in keys
            if k.startswith("2026:3")
        }

    def process(gov, keys):
        return {
            k: LinkedRecord(
                "procurement.process",
                k,
                "Construcción del puente",
                "/contratacion/p/",
                "procurement",
                {"amount": Decimal("95000"), "suppliers": ["Constructora X"]},
            )
            for k in keys
        }

    fake = [
        ModuleManifest(key="budget", label="B", link_resolvers={"budget.line": budget, "procurement.process": process})
    ]
    monkeypatch.setattr(registry, "enabled_manifests", lambda government: fake)
    body = english.get(gov_url(government, "works:project_detail", slug="puente-rio-chico")).content.decode()
    # The registry hands the resolver's government-relative path out as a link of this request.
    assert f'<a href="/g/{government.slug}/presupuesto/x/">Vías rurales</a>' in body and "USD 1,500.00" in body
    assert "(not published in the budget pages)" in body  # 2026:9.99 is unknown to the fake budget
    assert "Construcción del puente" in body and "Constructora X" in body


def _comment_url(government, project):
    return gov_url(government, "core:comment_create", target="works.project", object_id=project.pk)


def test_citizen_comments_with_a_photo_and_follows(english, government, works):
    citizen = UserFactory()
    english.force_login(citizen)
    url = gov_url(government, "works:project_detail", slug="puente-rio-chico")
    body = english.get(url).content.decode()
    assert 'class="comment-form"' in body and 'enctype="multipart/form-data"' in body
    assert "Field observation" in body and "Photos (field observations only)" in body
    comment_url = _comment_url(government, works["bridge"])
    response = english.post(
        comment_url, {"kind": "observation", "body": "No hay señalización.", "photos": [factories.jpeg()]}
    )
    with government_scope(government):
        comment = Comment.objects.get()
        assert comment.kind == "observation" and comment.target_id == works["bridge"].pk
        assert comment.works_photos.count() == 1 and Follow.objects.filter(user=citizen).exists()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/obras/puente-rio-chico/#comentario-{comment.pk}"
    )
    english.logout()
    body = english.get(url).content.decode()  # the cached page was refreshed
    assert "No hay señalización." in body and "Field observation" in body and "Photo sent by a citizen" in body

    english.force_login(citizen)
    not_an_image = SimpleUploadedFile("x.jpg", b"nope", content_type="image/jpeg")
    response = english.post(comment_url, {"kind": "observation", "body": "Otra", "photos": [not_an_image]})
    body = response.content.decode()
    assert response.status_code == 400 and "not an image" in body and "Otra</textarea>" in body
    response = english.post(comment_url, {"kind": "comment", "body": "Con foto", "photos": [factories.jpeg()]})
    assert response.status_code == 400 and "Photos go with a field observation." in response.content.decode()
    with government_scope(government):
        assert Comment.objects.count() == 1 and Photo.objects.filter(comment__isnull=False).count() == 1
    follow_url = gov_url(government, "core:follow", kind="works.project", pk=comment.target_id)
    english.post(follow_url, {"seguir": "0"})
    with government_scope(government):
        assert not Follow.objects.filter(user=citizen).exists()


def test_a_decompression_bomb_photo_is_refused_before_decoding(english, government, works):
    """A 250 KB PNG declaring 8,900 × 8,900 pixels used to be decoded (about 700 MB for three)."""
    english.force_login(UserFactory())
    bombs = [SimpleUploadedFile(f"foto{n}.png", bomb_png_bytes(), content_type="image/png") for n in range(3)]
    response = english.post(
        _comment_url(government, works["bridge"]),
        {"kind": "observation", "body": "Miren esto", "photos": bombs},
    )
    body = response.content.decode()
    assert response.status_code == 400 and "8900 × 8900 pixels" in body and "Miren esto</textarea>" in body
    with government_scope(government):
        assert not Comment.objects.exists() and not Photo.objects.exists()


def test_hidden_comments_show_the_reason_only_and_answers_are_official(english, government, works):
    with government_scope(government):
        comment = services.comment_create(
            actor=UserFactory(), government=government, project=works["bridge"], body="Datos de mi vecino"
        )
        other = services.comment_create(
            actor=UserFactory(), government=government, project=works["bridge"], body="¿Y el agua?"
        )
        comments.comment_hide(actor=None, government=government, comment=comment, reason="Datos personales")
        comments.comment_answer(actor=None, government=government, comment=other, body="Llega en marzo.")
    body = english.get(gov_url(government, "works:project_detail", slug="puente-rio-chico")).content.decode()
    assert "Datos personales" in body and "Datos de mi vecino" not in body
    assert "Official answer" in body and "Llega en marzo." in body


def test_planning_groups_by_objective_and_area(english, government, works):
    body = english.get(gov_url(government, "works:planning")).content.decode()
    assert "OE1 Conectividad" in body and "Cuenca del río Portoviejo" in body and "Without a PDOT objective" in body


def test_api_detail_and_progress(client, government, works):
    data = client.get(gov_url(government, "works-api:project", slug="puente-rio-chico")).json()
    assert data["budget_lines"] == ["2026:3.01.750104.001", "2026:9.99"] and data["ocids"] == ["ocds-5wno2w-A-1"]
    assert "brecha" in data["indicators"]["flags"] and data["bbox"] == [-80.454, -1.054, -80.454, -1.054]
    progress = client.get(gov_url(government, "works-api:progress", slug="puente-rio-chico")).json()
    assert [u["note"] for u in progress["results"]] == ["Vigas", "Pilotes"]


def test_tile_server_is_allowed_by_the_page_csp_only_when_configured(client, government, works):
    url = gov_url(government, "works:project_list")
    assert "tiles.example.org" not in client.get(url).get("Content-Security-Policy", "")
    government.modules = {"works": {"settings": {"tile_url": "https://tiles.example.org/{z}/{x}/{y}.png"}}}
    government.save()
    cache.clear()
    response = client.get(url)
    assert "https://tiles.example.org" in response["Content-Security-Policy"]
    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in response.content.decode()


def test_photos_with_a_kept_position_appear_on_the_project_map(english, government, works):
    bridge = works["bridge"]
    factories.progress(
        government, bridge, day=dt.date(2026, 3, 1), photos=[factories.jpeg(gps=(-1.06, -80.46))], keep_position=True
    )
    factories.progress(government, bridge, day=dt.date(2026, 3, 2), photos=[factories.jpeg(gps=(-1.07, -80.47))])
    geo = english.get(gov_url(government, "works:project_geojson", slug=bridge.slug)).json()
    photos = [f for f in geo["features"] if "foto" in f["properties"]]
    assert len(photos) == 1 and photos[0]["geometry"]["coordinates"][1] == pytest.approx(-1.06, abs=0.02)
    body = english.get(gov_url(government, "works:project_detail", slug=bridge.slug)).content.decode()
    assert body.count("<title>Photo taken here") == 1


def test_oc4ids_package(client, government, works):
    data = client.get(gov_url(government, "works-api:oc4ids")).json()
    assert data["version"] == "0.9" and data["publisher"]["name"] == government.name
    by_id = {p["id"]: p for p in data["projects"]}
    bridge = by_id["manabi-puente-rio-chico"]
    assert bridge["status"] == "implementation" and bridge["sector"] == ["transport", "transport.road"]
    assert bridge["budget"]["amount"] == {"amount": 100000.0, "currency": "USD"}
    assert [b["id"] for b in bridge["budget"]["budgetBreakdown"]] == ["2026:3.01.750104.001", "2026:9.99"]
    assert bridge["contractingProcesses"] == [{"id": "ocds-5wno2w-A-1", "summary": {"ocid": "ocds-5wno2w-A-1"}}]
    assert bridge["locations"][0]["gazetteer"] == {"scheme": "INEC-DPA", "identifiers": ["1301"]}
    physical = next(m for m in bridge["metrics"] if m["id"] == "physicalProgress")
    assert [o["measure"] for o in physical["observations"]] == [20.0, 30.0]
    road = next(p for p in data["projects"] if p["title"] == "Vía Manta–Montecristi")
    assert road["status"] == "completed" and road["completion"]["endDate"].startswith("2025-12-01")
    assert "metrics" not in road and "contractor" not in road
    one = client.get(gov_url(government, "works-api:project_oc4ids", slug="puente-rio-chico")).json()
    assert [p["id"] for p in one["projects"]] == ["manabi-puente-rio-chico"]


def test_government_home_and_feed_show_the_works(english, government, works):
    home = english.get(gov_url(government, "core:home")).content.decode()
    assert "Public works" in home and "Progress of Puente Río Chico: 30% built" in home
    feed = english.get(gov_url(government, "core:atom_feed")).content.decode()
    assert "Puente Río Chico" in feed
    results = english.get(gov_url(government, "core:search") + "?q=puente").content.decode()
    assert "Puente Río Chico" in results


@pytest.mark.parametrize("name", ["works-api:projects", "works-api:projects_geojson"])
def test_api_refuses_an_amount_it_cannot_read(client, government, works, name):
    # The schema says number; "mucho" used to be ignored silently (the whole list came back).
    response = client.get(gov_url(government, name), {"monto_min": "mucho", "monto_max": "-5"})
    assert response.status_code == 400
    assert set(response.json()) == {"monto_min", "monto_max"}
    # an empty field is no filter, as on the map page
    assert client.get(gov_url(government, name), {"monto_min": ""}).status_code == 200
