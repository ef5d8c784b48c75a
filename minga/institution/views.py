from django.shortcuts import render

from minga.core.access import public


@public
def orgchart(request):
    return render(request, "core/base.html")
