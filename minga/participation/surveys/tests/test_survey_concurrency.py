"""Fifty identical submissions of one person at the same moment: exactly one is accepted, the
others are told they already answered, and nothing of them is left half-saved. Real parallel
transactions need PostgreSQL (SQLite serialises writers)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import make_verified_person
from minga.core.verification.levels import Level

from .. import services
from ..models import Answer, Participation, Response
from .support import consultation, full_answers, now, survey_with_questions

SUBMISSIONS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_identical_votes_at_once_count_once(government):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers (PostgreSQL)")
    process = consultation(government, settings={"verification_vote": "cedula"})
    survey, q = survey_with_questions(government, process, mode="verified")
    person = make_verified_person(government, Level.CEDULA)
    raw = full_answers(q)
    barrier = threading.Barrier(SUBMISSIONS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def vote(n):
        try:
            with government_scope(government):
                barrier.wait()
                try:
                    services.response_submit(
                        government=government,
                        survey=survey,
                        user=person,
                        session_token=f"browser-{n}",
                        raw=raw,
                        now=now(),
                    )
                    outcome = "accepted"
                except services.AlreadyAnswered:
                    outcome = "already"
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(n,)) for n in range(SUBMISSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted"] + ["already"] * (SUBMISSIONS - 1)
    with government_scope(government):
        assert Participation.objects.filter(survey=survey).count() == 1
        assert Response.objects.filter(survey=survey).count() == 1
        assert Answer.objects.filter(response__survey=survey).count() == len(raw) - 1  # the empty optional text
