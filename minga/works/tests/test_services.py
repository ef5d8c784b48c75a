"""Service branches: locations (bad input refused with a clear message), photos (not images
refused, metadata stripped, GPS kept only on request), progress and indicators, comments in
core's threads (moderation audited), follower e-mails, links and what the module lends through the registry."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from minga.core import opendata
from minga.core.audit.models import AuditEntry
from minga.core.comments import services as comments
from minga.core.comments.models import Comment
from minga.core.notifications import services as notifications
from minga.core.notifications.models import Follow
from minga.core.registry import LinkedRecord
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory

from .. import indicators, links, services
from .. import opendata as works_opendata
from ..locations import parse_location
from ..models import Photo, ProgressUpdate, Project
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English; the Spanish catalogue is checked by its own test."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not json", "latitude, longitude"),
        ('{"type": "Point", "coordinates": []}', "empty"),
        ('{"type": "LineString", "coordinates": []}', "empty"),
        ('{"type": "Polygon", "coordinates": [[[0,0],[1,1],[1,0],[0,1],[0,0]]]}', "not valid"),
        ('{"type": "Point", "coordinates": [500000, 9880000]}', "WGS 84"),
        ('{"type": "Circle", "coordinates": [0, 0]}', "not a point, line or area"),
        ('{"type": "FeatureCollection", "features": []}', "exactly one geometry"),
        ('{"type": "Point", "coordinates": ["a", "b"]}', "cannot be read"),
    ],
)
def test_bad_locations_are_explained(value, message):
    with pytest.raises(ValidationError) as error:
        parse_location(value)
    assert message in " ".join(error.value.messages)


def test_locations_accepted():
    point = parse_location("-1.0546, -80.4545")
    assert point.kind == "point" and point.geometry["coordinates"] == [-80.4545, -1.0546]
    line = parse_location(
        '{"type":"Feature","geometry":{"type":"LineString","coordinates":[[-80.5,-1.1],[-80.4,-1.0]]}}'
    )
    assert line.kind == "line" and line.bbox == (-80.5, -1.1, -80.4, -1.0)
    assert parse_location("") is None


def test_invalid_geometry_saves_nothing_and_keeps_the_previous_location(government):
    project = factories.project(government)
    bowtie = {"type": "Polygon", "coordinates": [[[-80, -1], [-79, 0], [-79, -1], [-80, 0], [-80, -1]]]}
    with government_scope(government), pytest.raises(ValidationError) as error:
        services.project_update(actor=None, government=government, project=project, location=bowtie, title="Otro")
    assert "location" in error.value.message_dict
    with government_scope(government):
        project.refresh_from_db()
    assert project.title == "Puente sobre el río Chico" and project.geometry_type == "point"
    assert project.min_lon == -80.454


def test_project_create_links_audit_and_opendata(government, django_capture_on_commit_callbacks, monkeypatch):
    calls = []
    monkeypatch.setattr(opendata, "_publishers", [lambda gid, module: calls.append((gid, module))])
    with django_capture_on_commit_callbacks(execute=True):
        project = factories.project(
            government,
            links={
                "budget.line": ["2026:3.01.750104.001", "2026:3.01.750104.001"],
                "procurement.process": ["ocds-5wno2w-X-1"],
            },
        )
    assert calls == [(government.pk, "works")]
    with government_scope(government):
        assert sorted(link.key for link in project.links.all()) == ["2026:3.01.750104.001", "ocds-5wno2w-X-1"]
        entry = AuditEntry.objects.filter(action="works.project.created").get()
    assert "links" in entry.changes
    with pytest.raises(ValidationError, match="year:partida"):
        services.parse_keys("3.01.750104", "budget.line")
    with pytest.raises(ValidationError, match="OCID"):
        services.parse_keys("LICO-001", "procurement.process")


def test_reserved_and_duplicate_slugs(government):
    project = factories.project(government, title="Planificación")
    assert project.slug == "planificacion-2"
    with pytest.raises(ValidationError):
        factories.project(government, title="Otra", slug=project.slug)


def test_progress_updates_the_project_and_withdrawing_restores_it(government):
    project = factories.project(government)
    factories.progress(
        government, project, day=dt.date(2026, 3, 1), physical="20", financial="30", amount_paid=Decimal("28500")
    )
    later = factories.progress(government, project, day=dt.date(2026, 5, 1), physical="50", financial="55")
    factories.progress(government, project, day=dt.date(2026, 4, 1), physical="35", financial="40")  # late report
    with government_scope(government):
        project.refresh_from_db()
        assert (project.physical_progress, project.last_progress_on) == (Decimal("50"), dt.date(2026, 5, 1))
        assert project.amount_paid == Decimal("28500")
        services.progress_delete(actor=None, government=government, update=later)
        project.refresh_from_db()
    assert (project.physical_progress, project.last_progress_on) == (Decimal("35"), dt.date(2026, 4, 1))


def test_progress_refuses_future_dates_and_bad_percentages(government):
    project = factories.project(government)
    with pytest.raises(ValidationError):
        factories.progress(government, project, day=dt.date.today() + dt.timedelta(days=3))
    with pytest.raises(ValidationError):
        factories.progress(government, project, physical="120")
    with government_scope(government):
        assert ProgressUpdate.objects.count() == 0


def test_a_file_that_is_not_an_image_refuses_the_whole_update(government):
    project = factories.project(government)
    fake = SimpleUploadedFile("informe.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        factories.progress(government, project, photos=[factories.jpeg(), fake])
    assert "informe.jpg" in " ".join(error.value.messages) and "not an image" in " ".join(error.value.messages)
    with government_scope(government):
        assert ProgressUpdate.objects.count() == 0 and Photo.objects.count() == 0
        project.refresh_from_db()
    assert project.last_progress_on is None


def _exif(photo):
    photo.image.open("rb")
    with Image.open(photo.image) as image:
        return image.getexif(), image.size


def test_photos_are_resized_and_stripped_unless_the_official_keeps_the_position(government):
    project = factories.project(government)
    factories.progress(government, project, photos=[factories.jpeg(size=(3000, 2000), gps=(-1.05, -80.45))])
    with government_scope(government):
        photo = Photo.objects.get()
    exif, size = _exif(photo)
    assert max(size) == 1600 and len(exif) == 0 and photo.latitude is None
    factories.progress(
        government, project, photos=[factories.jpeg(gps=(-1.05, -80.45))], keep_position=True, day=dt.date(2026, 1, 2)
    )
    with government_scope(government):
        kept = Photo.objects.exclude(pk=photo.pk).get()
    exif, _size = _exif(kept)
    assert 0x010F not in exif and 0x0131 not in exif  # camera make and software are gone
    gps = exif.get_ifd(0x8825)
    assert gps[1] == "S" and gps[3] == "W"
    assert kept.latitude == pytest.approx(-1.05, abs=0.01) and kept.longitude == pytest.approx(-80.45, abs=0.01)


def test_indicators_and_flags(government):
    today = dt.date(2026, 6, 1)
    project = factories.project(
        government,
        planned_end=dt.date(2026, 3, 1),
        actual_start=dt.date(2025, 6, 1),
        amount_planned=Decimal("100000"),
        amount_contracted=Decimal("125000"),
    )
    factories.progress(government, project, day=dt.date(2026, 1, 15), physical="30", financial="60")
    with government_scope(government):
        project.refresh_from_db()
    found = indicators.compute(project, today=today, thresholds=indicators.Thresholds())
    assert found.gap == Decimal("30.00")
    assert found.delay_days == 92
    assert found.overrun_percent == Decimal("25.0")
    assert found.days_since_update == 137
    assert set(found.flags) == {"sin-actualizacion", "brecha", "atrasada", "sobrecosto"}
    government.modules = {"works": {"settings": {"stale_after_days": 200, "gap_points": 40, "overrun_percent": 30}}}
    calm = indicators.compute(project, today=today, thresholds=indicators.Thresholds.of(government))
    assert calm.flags == ["atrasada"]
    project.status = "completed"
    project.actual_end = dt.date(2026, 2, 1)
    assert indicators.compute(project, today=today, thresholds=indicators.Thresholds()).delay_days is None


def test_comments_moderation_is_audited_and_needs_a_reason(government):
    project = factories.project(government)
    citizen = UserFactory()
    with government_scope(government):
        comment = services.comment_create(actor=citizen, government=government, project=project, body="Texto")
        assert Follow.objects.filter(user=citizen, kind="works.project", object_id=project.pk).exists()
        with pytest.raises(ValidationError):
            comments.comment_hide(actor=None, government=government, comment=comment, reason="  ")
        comments.comment_hide(actor=None, government=government, comment=comment, reason="Insultos")
        comments.comment_answer(actor=None, government=government, comment=comment, body="Gracias")
        actions = list(AuditEntry.objects.filter(action__startswith="core.comment").values_list("action", flat=True))
    assert actions == ["core.comment.hidden", "core.comment.answered"]


def test_unverified_citizens_cannot_comment_and_photos_need_an_observation(government):
    project = factories.project(government)
    with government_scope(government):
        with pytest.raises(ValidationError, match="Confirm your e-mail"):
            services.comment_create(
                actor=UserFactory(email_verified_at=None), government=government, project=project, body="x"
            )
        with pytest.raises(ValidationError):
            services.comment_create(
                actor=UserFactory(), government=government, project=project, body="x", photos=[factories.jpeg()]
            )


def test_followers_get_an_email_with_each_progress_update(government, django_capture_on_commit_callbacks):
    project = factories.project(government)
    follower, official = UserFactory(), UserFactory()
    with government_scope(government):
        notifications.follow(user=follower, government=government, target=project)
        notifications.follow(user=official, government=government, target=project)
    with django_capture_on_commit_callbacks(execute=True):
        factories.progress(government, project, physical="45", note="Fundición de losas", notify=True, actor=official)
    assert [m.to for m in mail.outbox] == [[follower.email]]
    assert project.title in mail.outbox[0].subject and "45 %" in mail.outbox[0].body
    assert f"/g/{government.slug}/obras/{project.slug}/" in mail.outbox[0].body


def test_link_resolver_backlinks_and_map_layer(government, other_government):
    project = factories.project(
        government, links={"budget.line": ["2026:3.01.750104.001"], "procurement.process": ["ocds-5wno2w-A-1"]}
    )
    factories.project(government, title="Borrador", is_published=False, links={"budget.line": ["2026:3.01.750104.001"]})
    found = links.resolve_projects(government, [project.slug, "no-existe"])
    assert list(found) == [project.slug]
    record = found[project.slug]
    assert isinstance(record, LinkedRecord) and record.facts["amount_contracted"] == Decimal("95000")
    assert [r.key for r in links.BACKLINKS["budget.line"](government, "2026:3.01.750104.001")] == [project.slug]
    assert [r.key for r in links.BACKLINKS["procurement.process"](government, "ocds-5wno2w-A-1")] == [project.slug]
    assert links.BACKLINKS["budget.line"](other_government, "2026:3.01.750104.001") == []
    (layer,) = links.map_layers(government)
    features = layer.features()
    assert layer.key == "works.projects" and [f["id"] for f in features] == [project.slug]
    assert features[0]["geometry"]["type"] == "Point"


def test_opendata_table_rows(government):
    project = factories.project(government, links={"budget.line": ["2026:3.01.750104.001"]})
    (table,) = works_opendata.tables(government)
    rows = list(table.rows())
    assert table.key == "works.projects" and len(rows) == 1
    row = dict(zip([c.name for c in table.columns], rows[0], strict=True))
    assert row["identificador"] == project.slug and row["partidas"] == "2026:3.01.750104.001"
    assert row["longitud"] == pytest.approx(-80.454)


def test_project_delete_removes_its_photos_and_comments(government):
    project = factories.project(government)
    other = factories.project(government, title="Otra obra")
    factories.progress(government, project, photos=[factories.jpeg()])
    with government_scope(government):
        services.comment_create(
            actor=UserFactory(),
            government=government,
            project=project,
            body="Mire",
            kind="observation",
            photos=[factories.jpeg(name="c.jpg")],
        )
        services.comment_create(actor=UserFactory(), government=government, project=other, body="Sigue")
        names = [(photo.image.storage, photo.image.name) for photo in Photo.objects.all()]
        assert len(names) == 2
        services.project_delete(actor=None, government=government, project=project)
        assert list(Project.objects.all()) == [other]
        assert [c.body for c in Comment.objects.all()] == ["Sigue"]
    assert not any(storage.exists(name) for storage, name in names)


def test_document_files_must_be_pdfs_and_are_stored_under_random_names(government):
    project = factories.project(government)
    fake = SimpleUploadedFile("informe.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        factories.progress(government, project, document_files=[fake])
    assert "not a PDF" in " ".join(error.value.messages)
    with government_scope(government):
        assert ProgressUpdate.objects.count() == 0
    pdf = SimpleUploadedFile("Informe_de_fiscalizacion.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    update = factories.progress(government, project, document_files=[pdf], documents=[("Acta", "https://e.org/acta")])
    with government_scope(government):
        documents = list(update.documents.order_by("pk"))
    assert [d.title for d in documents] == ["Acta", "Informe de fiscalizacion"]
    stored = documents[1].file.name
    assert stored.startswith("works/documents/") and "Informe" not in stored and stored.endswith(".pdf")
    assert documents[0].href == "https://e.org/acta" and documents[1].href.endswith(".pdf")
