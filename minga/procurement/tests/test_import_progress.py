"""An OCDS import records its progress (validate, store, flags; releases done of the total); a
rejected one says why and that the data published before stayed live; the command writes plain
lines in a log."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from minga.core.progress import selectors as progress_selectors
from minga.core.progress.models import Progress
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified

from .. import importing
from ..models import ImportRun
from .conftest import award_release, package, tender_release

pytestmark = pytest.mark.django_db


def _import(government, raw, name="ocds.json", **options):
    with government_scope(government), translation.override("en"):
        return importing.import_tracked(
            actor=None, government=government, filename=name, raw=raw, now=timezone.now(), **options
        )


def test_phases_and_counts_reach_the_record_and_the_terminal(government):
    heard = []
    run = _import(government, package(tender_release(), award_release()), terminal=lambda *a: heard.append(a))
    phases = [phase for phase, _done, _total in heard]
    assert phases[0] == "validate" and "store" in phases and phases[-1] == "flags"
    assert ("validate", 2, 2) in heard and ("store", 2, 2) in heard
    record = importing.progress_of(run)
    assert record.state == "succeeded" and record.kind == "procurement.import" and record.title == "ocds.json"
    assert record.unit == "releases" and record.module == "procurement"


def test_a_rejected_file_says_why_and_what_stayed_live(client, english, government, editor):
    run = _import(government, b"{no", name="roto.json")
    assert run.status == ImportRun.Status.FAILED
    record = importing.progress_of(run)
    assert record.state == "failed" and "is not valid JSON" in record.failure_reason
    assert "published before this file stays live" in record.kept_live
    login_verified(client, editor)
    page = client.get(gov_url(government, "procurement:office_import_detail", pk=run.pk)).content.decode()
    assert "It failed." in page and "is not valid JSON" in page and "What stayed live:" in page


def test_an_error_in_the_middle_is_recorded_and_raised(government, monkeypatch):
    from .. import services

    def broken(self, chunk):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services._Importer, "_chunk", broken)
    with pytest.raises(RuntimeError):
        _import(government, package(tender_release()))
    with government_scope(government):
        record = Progress.objects.get(kind="procurement.import")
        assert ImportRun.objects.count() == 0  # rolled back
    assert record.state == "failed" and "disk full" in record.failure_reason and record.phase == "store"
    assert record.kept_live


def test_the_import_list_shows_running_imports(client, english, government, viewer):
    from minga.core.progress import services as progress

    tracker = progress.start(
        government=government,
        kind=importing.KIND,
        module="procurement",
        title="grande.json",
        labels=importing.PHASES,
        unit=importing.RELEASES,
    )
    tracker.advance("store", 500, 2000)
    login_verified(client, viewer)
    page = client.get(gov_url(government, "procurement:office_imports")).content.decode()
    assert "Import running" in page and "grande.json" in page
    assert "Compiling and storing releases" in page and "500 of 2,000 releases" in page
    assert 'hx-trigger="every 2s"' in page and "htmx.min.js" in page
    assert [r.pk for r in progress_selectors.running(government=government)] == [tracker.record.pk]


def test_the_command_writes_plain_lines_in_a_log(government, tmp_path):
    good = tmp_path / "a.json"
    good.write_bytes(package(tender_release(), award_release()))
    out = io.StringIO()
    call_command("procurement_import", government.slug, str(good), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("a.json: validate: 0/2 releases") or lines[0].startswith("a.json: validate: 1/2")
    assert any(line.startswith("a.json: store: ") for line in lines)
    assert any(line.endswith("· done") for line in lines)
    assert any("2 new" in line for line in lines)
    bad = tmp_path / "b.json"
    bad.write_bytes(b"[")
    with pytest.raises(CommandError):
        call_command("procurement_import", government.slug, str(bad), stdout=io.StringIO())
    with government_scope(government):
        assert Progress.objects.filter(state="failed", title="b.json").exists()
