"""Platform administration: the platform superadmin creates governments and their first
administrator."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..access import requires
from ..accounts.models import Membership
from .forms import GovernmentCreateForm
from .selectors import government_home_url, public_governments
from .services import government_create, membership_grant


@requires("core.administer_platform")
def government_list(request):
    governments = list(public_governments())
    for government in governments:
        government.home_url = government_home_url(government)
    return render(request, "core/tenancy/government_list.html", {"governments": governments})


@requires("core.administer_platform")
@require_http_methods(["GET", "POST"])
def government_new(request):
    form = GovernmentCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                government = government_create(
                    actor=request.user, **{name: data[name] for name in GovernmentCreateForm.Meta.fields}
                )
                admin, created = _first_admin(data["admin_email"], data.get("admin_name", ""))
                membership_grant(actor=request.user, government=government, user=admin, role=Membership.Role.ADMIN)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if created:
                transaction.on_commit(lambda: _send_invitation(request, admin, government))
            messages.success(
                request,
                _("%(name)s was created. Its administrator is %(email)s.")
                % {"name": government.name, "email": admin.email},
            )
            return redirect("core:platform_governments")
    return render(request, "core/tenancy/government_new.html", {"form": form})


def _first_admin(email: str, name: str):
    User = get_user_model()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        return existing, False
    user = User.objects.create_user(email=email, password=None, full_name=name)
    return user, True


def _send_invitation(request, user, government) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = request.build_absolute_uri(reverse("core:password_reset_confirm", args=[uid, token]))
    send_mail(
        _("You administer %(name)s on %(platform)s") % {"name": government.name, "platform": settings.PLATFORM_NAME},
        _(
            "You were named administrator of %(name)s. Choose your password here: %(link)s\n"
            "Then sign in and set up two-factor authentication."
        )
        % {"name": government.name, "link": link},
        None,
        [user.email],
    )
