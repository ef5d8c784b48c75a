"""Registering a cédula: one cédula, one account, platform-wide (a database constraint, also
when two accounts try at the same moment), refused attempts audited and told to the holder,
and the levels and next steps a module's page shows."""

import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.template import Context, Template
from django.utils import translation

from minga.core import registry
from minga.core.accounts import services as accounts
from minga.core.audit.models import AuditEntry
from minga.core.registry import ModuleManifest, VerificationAction
from minga.core.testing import UserFactory, make_cedula, make_verified_person
from minga.core.verification import keys, selectors, services
from minga.core.verification.levels import Level, VerificationRequired
from minga.core.verification.models import Identity, Verification

from .verification_support import NOW, error_code, live_roll_with, person_with_cedula

pytestmark = pytest.mark.django_db

NUMBER = make_cedula(1)


def test_registering_links_the_hash_never_the_number():
    user = UserFactory()
    identity = services.identity_claim(user=user, number=f" {NUMBER[:5]}-{NUMBER[5:]} ", now=NOW)
    assert identity.user == user and identity.method == "online"
    assert identity.cedula_hash == keys.cedula_hash(NUMBER) and NUMBER not in identity.cedula_hash
    entry = AuditEntry.objects.get(action="core.identity.registered")
    assert entry.chain_key == "platform" and entry.object_id == str(user.pk)
    assert NUMBER not in str(entry.changes)
    assert selectors.level_of(user) == Level.CEDULA


def test_registering_needs_a_confirmed_email_and_a_valid_number():
    with pytest.raises(ValidationError) as refused:
        services.identity_claim(user=UserFactory(email_verified_at=None), number=NUMBER, now=NOW)
    assert error_code(refused.value) == "email"
    with pytest.raises(ValidationError) as refused:
        services.identity_claim(user=UserFactory(), number=NUMBER[:-1] + "0", now=NOW)
    assert "cedula" in refused.value.message_dict
    assert not Identity.objects.exists()


def test_registering_again_is_harmless_and_another_number_is_refused():
    user = person_with_cedula(NUMBER)
    assert services.identity_claim(user=user, number=NUMBER, now=NOW).user == user
    with pytest.raises(ValidationError) as refused:
        services.identity_claim(user=user, number=make_cedula(2), now=NOW)
    assert error_code(refused.value) == "other_cedula"
    assert Identity.objects.count() == 1


def test_a_second_account_is_refused_audited_and_the_holder_told():
    holder = person_with_cedula(NUMBER, email="titular@example.org")
    mail.outbox.clear()
    intruder = UserFactory(email="otra@example.org")
    with pytest.raises(ValidationError) as refused:
        services.identity_claim(user=intruder, number=NUMBER, now=NOW)
    assert error_code(refused.value) == "taken"
    assert "titular" not in " ".join(refused.value.messages)  # which account holds it stays secret
    assert Identity.objects.get().user == holder
    entry = AuditEntry.objects.get(action="core.identity.claim_refused")
    assert entry.actor == intruder and entry.object_id == str(intruder.pk) and NUMBER not in str(entry.changes)
    assert [message.to for message in mail.outbox] == [["titular@example.org"]]
    assert NUMBER not in mail.outbox[0].body
    with pytest.raises(ValidationError):  # told once a day at most
        services.identity_claim(user=UserFactory(), number=NUMBER, now=NOW)
    assert len(mail.outbox) == 1


def test_the_database_refuses_one_cedula_on_two_identities():
    person_with_cedula(NUMBER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Identity.objects.create(cedula_hash=keys.cedula_hash(NUMBER), method="online", created_at=NOW)


def test_the_database_refuses_two_identities_for_one_account():
    user = person_with_cedula(NUMBER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Identity.objects.create(
            cedula_hash=keys.cedula_hash(make_cedula(2)), user=user, method="online", created_at=NOW
        )


def test_the_constraint_decides_when_both_accounts_read_before_either_writes(monkeypatch):
    """The race, played in order: the second account's read happened before the first one's
    insert, so only the unique hash stops it."""
    first = person_with_cedula(NUMBER)
    monkeypatch.setattr(services, "_holder", lambda hashed: None)
    with pytest.raises(ValidationError) as refused:
        services.identity_claim(user=UserFactory(), number=NUMBER, now=NOW)
    assert error_code(refused.value) == "taken"
    assert Identity.objects.get().user == first
    # The same account sending the form twice at once is simply registered.
    monkeypatch.setattr(services, "_mine", lambda user: None)
    assert services.identity_claim(user=first, number=NUMBER, now=NOW).user == first


@pytest.mark.django_db(transaction=True)
def test_two_accounts_registering_one_cedula_at_once_get_one_identity():
    """Real concurrent transactions: exactly one account gets the cédula."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers (PostgreSQL); the ordered race above runs everywhere")
    people = [UserFactory() for _ in range(6)]
    barrier = threading.Barrier(len(people))
    outcomes = []

    def claim(user):
        try:
            barrier.wait()
            services.identity_claim(user=user, number=NUMBER, now=NOW)
            outcomes.append("linked")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["linked"] + ["taken"] * (len(people) - 1)
    assert Identity.objects.count() == 1
    assert AuditEntry.objects.filter(action="core.identity.claim_refused").count() == len(people) - 1


def test_trying_many_numbers_is_limited(settings):
    settings.CEDULA_CLAIMS_PER_HOUR = 2
    person_with_cedula(make_cedula(5))
    user = UserFactory()
    for _ in range(2):
        with pytest.raises(ValidationError):
            services.identity_claim(user=user, number=make_cedula(5), now=NOW)
    with pytest.raises(ValidationError) as refused:
        services.identity_claim(user=user, number=make_cedula(6), now=NOW)
    assert error_code(refused.value) == "throttled"


def test_deleting_the_account_lets_the_cedula_go_to_the_same_person(government):
    user = person_with_cedula(NUMBER)
    identity = Identity.objects.get()
    Verification.objects.create(government=government, identity=identity, level=Level.ASSISTED, created_at=NOW)
    accounts.account_delete(user=user, now=NOW)
    identity.refresh_from_db()
    assert identity.user is None
    assert not Verification.objects.active().exists()
    newcomer = person_with_cedula(NUMBER)
    # The same identity: what the person did before still counts once.
    assert Identity.objects.get().pk == identity.pk and Identity.objects.get().user == newcomer
    assert selectors.level_of(newcomer, government) == Level.CEDULA


# Levels and next steps -------------------------------------------------------------------------


def test_levels_climb_with_each_step(government):
    assert selectors.level_of(AnonymousUser(), government) == Level.NONE
    assert selectors.level_of(None, government) == Level.NONE
    unconfirmed = UserFactory(email_verified_at=None)
    assert selectors.level_of(unconfirmed, government) == Level.NONE
    confirmed = UserFactory()
    assert selectors.level_of(confirmed, government) == Level.EMAIL
    person = person_with_cedula(NUMBER)
    assert selectors.level_of(person, government) == Level.CEDULA
    live_roll_with(government, [NUMBER], territory="130150")
    identity = Identity.objects.get(user=person)
    Verification.objects.create(government=government, identity=identity, level=Level.CENSUS, created_at=NOW)
    assert selectors.level_of(person, government) == Level.CENSUS
    assert selectors.level_of(person, government, territory="1301") == Level.CENSUS
    assert selectors.level_of(person, government, territory="130250") == Level.CEDULA
    assert selectors.level_of(person) == Level.CEDULA  # no government: platform-wide levels only


def test_check_says_what_to_do_next(government):
    with translation.override("en"):
        found = selectors.check(AnonymousUser(), government, Level.EMAIL, action_label="vote", next_path="/votar/")
        assert not found and found.message == "To vote you need a confirmed e-mail address."
        assert found.next_url.endswith("?next=%2Fvotar%2F") and "ingresar" in found.next_url

        found = selectors.check(UserFactory(email_verified_at=None), government, Level.CEDULA)
        assert "Confirm your e-mail" in found.next_step

        found = selectors.check(UserFactory(), government, Level.CEDULA, next_path="/votar/")
        assert "Register your cédula" in found.next_step and "identidad" in found.next_url and "votar" in found.next_url

        person = person_with_cedula(NUMBER)
        found = selectors.check(person, government, Level.CENSUS)
        assert "has not published its census roll" in found.next_step
        live_roll_with(government, [NUMBER])
        found = selectors.check(person, government, Level.CENSUS)
        assert "we e-mail you a code" in found.next_step
        found = selectors.check(person, government, Level.ASSISTED)
        assert "desk" in found.next_step

        allowed = selectors.check(person, government, Level.CEDULA)
        assert allowed and allowed.identity_id == Identity.objects.get(user=person).pk and not allowed.message
    with translation.override("es"):
        found = selectors.check(UserFactory(), government, Level.CEDULA, action_label="votar")
        assert found.message == "Para votar necesita registrar su cédula."


def test_require_raises_a_permission_error_carrying_the_check(government):
    with pytest.raises(VerificationRequired) as refused:
        selectors.require(UserFactory(), government, Level.CENSUS, action_label="vote")
    assert isinstance(refused.value, PermissionDenied)
    assert refused.value.check.needed == Level.CENSUS and str(refused.value)
    person = person_with_cedula(NUMBER)
    assert selectors.require(person, government, "cedula").identity_id is not None


@pytest.fixture
def vote_action(monkeypatch):
    """A module declaring a vote that needs the census roll unless its process says otherwise."""
    action = VerificationAction("prueba.vote", "vote", default_level=Level.CENSUS, minimum_level=Level.CEDULA)
    fake = ModuleManifest(key="prueba", label="Prueba", actions=(action,))
    real = registry.manifests
    monkeypatch.setattr(registry, "manifests", lambda: [*real(), fake])
    monkeypatch.setattr(selectors, "manifests", lambda: [*real(), fake])
    return action


def test_actions_declared_in_manifests_carry_their_levels(vote_action, government):
    assert selectors.required_level("prueba.vote") == Level.CENSUS
    assert selectors.required_level("prueba.vote", Level.ASSISTED) == Level.ASSISTED
    assert selectors.required_level("prueba.vote", "email") == Level.CEDULA  # never below the minimum
    assert [value for value, _ in selectors.level_choices("prueba.vote")] == [20, 30, 40]
    person = person_with_cedula(NUMBER)
    assert not selectors.check_action(person, government, "prueba.vote")
    assert selectors.check_action(person, government, "prueba.vote", level=Level.CEDULA)
    with pytest.raises(VerificationRequired):
        selectors.require_action(person, government, "prueba.vote")
    with pytest.raises(ImproperlyConfigured):
        selectors.check_action(person, government, "prueba.nothing")


def test_the_template_tag_shows_the_notice_only_when_needed(vote_action, government, rf):
    template = Template(
        '{% load verification %}{% verification_action "prueba.vote" level=level as need %}'
        "{% if need %}FORM{% else %}{% verification_notice need %}{% endif %}"
    )
    request = rf.get("/g/manabi/votar/")
    request.government = government
    request.user = person_with_cedula(NUMBER)
    with translation.override("en"):
        page = template.render(Context({"request": request, "level": Level.CENSUS}))
        assert "To vote you need to be on the census roll" in page and "FORM" not in page
        assert "next=%2Fg%2Fmanabi%2Fvotar%2F" in page
        assert template.render(Context({"request": request, "level": Level.CEDULA})) == "FORM"


def test_the_testing_helper_makes_people_at_each_level(government):
    for level in Level:
        person = make_verified_person(government, level, territory="130150")
        assert selectors.level_of(person, government) == level
    assert (
        selectors.level_of(make_verified_person(government, Level.CENSUS), government, territory="1301") == Level.CEDULA
    )
