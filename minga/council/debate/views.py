"""Pages of comments on articles: the public page of one article (its text with the passages
citizens quoted marked, the committee's answer and the thread), and the back office's
summary per article for councillors (with its CSV), where editors set whether the act takes
comments, answer on each article and mark the comments taken into account."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from minga.core.access import requires
from minga.core.crud import submit
from minga.core.exports import csv_response
from minga.core.ui.page_cache import public_page

from ..acts import selectors as act_selectors
from ..acts.models import Act, Unit, Version
from ..apps import EDIT, VIEW_BACKOFFICE
from ..effectiveness.counting import ARTICLE, counted, visit
from ..members.selectors import council_of
from . import rules, selectors, services
from .forms import ArticleAnswerForm, DebateSettingForm
from .models import ArticleComment
from .target import unit_title
from .text import article_ref, marked_text


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _version(versions, number):
    return next((v for v in versions if v.number == _int(number)), versions[-1] if versions else None)


@counted
@public_page
def article_detail(request, slug, ref):
    government = request.government
    act = act_selectors.public_act(government, slug)
    if act is None:
        raise Http404
    versions = act_selectors.versions_of(act)
    version = _version(versions, request.GET.get("version"))
    unit = selectors.find_unit(version, ref) if version is not None else None
    if unit is None:
        raise Http404
    version.act = act
    unit.version = version
    latest = versions[-1]
    units = list(selectors.commentable_units(version).only("pk", "kind", "number", "position"))
    index = next(i for i, other in enumerate(units) if other.pk == unit.pk)
    quotes = selectors.quotes_of(unit)
    others = selectors.same_article(act, unit)
    context = {
        "council": council_of(government),
        "act": act,
        "version": version,
        "latest": latest,
        "is_latest": version.pk == latest.pk,
        "unit": unit,
        "title": unit_title(unit),
        "text": marked_text(unit.body, [(q.quote_start, q.quote_end) for q in quotes]),
        "quotes": quotes,
        "answer": selectors.answer_of(unit),
        "others": others,
        "in_latest": version.pk == latest.pk or any(other_version.pk == latest.pk for other_version, _u, _n in others),
        "ref": ref,
        "previous": units[index - 1] if index > 0 else None,
        "next": units[index + 1] if index + 1 < len(units) else None,
        "version_query": "" if version.pk == latest.pk else f"?version={version.number}",
        "closes_on": rules.closes_on(act),
        "reason": rules.closed_reason(act, timezone.localdate(), government),
    }
    for neighbour in (context["previous"], context["next"]):
        if neighbour is not None:
            neighbour.article_ref = article_ref(neighbour)
    return visit(render(request, "council/debate/article.html", context), ARTICLE, act)


# Back office ----------------------------------------------------------------------------------


def _act(request, pk) -> Act:
    return get_object_or_404(Act.objects.filter(government=request.government), pk=pk)


def _office_version(request, act) -> tuple[list[Version], Version | None]:
    versions = act_selectors.versions_of(act)
    return versions, _version(versions, request.GET.get("version"))


def _summary_context(request, act, *, setting_form=None) -> dict:
    versions, version = _office_version(request, act)
    rows = selectors.summary(version) if version is not None else []
    can_edit = request.user.has_perm(EDIT, request.government)
    setting = rules.setting_of(act)
    if can_edit:
        for row in rows:
            row.form = ArticleAnswerForm(
                initial={"body": row.answer.body if row.answer else ""}, auto_id=f"answer-{row.counts.unit.pk}-%s"
            )
    return {
        "act": act,
        "versions": versions,
        "version": version,
        "rows": rows,
        "totals": {
            "in_favour": sum(r.counts.in_favour for r in rows),
            "neutral": sum(r.counts.neutral for r in rows),
            "against": sum(r.counts.against for r in rows),
            "total": sum(r.counts.total for r in rows),
        },
        "reason": rules.closed_reason(act, timezone.localdate()),
        "setting": setting,
        "can_edit": can_edit,
        "setting_form": setting_form
        or DebateSettingForm(
            initial={"mode": setting.mode if setting else "auto", "closes_on": setting.closes_on if setting else None}
        ),
        "version_query": f"?version={version.number}" if version is not None else "",
    }


@requires(VIEW_BACKOFFICE)
def office_summary(request, pk):
    act = _act(request, pk)
    return render(request, "council/debate/office_summary.html", _summary_context(request, act))


@requires(VIEW_BACKOFFICE)
def office_summary_csv(request, pk):
    act = _act(request, pk)
    _versions, version = _office_version(request, act)
    rows = selectors.summary(version) if version is not None else []
    header = [
        _("Article"),
        _("Heading"),
        pgettext("comments shown", "In favour"),
        pgettext("comments shown", "Neutral"),
        pgettext("comments shown", "Against"),
        _("Comments"),
        _("Most supported comment"),
        _("Its votes for"),
        _("Quoted passages"),
        _("Official answers"),
        _("Taken into account"),
        _("Committee's answer"),
    ]
    lines = []
    for row in rows:
        best = row.top[0] if row.top else None
        lines.append(
            [
                unit_title(_with_act(row.counts.unit, act, version)),
                row.counts.unit.heading,
                row.counts.in_favour,
                row.counts.neutral,
                row.counts.against,
                row.counts.total,
                best.body if best else "",
                best.votes_up if best else "",
                " | ".join(q.quote for q in row.quotes),
                row.official_answers,
                row.considered,
                row.answer.body if row.answer else "",
            ]
        )
    number = version.number if version is not None else 0
    return csv_response(f"comentarios-{act.slug}-v{number}.csv", header, lines)


def _with_act(unit: Unit, act: Act, version: Version) -> Unit:
    version.act = act
    unit.version = version
    return unit


@requires(EDIT)
@require_POST
def office_setting(request, pk):
    act = _act(request, pk)
    form = DebateSettingForm(request.POST)

    def save():
        return services.setting_save(actor=request.user, government=request.government, act=act, **form.cleaned_data)

    if submit(form, save):
        messages.success(request, _("The comment settings of the act were saved."))
        return redirect("council:office_article_comments", pk=act.pk)
    context = _summary_context(request, act, setting_form=form)
    return render(request, "council/debate/office_summary.html", context, status=400)


@requires(EDIT)
@require_POST
def office_answer(request, pk, unit_pk):
    act = _act(request, pk)
    unit = get_object_or_404(
        Unit.objects.filter(government=request.government, version__act=act, kind__in=rules.COMMENTABLE), pk=unit_pk
    )
    form = ArticleAnswerForm(request.POST)
    address = reverse("council:office_article_comments", kwargs={"pk": act.pk}) + f"?version={unit.version.number}"

    def save():
        return services.answer_save(
            actor=request.user, government=request.government, unit=unit, body=form.cleaned_data["body"]
        )

    if submit(form, save):
        messages.success(request, _("The committee's answer was saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(address + f"#articulo-{unit.pk}")


@requires(EDIT)
@require_POST
def office_considered(request, pk, comment_pk):
    act = _act(request, pk)
    extra = get_object_or_404(
        ArticleComment.objects.filter(government=request.government, unit__version__act=act).select_related(
            "unit__version", "comment"
        ),
        comment_id=comment_pk,
    )
    considered = request.POST.get("considered") == "1"
    services.considered_set(actor=request.user, government=request.government, extra=extra, considered=considered)
    messages.success(
        request, _("Marked as taken into account.") if considered else _("No longer marked as taken into account.")
    )
    address = reverse("council:office_article_comments", kwargs={"pk": act.pk})
    return redirect(f"{address}?version={extra.unit.version.number}#articulo-{extra.unit_id}")
