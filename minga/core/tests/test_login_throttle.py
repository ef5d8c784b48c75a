"""Sign-in throttling and account e-mail limits: parallel password guesses stop at the limit,
a lock holds per (account, client IP) with a growing delay so that a stranger cannot keep the
owner out, the owner's unlock link works once and expires, and password-reset e-mails are
limited per address and per client IP with the same answer every time."""

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail, signing
from django.db import connection
from django.test import Client, override_settings

from minga.core.accounts import throttle
from minga.core.testing import TEST_PASSWORD, UserFactory, gov_url

LINK = re.compile(r"https?://testserver(/\S+)")
OWNER = "autoridad@example.org"
ATTACKER = "10.66.66.66"


def login(url, email, password, address, client=None):
    client = client or Client(HTTP_ACCEPT_LANGUAGE="en")
    return client.post(url, {"email": email, "password": password}, REMOTE_ADDR=address)


def page(response, *volatile: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    for value in volatile:
        html = html.replace(value, "")
    return html


# Parallel guesses -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@override_settings(LOGIN_FAILURES_PER_ACCOUNT=5, LOGIN_FAILURES_PER_IP=1000)
def test_parallel_wrong_passwords_stop_at_the_limit(government, slow_cache_reads):
    UserFactory(email=OWNER)
    url = gov_url(government, "core:login")
    barrier = threading.Barrier(30)

    def guess(n):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        barrier.wait()
        try:
            return login(url, OWNER, f"mala-{n}", ATTACKER, client).status_code
        finally:
            connection.close()  # each thread's own connection, or the test database stays in use

    with ThreadPoolExecutor(max_workers=30) as pool:
        statuses = list(pool.map(guess, range(30)))
    assert statuses.count(200) == 5  # evaluated (wrong password)
    assert statuses.count(429) == 25  # refused before the password was checked


@override_settings(LOGIN_FAILURES_PER_ACCOUNT=5, LOGIN_FAILURES_PER_IP=1000)
def test_parallel_attempts_through_the_throttle_stop_at_the_limit(cache_backend, slow_cache_reads):
    barrier = threading.Barrier(30)

    def attempt(_):
        barrier.wait()
        started = throttle.begin(email=OWNER, ip=ATTACKER)
        if started.allowed:
            started.failed()
        return started.allowed

    with ThreadPoolExecutor(max_workers=30) as pool:
        assert sum(pool.map(attempt, range(30))) == 5
    assert not throttle.begin(email=OWNER, ip=ATTACKER).allowed
    assert throttle.begin(email=OWNER, ip="10.1.1.1").allowed  # the owner, elsewhere


# Locks per (account, client IP) ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
@override_settings(LOGIN_FAILURES_PER_ACCOUNT=5, LOGIN_FAILURES_PER_IP=100)
def test_a_stranger_locks_only_their_own_address_out(government):
    UserFactory(email=OWNER, preferred_language="en")
    url = gov_url(government, "core:login")
    for n in range(5):
        assert login(url, OWNER, f"mala-{n}", ATTACKER).status_code == 200
    refused = login(url, OWNER, TEST_PASSWORD, ATTACKER)  # even the right password, from there
    assert refused.status_code == 429
    assert "please wait 15 minutes" in refused.content.decode()
    owner = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert login(url, OWNER, TEST_PASSWORD, "10.1.1.1", owner).status_code == 302
    assert "_auth_user_id" in owner.session
    assert login(url, OWNER, TEST_PASSWORD, ATTACKER).status_code == 429  # still locked there


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
@override_settings(LOGIN_FAILURES_PER_ACCOUNT=3, LOGIN_FAILURES_PER_IP=100)
def test_locks_answer_the_same_for_unknown_addresses(government):
    UserFactory(email=OWNER)
    url = gov_url(government, "core:login")
    answers = {}
    for email in (OWNER, "nadie@example.org"):
        for _ in range(3):
            login(url, email, "mala", ATTACKER)
        answers[email] = login(url, email, TEST_PASSWORD, ATTACKER)
        assert answers[email].status_code == 429
    assert page(answers[OWNER], OWNER) == page(answers["nadie@example.org"], "nadie@example.org")


@pytest.mark.django_db
@override_settings(LOGIN_FAILURES_PER_ACCOUNT=5, LOGIN_FAILURES_PER_IP=1000, LOGIN_FAILURE_WINDOW_SECONDS=60)
def test_each_further_failure_doubles_the_lock():
    start = 1_000_000.0

    def attempt(at):
        return throttle.begin(email=OWNER, ip=ATTACKER, now=start + at)

    for _ in range(5):
        attempt(0).failed(now=start)
    assert not attempt(59).allowed
    first = attempt(61)  # the first lock (60 s) is over: one attempt may try
    assert first.allowed and not attempt(61).allowed  # and only one
    first.failed(now=start + 61)
    refused = attempt(62)
    assert not refused.allowed and refused.retry_after == 119  # locked for 120 s now
    second = attempt(182)
    assert second.allowed
    second.failed(now=start + 182)
    assert not attempt(182 + 239).allowed and attempt(182 + 241).allowed  # then 240 s


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
@override_settings(LOGIN_FAILURES_PER_ACCOUNT=100, LOGIN_FAILURES_PER_IP=3)
def test_each_client_ip_has_a_limit_over_all_accounts(government):
    UserFactory(email=OWNER)
    url = gov_url(government, "core:login")
    for n in range(3):
        login(url, f"intento{n}@example.org", "mala", ATTACKER)
    refused = login(url, OWNER, TEST_PASSWORD, ATTACKER)
    assert refused.status_code == 429 and "please wait" in refused.content.decode()
    assert login(url, OWNER, TEST_PASSWORD, "10.8.8.8").status_code == 302


@pytest.mark.django_db
@override_settings(LOGIN_FAILURES_PER_ACCOUNT=3, LOGIN_FAILURES_PER_IP=100)
def test_a_successful_sign_in_starts_the_count_again(government):
    UserFactory(email=OWNER)
    url = gov_url(government, "core:login")
    for _ in range(2):
        for _ in range(2):
            login(url, OWNER, "mala", ATTACKER)
        assert login(url, OWNER, TEST_PASSWORD, ATTACKER).status_code == 302


# The owner's unlock link -----------------------------------------------------------------------


def _lock_out(url, email=OWNER, address=ATTACKER):
    for n in range(3):
        login(url, email, f"mala-{n}", address)


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
@override_settings(LOGIN_FAILURES_PER_ACCOUNT=3, LOGIN_FAILURES_PER_IP=100)
def test_the_owner_gets_one_unlock_link_that_works_once(government):
    UserFactory(email=OWNER, preferred_language="en")
    url = gov_url(government, "core:login")
    _lock_out(url)
    _lock_out(url, address="10.5.5.5")  # another lock soon after: no second message
    _lock_out(url, email="nadie@example.org")  # no account: no message
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [OWNER]
    assert "locked" in mail.outbox[0].subject
    path = LINK.search(mail.outbox[0].body).group(1)
    assert path.startswith(f"/g/{government.slug}/cuenta/ingresar/desbloquear/")

    owner = Client(HTTP_ACCEPT_LANGUAGE="en")
    shown = owner.get(path)  # opening the link (or a mail scanner) changes nothing
    assert shown.status_code == 200 and "Unlock my account" in shown.content.decode()
    assert login(url, OWNER, TEST_PASSWORD, ATTACKER).status_code == 429
    assert owner.post(path)["Location"] == gov_url(government, "core:login")
    assert login(url, OWNER, TEST_PASSWORD, ATTACKER, owner).status_code == 302
    # The link works once.
    again = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert again.get(path).status_code == 400
    assert again.post(path).status_code == 400
    assert "not valid" in again.get(path).content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
@override_settings(LOGIN_FAILURES_PER_ACCOUNT=3, LOGIN_FAILURES_PER_IP=100, LOGIN_UNLOCK_MAX_AGE=3600)
def test_the_unlock_link_expires(government, monkeypatch):
    UserFactory(email=OWNER)
    url = gov_url(government, "core:login")
    _lock_out(url)
    path = LINK.search(mail.outbox[0].body).group(1)
    later = time.time() + 3601
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert Client().post(path).status_code == 400
    monkeypatch.undo()
    assert login(url, OWNER, TEST_PASSWORD, ATTACKER).status_code == 429


@pytest.mark.django_db
def test_a_tampered_unlock_link_is_refused(client, government):
    user = UserFactory(email=OWNER)
    forged = signing.dumps({"u": user.pk, "n": "adivinado"}, salt="minga.accounts.unlock-login")
    assert client.post(gov_url(government, "core:login_unlock", token=forged)).status_code == 400
    assert client.get(gov_url(government, "core:login_unlock", token="abc")).status_code == 400


# Password reset e-mails --------------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(ACCOUNT_MAILS_PER_ADDRESS=3, ACCOUNT_MAILS_PER_IP=100)
def test_password_reset_is_limited_per_address(government, monkeypatch):
    UserFactory(email=OWNER)
    url = gov_url(government, "core:password_reset")
    # Three an hour: ten requests spread over ten minutes (the one-a-minute spacing is tested
    # on its own below).
    clock = [time.time()]
    monkeypatch.setattr(throttle.ratelimit.time, "time", lambda: clock[0])
    monkeypatch.setattr(throttle, "ACCOUNT_MAIL_SPACING_SECONDS", 0)
    answers = set()
    for n in range(10):
        response = Client().post(url, {"email": OWNER}, REMOTE_ADDR=f"10.0.0.{n}")
        answers.add((response.status_code, response["Location"]))
        clock[0] += 61
    assert len(mail.outbox) == 3
    assert answers == {(302, gov_url(government, "core:password_reset_done"))}


@pytest.mark.django_db
def test_password_reset_sends_one_message_a_minute(government):
    UserFactory(email=OWNER)
    url = gov_url(government, "core:password_reset")
    for _ in range(10):
        Client().post(url, {"email": OWNER})
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@override_settings(ACCOUNT_MAILS_PER_ADDRESS=100, ACCOUNT_MAILS_PER_IP=3)
def test_password_reset_is_limited_per_client_ip_with_the_same_answer(government):
    emails = [f"persona{n}@example.org" for n in range(6)]
    for email in emails:
        UserFactory(email=email)
    url = gov_url(government, "core:password_reset")
    answers = [Client().post(url, {"email": email}, REMOTE_ADDR=ATTACKER, follow=True) for email in emails]
    assert len(mail.outbox) == 3
    unknown = Client().post(url, {"email": "nadie@example.org"}, REMOTE_ADDR="10.3.3.3", follow=True)
    assert {a.redirect_chain[-1] for a in [*answers, unknown]} == {
        (gov_url(government, "core:password_reset_done"), 302)
    }
    assert page(answers[0]) == page(answers[-1]) == page(unknown)
    # Another client still gets its message.
    Client().post(url, {"email": emails[-1]}, REMOTE_ADDR="10.4.4.4")
    assert len(mail.outbox) == 4
