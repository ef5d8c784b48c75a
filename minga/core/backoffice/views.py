from django.shortcuts import render

from ..access import requires


@requires("core.view_backoffice")
def backoffice_home(request):
    return render(request, "core/base.html")
