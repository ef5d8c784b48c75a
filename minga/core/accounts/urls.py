"""Account addresses, served both on the platform and inside each government."""

from django.urls import path

from . import views

account_patterns = [
    path("cuenta/", views.profile, name="profile"),
    path("cuenta/ingresar/", views.login_view, name="login"),
    path("cuenta/ingresar/codigo/", views.login_otp, name="login_otp"),
    path("cuenta/ingresar/desbloquear/<str:token>/", views.login_unlock, name="login_unlock"),
    path("cuenta/salir/", views.LogoutView.as_view(), name="logout"),
    path("cuenta/registro/", views.signup, name="signup"),
    path("cuenta/registro/revisa-tu-correo/", views.verification_sent, name="verification_sent"),
    path("cuenta/verificar/reenviar/", views.resend_verification, name="resend_verification"),
    path("cuenta/verificar/<str:token>/", views.verify_email, name="verify_email"),
    path("cuenta/verificacion/", views.otp_verify, name="otp_verify"),
    path("cuenta/doble-factor/", views.otp_setup, name="otp_setup"),
    path("cuenta/clave/", views.PasswordChangeView.as_view(), name="password_change"),
    path("cuenta/clave/olvido/", views.PasswordResetView.as_view(), name="password_reset"),
    path("cuenta/clave/olvido/enviado/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "cuenta/clave/restablecer/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("cuenta/clave/restablecida/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("cuenta/eliminar/", views.delete_account, name="delete_account"),
]
