import datetime as dt
import json

import pytest
from django.utils import timezone, translation

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import make_official

from .. import services

OCID = "ocds-5wno2w-SIE-GPM-2025-001-1360"


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def scoped(government):
    with government_scope(government):
        yield government


@pytest.fixture
def editor(government):
    return make_official(government, "editor", "procurement")


@pytest.fixture
def viewer(government):
    return make_official(government, "viewer", "procurement")


def release(ocid=OCID, number=1, date="2025-03-01T10:00:00-05:00", tag=("tender",), **sections):
    found = {"ocid": ocid, "id": f"{ocid}-{number:02d}", "date": date, "tag": list(tag), "initiationType": "tender"}
    found.update(sections)
    return found


def tender_release(ocid=OCID, **changes):
    tender = {
        "id": "t1",
        "title": "Adquisición de papel bond",
        "description": "Papel bond A4 para oficinas",
        "status": "active",
        "procurementMethod": "open",
        "procurementMethodDetails": "Subasta Inversa Electrónica",
        "value": {"amount": 12000, "currency": "USD"},
        "items": [{"id": "1", "description": "Papel bond", "classification": {"scheme": "CPC", "id": "3215100011"}}],
        "numberOfTenderers": 3,
    }
    tender.update(changes.pop("tender", {}))
    return release(
        ocid,
        changes.pop("number", 1),
        changes.pop("date", "2025-03-01T10:00:00-05:00"),
        ("tender",),
        buyer={"id": "EC-RUC-1360000000001", "name": "Gobierno Provincial"},
        planning={"budget": {"id": "73.08.04", "amount": {"amount": 13000, "currency": "USD"}}},
        tender=tender,
        **changes,
    )


def award_release(ocid=OCID, amount=11000, supplier=("EC-RUC-1390000000001", "Papelera del Pacífico"), **changes):
    return release(
        ocid,
        changes.pop("number", 2),
        changes.pop("date", "2025-03-20T10:00:00-05:00"),
        ("award",),
        awards=[
            {
                "id": "a1",
                "status": "active",
                "date": "2025-03-20T10:00:00-05:00",
                "value": {"amount": amount, "currency": "USD"},
                "suppliers": [{"id": supplier[0], "name": supplier[1]}],
            }
        ],
        **changes,
    )


def package(*releases) -> bytes:
    return json.dumps(
        {"uri": "x", "version": "1.1", "publishedDate": "2025-04-01T00:00:00Z", "releases": list(releases)}
    ).encode()


def do_import(government, raw, name="ocds.json", actor=None, now=None):
    with government_scope(government), translation.override("en"):
        return services.import_file(
            actor=actor, government=government, filename=name, raw=raw, now=now or timezone.now()
        )


def aware(*args):
    return timezone.make_aware(dt.datetime(*args))
