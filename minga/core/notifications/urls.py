from django.urls import path

from . import views

# Inside a government: following its records and the person's notices there.
notification_patterns = [
    path("seguir/<str:kind>/<int:pk>/", views.follow, name="follow"),
    path("notificaciones/", views.notification_list, name="notifications"),
    path("notificaciones/leidas/", views.notifications_read_all, name="notifications_read_all"),
    path("notificaciones/<int:pk>/", views.notification_open, name="notification_open"),
    path("notificaciones/<int:pk>/leida/", views.notification_read, name="notification_read"),
]

# On the platform and inside every government: the person's notice settings, and the signed
# one-click unsubscribe links of the e-mails.
preference_patterns = [
    path("cuenta/avisos/", views.preferences, name="notification_preferences"),
    path("cuenta/avisos/baja/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
