"""The global search page of a government and the back-office list of searches that found
nothing. The page works as a plain GET form; a request sent by htmx (HX-Request header) gets
only the results fragment."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..access import public, requires
from ..ui.fragments import varies_on_fragment, wants_fragment
from .forms import SearchForm
from .selectors import DEMAND_WINDOW_DAYS, RESULTS_PER_GROUP, search, searchable_modules, zero_result_demand
from .text import MAX_QUERY_LENGTH, is_searchable

RESULTS_PER_PAGE = 20
MAX_PAGE = 50


def _page_number(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), MAX_PAGE)
    except ValueError:
        return 1


@public
@require_GET
def search_page(request):
    government = request.government
    modules = searchable_modules(government)
    form = SearchForm(
        {"q": request.GET.get("q", "")[:MAX_QUERY_LENGTH], "modulo": request.GET.get("modulo", "")},
        modules=modules,
    )
    form.is_valid()
    query = form.cleaned_data.get("q", "")
    module = form.cleaned_data.get("modulo", "")
    page = None
    if module:
        number = _page_number(request.GET.get("pagina"))
        results = search(
            government=government,
            query=query,
            modules=[module],
            limit_per_group=RESULTS_PER_PAGE,
            offset=(number - 1) * RESULTS_PER_PAGE,
            request=request,
        )
        if results:
            page = Paginator(range(results.groups[0].total), RESULTS_PER_PAGE).get_page(number)
    else:
        results = search(government=government, query=query, limit_per_group=RESULTS_PER_GROUP, request=request)
    context = {
        "form": form,
        "query": query,
        "module": module,
        "module_label": dict(modules).get(module, ""),
        "results": results,
        "page": page,
        "page_query": _without_page(request),
        "searchable": is_searchable(query),
    }
    template = "core/search/results.html" if wants_fragment(request) else "core/search/page.html"
    return varies_on_fragment(render(request, template, context))


def _without_page(request) -> str:
    query = request.GET.copy()
    query.pop("pagina", None)
    return query.urlencode()


@requires("core.administer_government")
@require_GET
def search_demand(request):
    today = timezone.localdate()
    return render(
        request,
        "core/search/demand.html",
        {"rows": zero_result_demand(government=request.government, today=today), "days": DEMAND_WINDOW_DAYS},
    )
