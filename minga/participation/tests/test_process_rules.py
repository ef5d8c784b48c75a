"""The rules of participation on a process page read as a person would: a limit of 0 means
"no limit" (a bare 0 read as "you may support nothing"), and a setting left empty (the default
list of categories applies) is not listed with a blank value."""

from __future__ import annotations

import re

import pytest

from minga.core.testing import gov_url

from . import factories

pytestmark = pytest.mark.django_db


def _rules(html: str) -> dict[str, str]:
    block = re.search(r'<dl class="process-rules">(.*?)</dl>', html, re.S).group(1)
    return {k.strip(): v.strip() for k, v in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block, re.S)}


def test_zero_limits_read_as_no_limit_and_empty_settings_are_left_out(client, government):
    process = factories.process(government, settings={"support_threshold": 0, "proposals_per_person": 2})
    html = client.get(gov_url(government, "participation:process_detail", slug=process.slug)).content.decode()
    rules = _rules(html)
    assert rules["Apoyos que necesita una propuesta"] == "Sin umbral"
    assert rules["Apoyos por persona"] == "Sin límite"
    assert rules["Propuestas por persona"] == "2"
    assert all(value for value in rules.values()), rules
    assert "Categorías de propuestas" not in rules


def test_a_participatory_budget_leaves_the_ballot_to_its_budgets(client, government):
    budget = factories.process(government, slug="pp", settings={"max_votes_per_person": 3})
    consultation = factories.process(
        government, slug="consulta", kind="consultation", settings={"max_votes_per_person": 3}
    )
    for process, listed in ((budget, False), (consultation, True)):
        html = client.get(gov_url(government, "participation:process_detail", slug=process.slug)).content.decode()
        assert ("Votos por persona" in _rules(html)) is listed, process.kind
