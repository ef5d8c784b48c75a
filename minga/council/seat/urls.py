from django.urls import path

from .views import office, public

urlpatterns = [
    path("silla-vacia/", public.registry, name="chair_registry"),
    path("silla-vacia/que-es/", public.about, name="chair_about"),
    path("silla-vacia/mis-solicitudes/", public.mine, name="chair_mine"),
    path("silla-vacia/mis-solicitudes/<int:pk>/retirar/", public.withdraw, name="chair_withdraw"),
    path("sesiones/<slug:session>/puntos/<int:position>/silla-vacia/", public.request_form, name="chair_request"),
    path("gestion/silla-vacia/", office.request_list, name="office_chair_list"),
    path("gestion/silla-vacia/reglas/", office.rules_edit, name="office_chair_rules"),
    path("gestion/silla-vacia/<int:pk>/", office.request_detail, name="office_chair_request"),
    path("gestion/silla-vacia/<int:pk>/decidir/", office.decide, name="office_chair_decide"),
    path("gestion/silla-vacia/<int:pk>/documento/", office.document, name="office_chair_document"),
    path("gestion/silla-vacia/puntos/<int:item_pk>/", office.item_detail, name="office_chair_item"),
    path("gestion/silla-vacia/puntos/<int:item_pk>/consenso/", office.consensus, name="office_chair_consensus"),
    path("gestion/silla-vacia/votos/<int:event_pk>/", office.vote, name="office_chair_vote"),
]
