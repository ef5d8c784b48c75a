from django.urls import path

from . import views

urlpatterns = [
    path("actos/<slug:slug>/articulos/<slug:ref>/", views.article_detail, name="article"),
    path("gestion/actos/<int:pk>/comentarios/", views.office_summary, name="office_article_comments"),
    path("gestion/actos/<int:pk>/comentarios.csv", views.office_summary_csv, name="office_article_comments_csv"),
    path("gestion/actos/<int:pk>/comentarios/ajustes/", views.office_setting, name="office_article_setting"),
    path(
        "gestion/actos/<int:pk>/comentarios/articulos/<int:unit_pk>/respuesta/",
        views.office_answer,
        name="office_article_answer",
    ),
    path(
        "gestion/actos/<int:pk>/comentarios/<int:comment_pk>/considerado/",
        views.office_considered,
        name="office_article_considered",
    ),
]
