"""A layer import records its progress (reading, storing; features stored of how many); a
refused one says why and which version stayed live, on the upload page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified

from .. import importing
from .conftest import feature_collection, make_layer, point

pytestmark = pytest.mark.django_db


def test_phases_reach_the_record(government, editor):
    layer = make_layer(government)
    heard = []
    with government_scope(government):
        tracker_calls = importing.services.layer_import(
            actor=editor,
            government=government,
            layer=layer,
            file_name="v2.geojson",
            data=feature_collection(point(-80.3, -0.9), point(-80.4, -0.8)),
            progress=lambda *a: heard.append(a),
        )
    assert tracker_calls.ok
    assert heard[0] == ("reading", 0, None) and heard[-1] == ("storing", 2, 2)
    with government_scope(government):
        importing.layer_import_tracked(
            actor=editor,
            government=government,
            layer=layer,
            file_name="v3.geojson",
            data=feature_collection(point(-80.3, -0.9)),
        )
    record = importing.latest_progress(layer)
    assert record.state == "succeeded" and record.kind == "geo.layer_import" and record.total == 1


def test_a_refused_upload_says_why_and_what_stayed_live(english, government, editor):
    client = english
    layer = make_layer(government)
    login_verified(client, editor)
    url = gov_url(government, "geo:office_layer_upload", pk=layer.pk)
    empty = feature_collection({"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": []}})
    response = client.post(url, {"crs": "", "file": SimpleUploadedFile("v2.geojson", empty)})
    page = response.content.decode()
    record = importing.latest_progress(layer)
    assert record.state == "failed" and "its geometry is empty" in record.failure_reason
    assert record.kept_live == "Version 1 of the layer, with 3 features, stays live."
    assert "It failed." in page and "What stayed live:" in page and record.kept_live in page
