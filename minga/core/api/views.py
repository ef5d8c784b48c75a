from django.shortcuts import render

from ..access import public


@public
def api_docs(request):
    return render(request, "core/base.html")
