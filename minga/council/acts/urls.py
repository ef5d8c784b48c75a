from django.urls import path

from .views import office, public

urlpatterns = [
    path("actos/", public.act_list, name="act_list"),
    path("actos/<slug:slug>/", public.act_detail, name="act_detail"),
    path("actos/<slug:slug>/cambios/", public.act_diff, name="act_diff"),
    path("gestion/actos/", office.act_list, name="office_acts"),
    path("gestion/actos/nuevo/", office.act_edit, name="office_act_create"),
    path("gestion/actos/<int:pk>/", office.act_manage, name="office_act"),
    path("gestion/actos/<int:pk>/editar/", office.act_edit, name="office_act_edit"),
    path("gestion/actos/<int:pk>/eliminar/", office.act_delete, name="office_act_delete"),
    path("gestion/actos/<int:pk>/versiones/nueva/", office.version_add, name="office_version_add"),
    path("gestion/actos/<int:pk>/acciones/", office.action_add, name="office_action_add"),
    path(
        "gestion/actos/<int:pk>/acciones/<int:action_pk>/eliminar/", office.action_delete, name="office_action_delete"
    ),
    path("gestion/actos/<int:pk>/documentos/", office.document_add, name="office_document_add"),
    path(
        "gestion/actos/<int:pk>/documentos/<int:document_pk>/eliminar/",
        office.document_delete,
        name="office_document_delete",
    ),
]
