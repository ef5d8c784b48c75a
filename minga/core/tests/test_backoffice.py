import csv
import io

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from minga.core.accounts.models import Membership, User
from minga.core.audit.models import AuditEntry
from minga.core.audit.services import record
from minga.core.audit.verification import verify_chains
from minga.core.tenancy.models import Government, GovernmentHost
from minga.core.testing import UserFactory, gov_url, login_verified, make_official

pytestmark = pytest.mark.django_db

ADMIN_ONLY = ["core:government_profile", "core:modules", "core:members", "core:audit_log", "core:audit_log_csv"]


@pytest.fixture
def admin(government):
    return make_official(government, "admin")


def test_role_matrix_for_core_back_office(client, government, other_government):
    people = {
        "citizen": (UserFactory(), {"core:backoffice": 403, **dict.fromkeys(ADMIN_ONLY, 403)}),
        "viewer": (
            make_official(government, "viewer", "institution"),
            {"core:backoffice": 200, **dict.fromkeys(ADMIN_ONLY, 403)},
        ),
        "editor": (
            make_official(government, "editor", "institution"),
            {"core:backoffice": 200, **dict.fromkeys(ADMIN_ONLY, 403)},
        ),
        "admin": (make_official(government, "admin"), {"core:backoffice": 200, **dict.fromkeys(ADMIN_ONLY, 200)}),
        "admin_of_other": (
            make_official(other_government, "admin"),
            {"core:backoffice": 403, **dict.fromkeys(ADMIN_ONLY, 403)},
        ),
    }
    for label, (user, expected) in people.items():
        client.logout()
        login_verified(client, user)
        for name, status in expected.items():
            response = client.get(gov_url(government, name))
            assert response.status_code == status, f"{label} {name}: {response.status_code}"
    client.logout()
    for name in ["core:backoffice", *ADMIN_ONLY]:
        response = client.get(gov_url(government, name))
        assert response.status_code == 302 and "/cuenta/ingresar/" in response["Location"]


def test_profile_edit_is_audited(client, government, admin):
    login_verified(client, admin)
    response = client.post(
        gov_url(government, "core:government_profile"),
        {
            "name": government.name,
            "short_name": "Manabí",
            "description": "Nueva descripción",
            "primary_colour": "#123456",
            "accent_colour": "#b4531a",
            "hosts_text": "portal.manabi.gob.ec",
        },
    )
    assert response.status_code == 302
    government.refresh_from_db()
    assert government.description == "Nueva descripción"
    # The host name is asked for: it serves nothing until the platform's operator approves it.
    assert list(GovernmentHost.objects.values_list("government", "host", "status")) == [
        (government.pk, "portal.manabi.gob.ec", "requested")
    ]
    entry = AuditEntry.objects.get(action="core.government.updated")
    assert entry.actor == admin and entry.changes["description"][1] == "Nueva descripción"


def test_low_contrast_colour_is_refused_and_input_kept(client, government, admin):
    login_verified(client, admin)
    response = client.post(
        gov_url(government, "core:government_profile"),
        {
            "name": government.name,
            "short_name": "Manabí",
            "description": "Texto que escribí",
            "primary_colour": "#ffff00",
            "accent_colour": "#b4531a",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Texto que escribí" in body and 'aria-invalid="true"' in body
    government.refresh_from_db()
    assert government.primary_colour != "#ffff00"


def test_module_switch_hides_module_and_is_audited(client, government, admin):
    login_verified(client, admin)
    url = gov_url(government, "institution:orgchart")
    assert client.get(url).status_code == 200
    client.post(gov_url(government, "core:module_switch", "institution"), {"enabled": "0"})
    assert client.get(url).status_code == 404
    assert AuditEntry.objects.filter(action="core.module.disabled").exists()
    client.post(gov_url(government, "core:module_switch", "institution"), {"enabled": "1"})
    assert client.get(url).status_code == 200


def test_grant_and_revoke_roles(client, government, admin):
    login_verified(client, admin)
    person = UserFactory(email="nueva@example.org")
    response = client.post(
        gov_url(government, "core:members"), {"email": "nueva@example.org", "role": "editor", "module": "institution"}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=person, government=government)
    assert membership.role == "editor" and membership.module == "institution"
    client.post(gov_url(government, "core:member_revoke", membership.pk))
    assert not Membership.objects.filter(user=person).exists()
    assert {"core.membership.granted", "core.membership.revoked"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )


def test_editor_role_needs_a_module_and_unknown_email_is_explained(client, government, admin):
    login_verified(client, admin)
    response = client.post(gov_url(government, "core:members"), {"email": "nadie@example.org", "role": "editor"})
    body = response.content.decode()
    assert response.status_code == 200 and "nadie@example.org" in body
    assert "module" in body.lower()


def test_membership_of_another_government_cannot_be_revoked(client, government, other_government, admin):
    foreign = make_official(other_government, "editor", "institution")
    membership = Membership.objects.get(user=foreign)
    login_verified(client, admin)
    assert client.post(gov_url(government, "core:member_revoke", membership.pk)).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_audit_log_page_filters_and_csv_neutralises_formulas(client, government, other_government, admin):
    record(actor=admin, government=government, action="institution.unit.created", changes={"name": [None, "=SUM(A1)"]})
    record(
        actor=admin, government=other_government, action="institution.unit.created", changes={"name": [None, "Ajeno"]}
    )
    login_verified(client, admin)
    page = client.get(gov_url(government, "core:audit_log"), {"action": "institution"})
    assert page.status_code == 200 and "institution.unit.created" in page.content.decode()
    assert "Ajeno" not in page.content.decode()
    response = client.get(gov_url(government, "core:audit_log_csv"))
    content = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][0] == "created_at"
    assert "Ajeno" not in content
    assert all(not cell.startswith("=") for row in rows for cell in row)
    assert verify_chains() == []


def test_platform_admin_creates_government_with_first_admin(client, db, django_capture_on_commit_callbacks):
    root = User.objects.create_superuser("root@example.org", "clave-larga-123")
    TOTPDevice.objects.create(user=root, name="root", confirmed=True)
    login_verified(client, root)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/plataforma/gobiernos/nuevo/",
            {
                "name": "Gobierno Provincial de Manabí",
                "short_name": "Manabí",
                "slug": "manabi",
                "level": "province",
                "dpa_code": "13",
                "description": "",
                "contact_email": "",
                "admin_email": "prefecta@example.org",
                "admin_name": "Prefecta",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    government = Government.objects.get(slug="manabi")
    admin = User.objects.get(email="prefecta@example.org")
    assert Membership.objects.filter(user=admin, government=government, role="admin").exists()
    assert len(mail.outbox) == 1 and "prefecta@example.org" in mail.outbox[0].to


def test_only_platform_admins_create_governments(client, government):
    login_verified(client, make_official(government, "admin"))
    assert client.get("/plataforma/gobiernos/nuevo/").status_code == 403


def test_back_office_menu_folds_into_a_button_on_phones_and_lists_the_same_entries(client, government, admin):
    """The officials' menu comes twice: folded in a <details> (shown on phones, so the screen
    is not pushed below a long list) and as the side list (wider screens); both hold the same
    entries, with the current screen marked."""
    from lxml import html

    login_verified(client, admin)
    page = html.fromstring(client.get(gov_url(government, "core:members")).content)
    folded = page.xpath('//nav[@class="office-nav"]/details[@class="office-menu"]')
    assert len(folded) == 1 and folded[0].get("open") is None
    assert folded[0].xpath("./summary")[0].text_content().strip() == "Menú de gestión"
    side = page.xpath('//nav[@class="office-nav"]/ul[@class="office-list"]')
    assert len(side) == 1

    def entries(menu):
        return [(a.get("href"), a.get("aria-current")) for a in menu.xpath(".//a")]

    assert entries(folded[0]) == entries(side[0])
    assert (gov_url(government, "core:members"), "page") in entries(side[0])
    assert len(entries(side[0])) > 5
