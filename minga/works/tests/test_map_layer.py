"""The works the module lends to the geovisor carry a data dictionary (labels for the properties
a pop-up shows) and their status by name in the page's language, not its code."""

from __future__ import annotations

import pytest
from django.utils import translation

from minga.core.tenancy.scoping import government_scope

from ..links import map_layers
from .factories import project

pytestmark = pytest.mark.django_db


def test_lent_works_are_labelled_and_their_status_translated(government):
    project(government, status="implementation")
    with translation.override("es"), government_scope(government):
        lent = map_layers(government)
        features = lent[0].features()
    labels = {name: str(label) for name, label in lent[0].labels.items()}
    assert labels["estado_nombre"] == "Estado" and "estado" not in labels and "codigo_dpa" not in labels
    assert features[0]["properties"]["estado_nombre"] != "implementation"
    assert features[0]["properties"]["estado"] == "implementation"  # the code stays for GIS users
