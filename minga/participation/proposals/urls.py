from django.urls import path

from .views import office, public

# Included by participation/urls.py before the process pattern (<slug:slug>/).
urlpatterns = [
    path("gestion/propuestas/", office.proposal_list, name="office_proposals"),
    path("gestion/propuestas/<int:pk>/", office.proposal_detail, name="office_proposal"),
    path("gestion/propuestas/<int:pk>/evaluar/", office.proposal_evaluate, name="office_proposal_evaluate"),
    path("gestion/propuestas/<int:pk>/moderar/", office.proposal_moderate, name="office_proposal_moderate"),
    path("gestion/propuestas/<int:pk>/fusionar/", office.proposal_merge, name="office_proposal_merge"),
    path("<slug:slug>/propuestas/", public.proposal_list, name="proposal_list"),
    path("<slug:slug>/propuestas/mapa/", public.proposal_map, name="proposal_map"),
    path("<slug:slug>/propuestas/mapa.geojson", public.proposals_geojson, name="proposal_geojson"),
    path("<slug:slug>/propuestas/nueva/", public.proposal_create, name="proposal_create"),
    path("<slug:slug>/propuestas/<int:pk>/", public.proposal_detail, name="proposal_detail"),
    path("<slug:slug>/propuestas/<int:pk>/editar/", public.proposal_edit, name="proposal_edit"),
    path("<slug:slug>/propuestas/<int:pk>/retirar/", public.proposal_withdraw, name="proposal_withdraw"),
    path("<slug:slug>/propuestas/<int:pk>/apoyo/", public.proposal_support, name="proposal_support"),
]
