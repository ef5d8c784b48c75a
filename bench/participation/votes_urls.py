"""The government urlconf plus two bare views that insert one row through the same middleware,
the peers of the participatory-budget vote in bench/participation/votes.py: one as the issue
names it, and one that also reads the signed-in person (the session and the user), which a
vote cannot do without."""

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


@public
def bare_insert_signed_in(request):
    if not request.user.is_authenticated:
        return HttpResponse("sign in", status=403, content_type="text/plain")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_vote_peer (note) VALUES (%s)", [str(request.user.pk)])
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/insertar/", bare_insert, name="bench_insert"),
    path("bench/insertar-con-sesion/", bare_insert_signed_in, name="bench_insert_signed_in"),
    path("", include("minga.urls_government")),
]
