"""Platform administration: the platform superadmin creates governments and their first
administrator, and approves the own host names governments ask for."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..access import requires
from ..crud import apply_validation_error
from ..mail import outbox_enabled, outbox_messages, outbox_path
from .forms import GovernmentCreateForm
from .models import GovernmentHost
from .selectors import government_home_url, host_names_for_review, pending_host_count, public_governments
from .services import government_create_with_admin, government_host_approve, government_host_reject


@requires("core.administer_platform")
def government_list(request):
    governments = list(public_governments())
    for government in governments:
        government.home_url = government_home_url(government)
    context = {"governments": governments, "pending_hosts": pending_host_count()}
    return render(request, "core/tenancy/government_list.html", context)


@requires("core.administer_platform")
@require_http_methods(["GET", "POST"])
def government_new(request):
    form = GovernmentCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            government, admin, created = government_create_with_admin(
                actor=request.user,
                admin_email=data["admin_email"],
                admin_name=data.get("admin_name", ""),
                **{name: data[name] for name in GovernmentCreateForm.Meta.fields},
            )
        except ValidationError as error:
            apply_validation_error(form, error)
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


@requires("core.administer_platform")
def host_list(request):
    rows = list(host_names_for_review())
    pending = [row for row in rows if not row.is_approved]
    approved = [row for row in rows if row.is_approved]
    return render(request, "core/tenancy/host_list.html", {"pending": pending, "approved": approved})


@requires("core.administer_platform")
@require_POST
def host_approve(request, host_id):
    host = get_object_or_404(GovernmentHost, pk=host_id)
    try:
        host = government_host_approve(actor=request.user, host=host, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "%(host)s now serves %(name)s. Add it to MINGA_ALLOWED_HOSTS and to the web server if it is not there yet."
            )
            % {"host": host.host, "name": host.government.name},
        )
    return redirect("core:platform_hosts")


@requires("core.administer_platform")
@require_POST
def host_reject(request, host_id):
    host = get_object_or_404(GovernmentHost, pk=host_id)
    government_host_reject(actor=request.user, host=host)
    messages.success(
        request, _("%(host)s no longer belongs to %(name)s.") % {"host": host.host, "name": host.government.name}
    )
    return redirect("core:platform_hosts")


@requires("core.administer_platform")
def outbox(request):
    """Development: the e-mails the platform would have sent, newest first (not in production,
    where they are sent)."""
    if not outbox_enabled():
        raise Http404
    return render(request, "core/tenancy/outbox.html", {"messages_sent": outbox_messages(), "path": outbox_path()})


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
