"""The vote's hot path: the confirmation travels in a signed cookie read once (no session
write, nothing in the URL), and the budget, process and projects remembered between requests
are read again as soon as an official changes them."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified

from ...processes import services as process_services
from ..views.public import RECEIPT_COOKIE
from . import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(government):
    process = helpers.voting_process(government)
    return process, helpers.budget(government, process, ballot_kind="approval")


def _urls(government, process, budget):
    kwargs = {"slug": process.slug, "budget": budget.slug}
    return (
        gov_url(government, "participation:budget_detail", **kwargs),
        gov_url(government, "participation:budget_vote_done", **kwargs),
    )


def test_the_receipt_is_a_cookie_of_the_confirmation_page_read_once(client, government, setup):
    process, budget = setup
    page, done = _urls(government, process, budget)
    user, _number = helpers.voter()
    login_verified(client, user)
    stored = Session.objects.get(session_key=client.session.session_key).session_data
    ids = [p.tally_id for p in helpers.projects(government, budget)]
    response = client.post(page, {"proyecto": [ids[1]]})
    assert response.status_code == 302 and response["Location"] == done
    cookie = response.cookies[RECEIPT_COOKIE]
    assert cookie["path"] == done and cookie["httponly"] and cookie["max-age"] == 600
    assert "?" not in response["Location"]  # what was voted is not in the URL
    assert Session.objects.get(session_key=client.session.session_key).session_data == stored
    shown = client.get(done)
    html = shown.content.decode()
    assert shown.status_code == 200 and "Proyecto 2" in html and "Proyecto 1" not in html
    assert shown["Cache-Control"] == "no-store" and shown.cookies[RECEIPT_COOKIE].value == ""
    again = client.get(done)  # read once: the cookie was deleted
    assert again.status_code == 302 and again["Location"] == page


def test_a_forged_or_foreign_receipt_is_ignored(client, government, setup):
    process, budget = setup
    other = helpers.budget(government, process, title="Parroquia Norte", slug="norte")
    page, done = _urls(government, process, budget)
    _other_page, other_done = _urls(government, process, other)
    user, _number = helpers.voter()
    login_verified(client, user)
    ids = [p.tally_id for p in helpers.projects(government, budget)]
    client.post(page, {"proyecto": [ids[0]]})
    forged = client.cookies[RECEIPT_COOKIE].value[:-2] + "xx"
    client.cookies[RECEIPT_COOKIE] = forged
    assert client.get(done).status_code == 302
    client.cookies[RECEIPT_COOKIE] = ""
    user2, _n = helpers.voter()
    login_verified(client, user2)
    client.post(page, {"proyecto": [ids[0]]})
    receipt = client.cookies[RECEIPT_COOKIE].value
    client.cookies[RECEIPT_COOKIE] = receipt
    client.cookies[RECEIPT_COOKIE]["path"] = other_done
    assert client.get(other_done).status_code == 302  # another budget's page does not take it


def test_an_officials_change_reaches_the_vote_at_once(client, government, setup, django_capture_on_commit_callbacks):
    process, budget = setup
    page, _done = _urls(government, process, budget)
    user, _number = helpers.voter()
    login_verified(client, user)
    ids = [p.tally_id for p in helpers.projects(government, budget)]
    assert client.get(page).status_code == 200  # budget, process and projects remembered
    assert client.post(page, {"proyecto": [ids[0]]}).status_code == 302
    with government_scope(government), django_capture_on_commit_callbacks(execute=True):
        process_services.process_update(actor=None, government=government, process=process, is_published=False)
    assert client.get(page).status_code == 404
    user2, _n = helpers.voter()
    login_verified(client, user2)
    assert client.post(page, {"proyecto": [ids[0]]}).status_code == 404
