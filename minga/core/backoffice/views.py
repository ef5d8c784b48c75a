"""Back-office screens of core: overview, the government's profile and branding, module
switches and settings, and who works here (memberships). Module screens live in each module."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..access import requires
from ..accounts.models import Membership
from ..audit.selectors import audit_entries
from ..crud import apply_validation_error
from ..permissions import role_areas, roles_of
from ..registry import manifest as find_manifest
from ..registry import manifests, module_settings
from ..tenancy import services as tenancy_services
from .forms import GovernmentProfileForm, MembershipGrantForm, module_settings_form_class


@requires("core.view_backoffice")
def backoffice_home(request):
    government = request.government
    is_admin = request.user.has_perm("core.administer_government", government)
    context = {
        "my_roles": _role_labels(roles_of(request.user, government)),
        "modules": [(m, government.module_enabled(m.key)) for m in manifests()],
        "recent": audit_entries(government=government)[:10] if is_admin else [],
        "is_admin": is_admin,
    }
    return render(request, "core/backoffice/home.html", context)


def _role_labels(roles: dict[str, str]) -> list[tuple[str, str]]:
    """[(module label, role label)] for display; the government-wide role has no module."""
    modules = {key: str(label) for key, label in role_areas()}
    return [(modules.get(module, module), str(Membership.Role(role).label)) for module, role in sorted(roles.items())]


@requires("core.administer_government")
@require_http_methods(["GET", "POST"])
def government_profile(request):
    government = request.government
    form = GovernmentProfileForm(request.POST or None, request.FILES or None, instance=government)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        fields["hosts"] = form.cleaned_data["hosts_text"]
        if not request.FILES.get("logo") and not form.cleaned_data.get("logo"):
            fields.pop("logo")
        try:
            tenancy_services.government_update(actor=request.user, government=government, now=timezone.now(), **fields)
        except ValidationError as error:
            apply_validation_error(form, error, field_map={"hosts": "hosts_text"})
        else:
            messages.success(request, _("The government's profile was saved."))
            return redirect("core:government_profile")
    else:
        # Unsaved edits must not leak into the page shell (header, colours) of this request.
        government.refresh_from_db()
    return render(request, "core/backoffice/government_profile.html", {"form": form})


@requires("core.administer_government")
def module_list(request):
    government = request.government
    rows = [
        {"manifest": m, "enabled": government.module_enabled(m.key), "has_settings": bool(m.settings)}
        for m in manifests()
    ]
    return render(request, "core/backoffice/modules.html", {"rows": rows})


@requires("core.administer_government")
@require_POST
def module_switch(request, key):
    manifest = find_manifest(key)
    if manifest is None:
        raise Http404
    enabled = request.POST.get("enabled") == "1"
    if not enabled and not manifest.can_be_disabled:
        messages.error(request, _("This module cannot be switched off."))
        return redirect("core:modules")
    tenancy_services.government_set_module(
        actor=request.user, government=request.government, module=key, enabled=enabled
    )
    if enabled:
        messages.success(request, _("%(module)s is now on.") % {"module": manifest.label})
    else:
        messages.success(
            request, _("%(module)s is now off: its pages and API answer 404.") % {"module": manifest.label}
        )
    return redirect("core:modules")


@requires("core.administer_government")
@require_http_methods(["GET", "POST"])
def module_configure(request, key):
    manifest = find_manifest(key)
    if manifest is None or not manifest.settings:
        raise Http404
    form_class = module_settings_form_class(manifest)
    current = module_settings(request.government, key)
    form = form_class(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        tenancy_services.government_set_module_settings(
            actor=request.user, government=request.government, module=key, values=form.cleaned_data
        )
        messages.success(request, _("Settings saved."))
        return redirect("core:modules")
    return render(request, "core/backoffice/module_settings.html", {"form": form, "manifest": manifest})


@requires("core.administer_government")
@require_http_methods(["GET", "POST"])
def member_list(request):
    government = request.government
    form = MembershipGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
        if user is None:
            form.add_error("email", _("There is no active account with this e-mail. Ask the person to sign up first."))
        else:
            tenancy_services.membership_grant(
                actor=request.user,
                government=government,
                user=user,
                role=form.cleaned_data["role"],
                module=form.cleaned_data.get("module") or "",
            )
            messages.success(request, _("Role granted to %(email)s.") % {"email": user.email})
            return redirect("core:members")
    return render(request, "core/backoffice/members.html", _members_context(government, form))


def _members_context(government, form, *, refused=None, refusal: str = "") -> dict:
    memberships = Membership.objects.filter(government=government).select_related("user").order_by("user__email")
    labels = dict(role_areas())
    for membership in memberships:
        membership.module_label = labels.get(membership.module, membership.module)
    # A removal the membership service refused: its reason is shown on that row's form.
    return {"form": form, "memberships": memberships, "refused_pk": getattr(refused, "pk", None), "refusal": refusal}


@requires("core.administer_government")
@require_POST
def member_revoke(request, membership_id):
    government = request.government
    membership = get_object_or_404(Membership, pk=membership_id, government=government)
    try:
        tenancy_services.membership_revoke(actor=request.user, membership=membership)
    except ValidationError as error:
        context = _members_context(
            government, MembershipGrantForm(), refused=membership, refusal=" ".join(error.messages)
        )
        return render(request, "core/backoffice/members.html", context, status=409)
    messages.success(request, _("Role removed."))
    return redirect("core:members")
