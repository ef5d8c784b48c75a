"""Identity verification through its pages: the person's “Verify my identity”, the census roll
and the desk in the back office, who may open what, another government's records (404), the
audit of every official action, and no cédula number anywhere it could be read back."""

import logging
import re

import pytest
from django.apps import apps
from django.core import mail, serializers
from django.core.files.uploadedfile import SimpleUploadedFile

from minga.core.audit.models import AuditEntry
from minga.core.testing import (
    UserFactory,
    assert_foreign_government_404,
    assert_role_matrix,
    gov_url,
    login_verified,
    make_cedula,
    make_official,
)
from minga.core.verification import selectors
from minga.core.verification.levels import Level
from minga.core.verification.models import CensusRoll, Identity, Verification

from .verification_support import NOW, live_roll_with, person_with_cedula, upload_roll

pytestmark = pytest.mark.django_db

A, B, C = (make_cedula(n) for n in (31, 32, 33))


@pytest.fixture
def desk_official(government):
    return make_official(government, "editor", "verification", email="ventanilla@example.org")


def _verification(government, number=A):
    person = person_with_cedula(number)
    identity = Identity.objects.get(user=person)
    return Verification.objects.create(government=government, identity=identity, level=Level.ASSISTED, created_at=NOW)


def test_who_may_open_which_page(client, government, other_government):
    roll = upload_roll(government, [A], header="cedula")
    verification = _verification(government)
    viewer = [
        gov_url(government, "core:verification_office"),
        gov_url(government, "core:census_rolls"),
        gov_url(government, "core:census_roll", pk=roll.pk),
        gov_url(government, "core:verification_people"),
    ]
    editor = [
        gov_url(government, "core:census_upload"),
        gov_url(government, "core:verification_desk"),
        gov_url(government, "core:verification_revoke", pk=verification.pk),
    ]
    posts = [
        gov_url(government, "core:census_publish", pk=roll.pk),
        gov_url(government, "core:census_discard", pk=roll.pk),
    ]
    assert_role_matrix(
        client,
        government,
        other_government,
        "verification",
        other_module="catalog",
        public=[],
        viewer=viewer,
        editor=editor,
        editor_posts=posts,
    )
    roll.refresh_from_db()
    assert roll.status == "ready"  # nobody without the role changed it


def test_the_lists_above_name_every_office_route():
    from minga.core.verification import urls

    names = {
        pattern.name for pattern in urls.verification_patterns if pattern.name.startswith(("census_", "verification_"))
    }
    assert names == {
        "verification_office",
        "census_rolls",
        "census_roll",
        "census_upload",
        "census_publish",
        "census_discard",
        "verification_desk",
        "verification_people",
        "verification_revoke",
    }


def test_another_governments_records_answer_404(client, government, other_government):
    roll = upload_roll(government, [A], header="cedula")
    verification = _verification(government)
    paths = [
        gov_url(government, "core:census_roll", pk=roll.pk),
        gov_url(government, "core:verification_revoke", pk=verification.pk),
    ]
    login_verified(client, make_official(other_government, "admin"))
    assert_foreign_government_404(client, other_government, paths, government)
    for name in ("core:census_publish", "core:census_discard"):
        assert client.post(gov_url(other_government, name, pk=roll.pk)).status_code == 404
    assert (
        client.post(
            gov_url(other_government, "core:verification_revoke", pk=verification.pk), {"reason": "x"}
        ).status_code
        == 404
    )
    roll.refresh_from_db()
    assert roll.status == "ready" and Verification.objects.get().revoked_at is None
    listing = client.get(gov_url(other_government, "core:verification_people")).content.decode()
    assert verification.identity.user.email not in listing
    assert roll.label not in client.get(gov_url(other_government, "core:census_rolls")).content.decode()


# The census roll in the back office -----------------------------------------------------------


def test_upload_report_and_publish_through_the_pages(
    client, government, desk_official, english, django_capture_on_commit_callbacks
):
    login_verified(client, desk_official)
    content = f"cedula;territorio;nombre\n{A};130150;Ana\n1710034064;130150;Typo\n{B};990150;Fuera\n".encode()
    upload = SimpleUploadedFile("padron.csv", content, content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(gov_url(government, "core:census_upload"), {"label": "CNE 2025", "file": upload})
    roll = CensusRoll.objects.for_government(government).get()
    assert response.status_code == 302 and response["Location"].endswith(f"/padron/{roll.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "Ready to publish" in page and "the last digit does not match" in page and "DPA code" in page
    assert A not in page and "1710034064" not in page
    refused = client.post(gov_url(government, "core:census_publish", pk=roll.pk))
    assert refused.status_code == 409 and "rows of the file are left out" in refused.content.decode()
    published = client.post(gov_url(government, "core:census_publish", pk=roll.pk), {"accept_left_out": "on"})
    assert published.status_code == 302
    roll.refresh_from_db()
    assert roll.status == "live" and roll.published_by == desk_official
    actions = list(AuditEntry.objects.filter(government=government).values_list("action", "actor"))
    assert ("core.census_roll.uploaded", desk_official.pk) in actions and (
        "core.census_roll.published",
        desk_official.pk,
    ) in actions


def test_an_unreadable_file_keeps_the_form(client, government, desk_official, english):
    login_verified(client, desk_official)
    upload = SimpleUploadedFile("x.csv", b"nombre\nAna\n", content_type="text/csv")
    response = client.post(gov_url(government, "core:census_upload"), {"label": "Mi padrón", "file": upload})
    assert response.status_code == 200 and "no cédula column" in response.content.decode()
    assert 'value="Mi padrón"' in response.content.decode()
    assert not CensusRoll.objects.for_government(government).exists()


# The desk -------------------------------------------------------------------------------------


def _desk(client, government, **fields):
    data = {"email": "", "cedula": "", "place": "Ventanilla 1", "territory_code": "", "note": "", **fields}
    return client.post(gov_url(government, "core:verification_desk"), data)


def test_a_desk_verifies_a_person_and_the_audit_says_who_where_when(client, government, desk_official, english):
    live_roll_with(government, [A], territory="130150")
    person = UserFactory(email="persona@example.org", email_verified_at=None)  # no confirmed e-mail needed
    login_verified(client, desk_official)
    response = _desk(client, government, email="persona@example.org", cedula=A, place="Ventanilla única, Portoviejo")
    assert response.status_code == 302 and "lugar=" in response["Location"]
    verification = Verification.objects.get()
    assert verification.level == Level.ASSISTED and verification.on_roll and verification.territory_code == "130150"
    assert verification.verified_by == desk_official and verification.identity.user == person
    assert selectors.level_of(person, government) == Level.ASSISTED
    entry = AuditEntry.objects.get(action="core.verification.desk")
    assert entry.actor == desk_official and entry.government == government and entry.created_at
    assert entry.changes["place"] == [None, "Ventanilla única, Portoviejo"] and entry.changes["account"] == [
        None,
        person.pk,
    ]
    assert A not in str(entry.changes) and A not in entry.object_repr
    follow = client.get(response["Location"]).content.decode()
    assert "Ventanilla única, Portoviejo" in follow  # the desk's name stays for the next person


def test_a_desk_needs_a_note_for_someone_not_on_the_roll(client, government, desk_official, english):
    live_roll_with(government, [A])
    UserFactory(email="nueva@example.org")
    login_verified(client, desk_official)
    response = _desk(client, government, email="nueva@example.org", cedula=B)
    page = response.content.decode()
    assert response.status_code == 200 and "not on the census roll" in page
    assert 'value="nueva@example.org"' in page  # the form keeps what was typed
    assert not Verification.objects.exists()
    response = _desk(
        client, government, email="nueva@example.org", cedula=B, note="Certificado de votación de Portoviejo"
    )
    assert response.status_code == 302
    assert Verification.objects.get().on_roll is False


def test_a_desk_refuses_a_cedula_held_by_another_account_unless_relinked(client, government, desk_official, english):
    squatter = person_with_cedula(A, email="suplantador@example.org")
    Verification.objects.create(
        government=government, identity=Identity.objects.get(user=squatter), level=Level.ASSISTED, created_at=NOW
    )
    owner = UserFactory(email="duena@example.org")
    login_verified(client, desk_official)
    response = _desk(client, government, email="duena@example.org", cedula=A)
    assert response.status_code == 200 and "linked to another account" in response.content.decode()
    assert "suplantador" not in response.content.decode()
    assert AuditEntry.objects.filter(action="core.identity.desk_conflict", actor=desk_official).exists()
    assert Identity.objects.get().user == squatter
    response = _desk(client, government, email="duena@example.org", cedula=A, relink="on")
    assert response.status_code == 302
    identity = Identity.objects.get()
    assert identity.user == owner
    assert selectors.level_of(squatter, government) == Level.EMAIL  # lost the cédula and its verification
    assert selectors.level_of(owner, government) == Level.ASSISTED
    entry = AuditEntry.objects.get(action="core.verification.desk")
    assert entry.changes["moved_from_account"] == [squatter.pk, owner.pk]


def test_a_desk_corrects_an_account_registered_with_a_wrong_number(client, government, desk_official):
    person = person_with_cedula(B, email="equivocada@example.org")
    login_verified(client, desk_official)
    assert _desk(client, government, email="equivocada@example.org", cedula=A).status_code == 200
    assert _desk(client, government, email="equivocada@example.org", cedula=A, relink="on").status_code == 302
    assert Identity.objects.get(user=person).cedula_hash != Identity.objects.get(user=None).cedula_hash


def test_revoking_is_audited_and_ends_the_level(client, government, desk_official, english):
    verification = _verification(government)
    person = verification.identity.user
    login_verified(client, desk_official)
    url = gov_url(government, "core:verification_revoke", pk=verification.pk)
    assert client.post(url, {"reason": ""}).status_code == 200
    response = client.post(url, {"reason": "Documento falso"})
    assert response.status_code == 302
    verification.refresh_from_db()
    assert verification.revoked_by == desk_official and verification.revoke_reason == "Documento falso"
    assert selectors.level_of(person, government) == Level.CEDULA
    entry = AuditEntry.objects.get(action="core.verification.revoked")
    assert entry.actor == desk_official and entry.changes["reason"] == [None, "Documento falso"]
    listing = client.get(gov_url(government, "core:verification_people") + "?state=revoked").content.decode()
    assert person.email in listing and "Documento falso" in listing


# The person's page ----------------------------------------------------------------------------


def test_a_person_verifies_step_by_step_and_returns_where_they_were(
    client, government, english, django_capture_on_commit_callbacks
):
    live_roll_with(government, [A], territory="130150")
    person = UserFactory()
    client.force_login(person)
    page_url = gov_url(government, "core:identity") + "?next=/g/manabi/participa/votar/"
    page = client.get(page_url).content.decode()
    assert "Register my cédula" in page and "Go back now" in page
    bad = client.post(page_url, {"cedula": "1710034064", "next": "/g/manabi/participa/votar/"})
    assert bad.status_code == 200 and "the last digit does not match" in bad.content.decode()
    registered = client.post(page_url, {"cedula": A, "next": "/g/manabi/participa/votar/"})
    assert registered.status_code == 302 and "next=" in registered["Location"]
    page = client.get(registered["Location"]).content.decode()
    assert "Send me a code" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(gov_url(government, "core:identity_census_send"), {"next": "/g/manabi/participa/votar/"})
    assert sent.status_code == 302
    code = re.search(r"\b(\d{6})\b", mail.outbox[0].body).group(1)
    confirm_url = gov_url(government, "core:identity_census_confirm")
    wrong = client.post(confirm_url, {"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 200 and "not the code we sent" in wrong.content.decode()
    done = client.post(confirm_url, {"code": code, "next": "/g/manabi/participa/votar/"})
    assert done.status_code == 302 and done["Location"] == "/g/manabi/participa/votar/"
    assert selectors.level_of(person, government) == Level.CENSUS
    page = client.get(gov_url(government, "core:identity")).content.decode()
    assert "Where you are verified" in page and "130150" in page


def test_the_page_is_for_signed_in_people_and_never_goes_off_site(client, government):
    url = gov_url(government, "core:identity")
    assert client.get(url).status_code == 302
    person = person_with_cedula(A)
    client.force_login(person)
    assert client.post(gov_url(government, "core:identity_census_send")).status_code == 409  # no roll
    response = client.get(url + "?next=https://example.com/")
    assert 'href="https://example.com/"' not in response.content.decode()  # no "go back" link off the site
    assert client.get("/cuenta/identidad/").status_code == 200  # on the platform too


def test_the_people_and_roles_page_offers_the_verification_role(client, government, english):
    admin = make_official(government, "admin")
    login_verified(client, admin)
    page = client.get(gov_url(government, "core:members")).content.decode()
    assert 'value="verification"' in page and "Identity verification" in page


# Privacy --------------------------------------------------------------------------------------


def test_no_cedula_number_is_stored_or_logged_anywhere(
    client, government, desk_official, caplog, django_capture_on_commit_callbacks
):
    """After every path a number can take (registration, a refused registration, a roll with a
    bad row, a census code, a desk with a relink), no table holds any of the numbers, and no
    log line either."""
    caplog.set_level(logging.DEBUG)
    live_roll_with(government, [A, B], territory="130150")
    upload_roll(government, [(C, "", ""), ("1710034064", "", "")])
    person = person_with_cedula(A)
    with pytest.raises(Exception):  # noqa: B017 (the refusal itself is tested elsewhere)
        person_with_cedula(A)
    login_verified(client, desk_official)
    UserFactory(email="mostrador@example.org")
    _desk(client, government, email="mostrador@example.org", cedula=B)
    _desk(client, government, email="mostrador@example.org", cedula=C, note="Planilla de luz")
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(gov_url(government, "core:identity_census_send"))
    numbers = [A, B, C, "1710034064"]
    dump = "".join(serializers.serialize("json", model._base_manager.all()) for model in apps.get_models())
    found = [number for number in numbers if number in dump or str(int(number)) in dump]
    assert not found, f"cédula numbers stored: {found}"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert not [number for number in numbers if number in logged]
