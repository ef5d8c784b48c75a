"""Back office of the procedure's rules (concejo/gestion/etapas/): viewers see each stage's
effective rules (the level's defaults, or the government's own); editors change one stage's
rules or put it back to the defaults."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minga.core.access import requires
from minga.core.crud import submit

from ..apps import EDIT, VIEW_BACKOFFICE
from . import services
from .forms import StageRuleForm
from .models import StageRule
from .selectors import stages_for


@requires(VIEW_BACKOFFICE)
def stage_list(request):
    government = request.government
    own = set(StageRule.objects.filter(government=government).values_list("stage", flat=True))
    stages = stages_for(government)
    context = {
        "stages": [
            (stage, stages[stage.deadline_from].label if stage.deadline_from else "") for stage in stages.values()
        ],
        "own": own,
        "can_edit": request.user.has_perm(EDIT, government),
    }
    return render(request, "council/office/stage_list.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def stage_edit(request, stage):
    stages = stages_for(request.government)
    if stage not in stages:
        raise Http404
    current = stages[stage]
    initial = {
        "mandatory_for": list(current.mandatory_for),
        "deadline_days": current.deadline_days,
        "deadline_from": current.deadline_from,
        "legal_reference": current.legal_reference,
    }
    form = StageRuleForm(request.POST if request.method == "POST" else None, initial=initial)

    def save():
        return services.stage_rule_save(
            actor=request.user, government=request.government, stage=stage, **form.cleaned_data
        )

    if submit(form, save):
        messages.success(request, _("The rules of “%(stage)s” were saved.") % {"stage": current.label})
        return redirect("council:office_stages")
    return render(request, "council/office/form.html", {"form": form, "heading": current.label})


@requires(EDIT)
@require_POST
def stage_reset(request, stage):
    services.stage_rule_reset(actor=request.user, government=request.government, stage=stage)
    messages.success(request, _("The stage follows the defaults again."))
    return redirect("council:office_stages")
