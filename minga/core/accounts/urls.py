from django.urls import path

from . import views

account_patterns = [
    path("cuenta/ingresar/", views.LoginView.as_view(), name="login"),
    path("cuenta/salir/", views.LogoutView.as_view(), name="logout"),
    path("cuenta/", views.profile, name="profile"),
    path("cuenta/verificacion/", views.otp_verify, name="otp_verify"),
    path("cuenta/doble-factor/", views.otp_setup, name="otp_setup"),
]
