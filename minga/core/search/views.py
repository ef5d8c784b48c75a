from django.shortcuts import render

from ..access import public


@public
def search_page(request):
    return render(request, "core/base.html")
