"""The government urlconf plus a bare view that inserts one row through the same middleware,
the peer of the participatory-budget vote in bench/participation/votes.py."""

from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import include, path

from minga.core.access import public
from minga.urls_government import handler403, handler404, handler500  # noqa: F401


@public
def bare_insert(request):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_vote_peer (note) VALUES (%s)", [request.POST.get("n", "")])
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/insertar/", bare_insert, name="bench_insert"),
    path("", include("minga.urls_government")),
]
