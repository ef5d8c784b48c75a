"""Public pages of participatory budgets: a process's budgets, a budget with its projects and
the ballot (a plain form; with JavaScript a knapsack ballot shows the running total), the
confirmation, a project, the results explained, and the election's .pb file."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from minga.core.access import public
from minga.core.ui.page_cache import public_page
from minga.core.verification.levels import VerificationRequired

from .. import memos, selectors, voting
from ..models import BallotKind

# The confirmation page's receipt (the budget and the projects chosen) travels in a signed
# cookie of the voter's own browser, limited to that page and read once: a vote writes no
# session row, and what was voted never appears in a URL or a server log.
RECEIPT_COOKIE = "minga_voto"
RECEIPT_SALT = "participation.budgets.receipt"
RECEIPT_MAX_AGE = 600  # seconds


def _with_receipt(response, budget, receipt, done_url: str):
    chosen = sorted(str(pk) for pk in receipt.project_ids)
    value = signing.dumps({"b": budget.pk, "p": chosen}, salt=RECEIPT_SALT, compress=True)
    response.set_cookie(
        RECEIPT_COOKIE,
        value,
        max_age=RECEIPT_MAX_AGE,
        path=done_url,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _read_receipt(request, budget) -> list[str] | None:
    try:
        found = signing.loads(request.COOKIES.get(RECEIPT_COOKIE, ""), salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(found, dict) or found.get("b") != budget.pk:
        return None
    return [str(pk) for pk in found.get("p", [])]


def _process(request, slug):
    process = selectors.public_process(request.government, slug)
    if process is None:
        raise Http404
    return process


def _budget(request, slug, budget_slug):
    budget = selectors.public_budget_of(request.government, slug, budget_slug)
    if budget is None:
        raise Http404
    return budget.process, budget


@public_page
def budget_list(request, slug):
    process = _process(request, slug)
    now = timezone.now()
    budgets = selectors.public_budgets(request.government, process)
    context = {
        "process": process,
        "overview": selectors.overview(request.government, process, budgets, now),
    }
    return render(request, "participation/budgets/budget_list.html", context)


def _ballot_state(request, budget):
    """What the form posted: chosen ids and typed points, kept on an error."""
    if request.method != "POST":
        return set(), {}
    chosen = set(request.POST.getlist("proyecto"))
    points = {key[len("puntos-") :]: value for key, value in request.POST.items() if key.startswith("puntos-")}
    return chosen, points


@public
def budget_detail(request, slug, budget):
    government = request.government
    process, budget = _budget(request, slug, budget)
    now = timezone.now()
    errors: list[str] = []
    chosen, points = _ballot_state(request, budget)
    if request.method == "POST":
        try:
            choices = voting.parse_choices(budget, chosen, points)
            receipt = voting.vote_cast(
                user=request.user, government=government, budget=budget, choices=choices, now=now
            )
        except VerificationRequired as error:
            errors = [str(error)]
        except ValidationError as error:
            errors = list(error.messages)
        else:
            done_url = reverse("participation:budget_vote_done", kwargs={"slug": process.slug, "budget": budget.slug})
            return _with_receipt(redirect(done_url), budget, receipt, done_url)
    projects = selectors.projects_of(government, budget)
    is_open = voting.voting_open(budget, now)
    voted = request.user.is_authenticated and voting.has_voted(government, budget, request.user)
    context = {
        "process": process,
        "budget": budget,
        "projects": [
            {"project": p, "number": n, "chosen": p.tally_id in chosen, "points": points.get(p.tally_id, "")}
            for n, p in enumerate(projects, start=1)
        ],
        "errors": errors,
        "is_open": is_open,
        "voted": voted,
        "level": voting.vote_level(process),
        "action": voting.ACTION,
        "result": selectors.published_result(government, budget),
        "knapsack": budget.ballot_kind == BallotKind.KNAPSACK,
        "cumulative": budget.ballot_kind == BallotKind.CUMULATIVE,
        "per_voter": voting.budgets_per_voter(process),
    }
    return render(request, "participation/budgets/budget_detail.html", context, status=400 if errors else 200)


@public
def vote_done(request, slug, budget):
    process, budget = _budget(request, slug, budget)
    chosen = _read_receipt(request, budget)
    if chosen is None:
        return redirect("participation:budget_detail", slug=process.slug, budget=budget.slug)
    titles = [p.title for p in memos.projects(request.government, budget) if p.tally_id in chosen]
    response = render(
        request, "participation/budgets/vote_done.html", {"process": process, "budget": budget, "titles": titles}
    )
    response.delete_cookie(RECEIPT_COOKIE, path=request.path, samesite="Lax")
    response["Cache-Control"] = "no-store"
    return response


@public_page
def project_detail(request, slug, project):
    government = request.government
    process = _process(request, slug)
    found = selectors.public_project(government, process, project)
    if found is None:
        raise Http404
    result = selectors.published_result(government, found.budget)
    row = None
    if result is not None:
        view = selectors.result_view(government, found.budget, result, with_links=False)
        row = next((r for r in view.rows if r.project.pk == found.pk), None)
    context = {
        "process": process,
        "budget": found.budget,
        "project": found,
        "row": row,
        "links": selectors.links_of(government, found),
    }
    return render(request, "participation/budgets/project_detail.html", context)


@public_page
def results(request, slug, budget):
    government = request.government
    process, budget = _budget(request, slug, budget)
    result = selectors.published_result(government, budget)
    context = {
        "process": process,
        "budget": budget,
        "view": selectors.result_view(government, budget, result) if result is not None else None,
        "pabulib_url": reverse("participation:budget_pabulib", kwargs={"slug": process.slug, "budget": budget.slug}),
    }
    return render(request, "participation/budgets/results.html", context)


@public_page
def pabulib_file(request, slug, budget):
    process, budget = _budget(request, slug, budget)
    result = selectors.published_result(request.government, budget)
    if result is None:
        raise Http404
    response = HttpResponse(result.pabulib, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{process.slug}-{budget.slug}.pb"'
    return response
