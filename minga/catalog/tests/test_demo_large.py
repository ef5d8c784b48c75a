"""`minga demo --large`: one dataset whose table has the shape of the benchmarks' 1,000,000-row
file (here a few hundred rows of the same generator), loaded once."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from minga.core.tenancy.models import Government
from minga.core.tenancy.scoping import government_scope, scopes_disabled

from .. import demo_large
from ..datasets.models import Dataset
from ..tables import selectors as table_selectors
from ..tables.models import ResourceLoad
from .conftest_datastore import datastore_env  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_file_is_deterministic_and_spanish_formatted(tmp_path):
    first = demo_large.write_csv(tmp_path / "a.csv", 300).read_bytes()
    second = demo_large.write_csv(tmp_path / "b.csv", 300).read_bytes()
    assert first == second
    lines = first.decode("latin-1").split("\r\n")
    assert lines[0].split(";") == demo_large.HEADER and len(lines[0].split(";")) == 15
    assert lines[-2].startswith("TOTAL;")
    assert len(lines) == 300 + 3  # header, rows, total, final line break
    assert "Bolívar".encode("latin-1") in first or "Junín".encode("latin-1") in first
    with pytest.raises(UnicodeDecodeError):
        first.decode("utf-8")


def test_seed_large_creates_loads_and_is_idempotent(settings, government):
    settings.DEMO_LARGE_ROWS = 250
    now = timezone.now()
    out = io.StringIO()
    with government_scope(government):
        demo_large.seed_large(government, now=now, stdout=out)
        demo_large.seed_large(government, now=now, stdout=out)
        dataset = Dataset.objects.get(slug=demo_large.SLUG)
        resource = dataset.resources.get()
        assert dataset.is_published
        assert ResourceLoad.objects.filter(resource=resource, status=ResourceLoad.Status.SUCCEEDED).count() == 1
        table = table_selectors.resource_table(resource)
    assert "already loaded" in out.getvalue()
    assert table.row_count == 250
    types = {column.name: str(column.type) for column in table.columns}
    assert types["fecha_de_adjudicacion"] == "date"
    assert types["monto_adjudicado_usd"] == "decimal"
    assert types["pagado"] == "boolean"
    assert types["ruc_proveedor"] == "text"  # codes with a leading zero stay text


@pytest.mark.slow  # the whole demo for three governments, then the large tables: about a minute
def test_demo_command_large_option(settings):
    settings.DEMO_LARGE_ROWS = 120
    call_command("demo", "--quiet-credentials", "--large", stdout=io.StringIO())
    first = Government.objects.get(slug="manabi")
    with government_scope(first):
        resource = Dataset.objects.get(slug=demo_large.SLUG).resources.get()
        assert table_selectors.resource_table(resource).row_count == 120
    with scopes_disabled():
        assert Dataset.objects.filter(slug=demo_large.SLUG).count() == 1
