"""The demo seed: 30+ datasets with generated files (some with Spanish-locale quirks), data
requests with supports; deterministic and idempotent."""

import csv
import io
import json

import pytest
import shapely.geometry
from django.utils import timezone

from minga.core.tenancy import demo_territory as territory
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url

from .. import demo
from ..datasets import selectors
from ..datasets.models import Dataset, Resource, Theme
from ..requests.models import DataRequest

pytestmark = pytest.mark.django_db


def _seed(government, now):
    with government_scope(government):
        demo.seed(government, now=now, stdout=io.StringIO())


def test_seed_is_rich_deterministic_and_idempotent(client, government):
    now = timezone.now()
    _seed(government, now)
    with government_scope(government):
        datasets = Dataset.objects.count()
        resources = list(Resource.objects.filter(kind="upload").exclude(format__in=("GeoJSON", "PDF")))
        # The previews have a map of lines, a province grid and a PDF to show.
        assert Resource.objects.filter(kind="upload", format__in=("GeoJSON", "PDF")).count() == 2
        assert datasets >= 30
        assert Dataset.objects.filter(is_published=True).count() >= 28
        assert Theme.objects.count() >= 13
        assert len({theme.dcat_theme for theme in Theme.objects.all()}) >= 13
        assert all(resource.format == "CSV" and resource.size and resource.sha256 for resource in resources)
        contents = [resource.file.open("rb").read() for resource in resources]
        assert any(b";" in content.splitlines()[0] for content in contents)  # ';' delimiter
        assert any(b"\xf1" in content or b"\xe9" in content for content in contents)  # latin-1 (ñ, é)
        assert any(b"/2025" in content for content in contents)  # dd/mm/yyyy
        fulfilled = DataRequest.objects.get(status="fulfilled")
        assert fulfilled.fulfilled_by.slug == "siniestros-transito-2025"
        assert DataRequest.objects.filter(support_count__gt=0).count() == 3
        checksums = sorted(resource.sha256 for resource in resources)
    _seed(government, now)
    with government_scope(government):
        assert Dataset.objects.count() == datasets
        assert Resource.objects.filter(kind="upload").count() == len(resources) + 2
        assert DataRequest.objects.count() == 3
    # Deterministic: another government with the same slug would get the same files.
    assert len(set(checksums)) == len(checksums)
    response = client.get(gov_url(government, "catalog:dataset_list"), {"q": "siniestros transito"})
    assert f"Siniestros de tránsito por cantón de {government.short_name} 2025" in response.content.decode()


def test_a_provinces_catalog_lists_each_title_once_with_its_cantons(client, government, canton):
    """The province's catalog lists its cantons' demo datasets beside its own: every title names
    its government, so none appears twice (and the home page counts what the catalog lists)."""
    now = timezone.now()
    _seed(government, now)
    _seed(canton, now)
    for owner in (government, canton):
        with government_scope(owner):
            titles = list(Dataset.objects.values_list("title", flat=True))
            assert len(titles) == len(set(titles)) >= 30
            assert all(owner.short_name in title for title in titles)
    response = client.get(gov_url(government, "catalog:dataset_list"), {"orden": "titulo"})
    listed = list(selectors.widened_public_datasets([government, canton]).values_list("title", flat=True))
    assert len(listed) == len(set(listed)) == response.context["result"].total


def test_a_cantons_tables_speak_of_its_own_parishes_not_other_cantons(government, canton):
    """A canton's "by area" datasets go by its parishes: no row, column or title names the
    province's other cantons."""
    _seed(canton, timezone.now())
    own = {name for _code, name, _urban, _point in territory.PARISHES[canton.dpa_code]}
    others = {name for code, name, *_ in territory.CANTONS if code != canton.dpa_code} - own
    others -= {"Bolívar", "Pichincha"}  # also provinces, where tourists come from
    with government_scope(canton):
        titles = list(Dataset.objects.values_list("title", flat=True))
        assert not [title for title in titles if "por cantón" in title]
        assert "Siniestros de tránsito por parroquia de Portoviejo 2025" in titles
        for resource in Resource.objects.filter(kind="upload", format="CSV"):
            content = resource.file.open("rb").read()
            text = content.decode("utf-8" if not content.startswith(b"\xef") else "utf-8-sig", errors="replace")
            text = text if "\ufffd" not in text else content.decode("latin-1")
            header = text.splitlines()[0]
            assert "cantón" not in header and "cant\xf3n" not in header, resource.title
            assert not [name for name in others if f";{name};" in text or f",{name}," in text], resource.title
        crashes = Resource.objects.get(dataset__slug="siniestros-transito-2025", file__endswith=".csv")
        rows = crashes.file.open("rb").read().decode("utf-8", errors="replace").splitlines()
        separator = rows[0][len("parroquia")]
        assert {row.split(separator)[0] for row in rows[1:]} == own


def test_demo_points_and_roads_lie_on_land_where_they_say(government):
    """The wifi points lie inside the parish their row names, and the roads of the map preview
    inside the province: none in the sea."""
    _seed(government, timezone.now())
    with government_scope(government):
        wifi = Resource.objects.get(dataset__slug="puntos-wifi", kind="upload", order=0)
        roads = Resource.objects.get(original_name="red-vial-rural.geojson")
        wifi_text, roads_text = wifi.file.open("rb").read(), roads.file.open("rb").read()
    parishes = {name: area for name, _urban, area in territory.parish_areas("1301").values()}
    encoding = "latin-1" if b"\xf1" in wifi_text and b"\xc3" not in wifi_text else "utf-8"
    rows = list(csv.DictReader(io.StringIO(wifi_text.decode(encoding)), delimiter=";" if b";" in wifi_text else ","))
    assert len(rows) == 8
    for row in rows:
        point = shapely.Point(float(row["longitud"].replace(",", ".")), float(row["latitud"].replace(",", ".")))
        assert parishes[row["parroquia"]].contains(point), row
        assert row["lugar"].endswith(row["parroquia"])
    land = territory.province_area().buffer(0.0001)
    for feature in json.loads(roads_text)["features"]:
        assert land.contains(shapely.geometry.shape(feature["geometry"])), feature["properties"]
