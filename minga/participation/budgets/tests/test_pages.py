"""The budgets' pages through HTTP: the ballot form (choices kept on an error), the
confirmation, the results explained with the .pb download that pabutools recomputes, XSS
escaped, tenancy and the role × URL matrix."""

from __future__ import annotations

import pytest
from django.utils import timezone

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import (
    assert_foreign_government_404,
    assert_role_matrix,
    gov_url,
    login_verified,
    make_cedula,
    make_official,
)

from .. import paper, tallying, voting
from . import helpers

pytestmark = pytest.mark.django_db
XSS = '<script>alert("x")</script>'


@pytest.fixture
def setup(government):
    process = helpers.voting_process(government)
    budget = helpers.budget(government, process, ballot_kind="knapsack")
    return process, budget


def _url(government, name, process, budget=None, **kwargs):
    if budget is not None:
        kwargs["budget"] = budget.slug
    return gov_url(government, f"participation:{name}", slug=process.slug, **kwargs)


def test_vote_through_the_form(client, government, setup):
    process, budget = setup
    user, _n = helpers.voter()
    login_verified(client, user)
    page = client.get(_url(government, "budget_detail", process, budget))
    assert page.status_code == 200 and 'name="proyecto"' in page.content.decode()
    ids = [p.tally_id for p in helpers.projects(government, budget)]
    # over the budget: refused, the choices kept
    refused = client.post(_url(government, "budget_detail", process, budget), {"proyecto": [ids[1], ids[2]]})
    html = refused.content.decode()
    assert refused.status_code == 400
    assert (
        f'value="{ids[1]}" data-cost="200" checked' in html and f'value="{ids[0]}" data-cost="100" checked' not in html
    )
    done = client.post(_url(government, "budget_detail", process, budget), {"proyecto": [ids[0], ids[2]]}, follow=True)
    assert "Proyecto 1" in done.content.decode()
    assert done.redirect_chain[0][0] == _url(government, "budget_vote_done", process, budget)
    again = client.get(_url(government, "budget_detail", process, budget))
    assert 'id="already-voted"' in again.content.decode()


def test_titles_are_escaped(client, government):
    process = helpers.voting_process(government)
    budget = helpers.budget(government, process, title=f"Barrio {XSS}")
    with government_scope(government):
        project = helpers.projects(government, budget)[0]
        project.title = f"Parque {XSS}"
        project.save()
    for url in (
        _url(government, "budget_list", process),
        _url(government, "budget_detail", process, budget),
        _url(government, "budget_project", process, project=project.slug),
        gov_url(government, "participation:process_detail", slug=process.slug),
    ):
        html = client.get(url).content.decode()
        assert XSS not in html and "&lt;script&gt;" in html, url


def test_results_page_and_pabulib_recomputed_by_pabutools(client, government):
    from pabutools.election.pabulib import parse_pabulib_from_string

    from ..tally import rule_from_meta
    from ..tally.reference import recompute

    process = helpers.voting_process(government)
    budget = helpers.budget(government, process, projects=(100, 150, 200, 250), amount=450)
    official = make_official(government, "editor", "participation")
    with government_scope(government):
        ids = [p.tally_id for p in helpers.projects(government, budget)]
        for chosen in ([0, 1], [0], [2, 3], [3], [1, 2], [0, 3]):
            user, _n = helpers.voter()
            voting.vote_cast(user=user, government=government, budget=budget, choices={ids[i]: 1 for i in chosen})
        batch = paper.batch_enter(
            actor=official,
            government=government,
            budget=budget,
            place="Escuela",
            voted_on=timezone.localdate(),
            text=f"{make_cedula(901)}; 2, 3",
        )
        paper.batch_confirm(actor=official, government=government, batch=batch)
        later = timezone.now() + helpers.DAY * 6
        result = tallying.budget_tally(actor=official, government=government, budget=budget, now=later)
    assert client.get(_url(government, "budget_results", process, budget)).status_code == 200
    assert client.get(_url(government, "budget_pabulib", process, budget)).status_code == 404  # not published
    with government_scope(government):
        tallying.result_publish(actor=official, government=government, budget=budget, now=later)
    page = client.get(_url(government, "budget_results", process, budget)).content.decode()
    assert "Método de Igual Participación" in page or "Igual" in page or "Equal Shares" in page
    assert "pb-won" in page and "pb-lost" in page
    download = client.get(_url(government, "budget_pabulib", process, budget))
    text = download.content.decode()
    assert download.status_code == 200 and "voting_method" in text
    instance, profile = parse_pabulib_from_string(text)
    assert recompute(instance, profile, rule_from_meta(instance.meta)) == set(result.outcome["selected"])
    assert result.online_voters == 6 and result.paper_voters == 1
    api = client.get(gov_url(government, "participation-api:budget", slug=process.slug, budget=budget.slug)).json()
    assert api["result"]["selected"] == result.outcome["selected"] and len(api["projects"]) == 4
    assert "voter_hash" not in str(api)
    from ..opendata import ballot_rows, outcome_rows, project_rows

    with government_scope(government):
        assert len(ballot_rows(government)) == 7
        assert {row[1] for row in ballot_rows(government)} == {"online", "paper"}
        assert len(project_rows(government)) == 4 and outcome_rows(government)[0][6:8] == (6, 1)


def test_foreign_budget_404(client, government, other_government, setup):
    process, budget = setup
    project = helpers.projects(government, budget)[0]
    urls = [
        _url(government, "budget_list", process),
        _url(government, "budget_detail", process, budget),
        _url(government, "budget_results", process, budget),
        _url(government, "budget_project", process, project=project.slug),
        gov_url(government, "participation-api:budgets", slug=process.slug),
        gov_url(government, "participation-api:budget", slug=process.slug, budget=budget.slug),
    ]
    assert_foreign_government_404(client, other_government, urls, government)
    login_verified(client, make_official(other_government, "admin"))
    office = [
        gov_url(government, "participation:office_budget", pk=budget.pk),
        gov_url(government, "participation:office_budget_edit", pk=budget.pk),
        gov_url(government, "participation:office_project_edit", project=project.pk),
    ]
    assert_foreign_government_404(client, other_government, office, government)


def test_role_matrix(client, government, other_government, setup):
    process, budget = setup
    project = helpers.projects(government, budget)[0]
    official = make_official(government, "editor", "participation")
    with government_scope(government):
        batch = paper.batch_enter(
            actor=official,
            government=government,
            budget=budget,
            place="Escuela",
            voted_on=timezone.localdate(),
            text=f"{make_cedula(902)}; 1",
        )
    assert_role_matrix(
        client,
        government,
        other_government,
        "participation",
        other_module="works",
        public=[
            _url(government, "budget_list", process),
            _url(government, "budget_detail", process, budget),
            _url(government, "budget_results", process, budget),
            _url(government, "budget_project", process, project=project.slug),
            gov_url(government, "participation-api:budgets", slug=process.slug),
            gov_url(government, "participation-api:budget", slug=process.slug, budget=budget.slug),
        ],
        viewer=[
            gov_url(government, "participation:office_budgets"),
            gov_url(government, "participation:office_budget", pk=budget.pk),
            gov_url(government, "participation:office_batch", batch=batch.pk),
        ],
        editor=[
            gov_url(government, "participation:office_budget_create"),
            gov_url(government, "participation:office_budget_edit", pk=budget.pk),
            gov_url(government, "participation:office_project_create", pk=budget.pk),
            gov_url(government, "participation:office_project_edit", project=project.pk),
            gov_url(government, "participation:office_batch_enter", pk=budget.pk),
            gov_url(government, "participation:office_override", pk=budget.pk),
        ],
        editor_posts=[
            gov_url(government, "participation:office_budget_delete", pk=budget.pk),
            gov_url(government, "participation:office_project_delete", project=project.pk),
            gov_url(government, "participation:office_batch_confirm", batch=batch.pk),
            gov_url(government, "participation:office_batch_discard", batch=batch.pk),
            gov_url(government, "participation:office_budget_tally", pk=budget.pk),
            gov_url(government, "participation:office_result_publish", pk=budget.pk),
        ],
    )
    batch.refresh_from_db()
    assert batch.status == "review"  # refused POSTs changed nothing


def test_paper_batch_form_keeps_input_and_reports(client, government, setup):
    process, budget = setup
    login_verified(client, make_official(government, "editor", "participation"))
    url = gov_url(government, "participation:office_batch_enter", pk=budget.pk)
    response = client.post(
        url, {"place": "Casa comunal", "voted_on": timezone.localdate().isoformat(), "ballots": "123; 1"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "Casa comunal" in html and "123; 1" in html and 'id="batch-problems"' in html


def test_every_budgets_url_is_in_a_test(government, setup):
    """Each route of the sub-package is opened by the matrix or a page test above."""
    from .. import urls
    from ..api import urls as api_urls

    named = {pattern.name for pattern in urls.urlpatterns + api_urls.urlpatterns}
    from pathlib import Path

    source = Path(__file__).read_text(encoding="utf-8")
    assert all(f'"{name}"' in source or f':{name}"' in source for name in named), named


def test_backlinks_from_proposals_and_a_linked_work(client, government, setup):
    from minga.core import registry

    from .. import services

    process, budget = setup
    project = helpers.projects(government, budget)[0]
    with government_scope(government):
        services.project_update(
            actor=None,
            government=government,
            project=project,
            links={"participation.proposal": ["propuesta-17"], "works.project": ["puente-x"]},
        )
    found = registry.find_backlinks(government, "participation.proposal", "propuesta-17")
    assert [r.key for r in found] == [project.slug]
    assert (
        registry.resolve_links(government, "participation.project", [project.slug])[project.slug].title == "Proyecto 1"
    )
    page = client.get(_url(government, "budget_project", process, project=project.slug)).content.decode()
    assert "puente-x" in page  # a work key the works module does not publish is shown as such


def test_cumulative_ballot_keeps_points_on_error(client, government):
    process = helpers.voting_process(government)
    budget = helpers.budget(government, process, ballot_kind="cumulative", total_points=10, max_points=6)
    user, _n = helpers.voter()
    login_verified(client, user)
    ids = [p.tally_id for p in helpers.projects(government, budget)]
    url = _url(government, "budget_detail", process, budget)
    refused = client.post(url, {f"puntos-{ids[0]}": "7", f"puntos-{ids[1]}": "2"})
    html = refused.content.decode()
    assert refused.status_code == 400 and f'name="puntos-{ids[0]}" value="7"' in html and "6" in html
    assert client.post(url, {f"puntos-{ids[0]}": "6", f"puntos-{ids[1]}": "4"}).status_code == 302
    with government_scope(government):
        from ..models import Ballot

        assert sorted(Ballot.objects.get().points.values()) == [4, 6]


def test_project_meta_separators_stand_between_present_items(client, government):
    """The "·" before "Financiado" was glued to the cost in the flex line, dangling on its own."""
    _official, budget = helpers.counted(government, publish=True)
    project = helpers.projects(government, budget)[0]
    html = client.get(_url(government, "budget_project", budget.process, project=project.slug)).content.decode()
    meta = html[html.index('<p class="process-meta">') :]
    meta = meta[: meta.index("</p>")]
    assert meta.count('<span class="meta-sep" aria-hidden="true">·</span>') == 1
    assert meta.count("·") == 1 and "Financiado" in meta
