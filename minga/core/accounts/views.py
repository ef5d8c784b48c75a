from django.contrib.auth import views as auth_views
from django.shortcuts import render

from ..access import Guarded, public, requires
from ..permissions import OWN_ACCOUNT, PUBLIC


class LoginView(Guarded, auth_views.LoginView):
    permission_required = PUBLIC
    template_name = "core/accounts/login.html"


class LogoutView(Guarded, auth_views.LogoutView):
    permission_required = PUBLIC


@requires(OWN_ACCOUNT)
def profile(request):
    return render(request, "core/accounts/profile.html")


@public
def otp_verify(request):
    return render(request, "core/accounts/profile.html")


@public
def otp_setup(request):
    return render(request, "core/accounts/profile.html")
