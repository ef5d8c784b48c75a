from django.urls import path

from . import office, views

comment_patterns = [
    path("comentarios/<int:pk>/votar/", views.comment_vote, name="comment_vote"),
    path("comentarios/<int:pk>/denunciar/", views.comment_report, name="comment_report"),
    path("comentarios/<int:pk>/editar/", views.comment_edit, name="comment_edit"),
    path("comentarios/<int:pk>/eliminar/", views.comment_delete, name="comment_delete"),
    path("comentarios/<int:pk>/apelar/", views.comment_appeal, name="comment_appeal"),
    path("comentarios/<str:target>/<int:object_id>/", views.comment_thread, name="comment_thread"),
    path("comentarios/<str:target>/<int:object_id>/comentar/", views.comment_create, name="comment_create"),
    path("gestion/comentarios/", office.moderation_queue, name="comment_queue"),
    path("gestion/comentarios/ajustes/", office.comment_settings, name="comment_settings"),
    path("gestion/comentarios/<int:pk>/", office.moderation_detail, name="comment_moderation"),
]
