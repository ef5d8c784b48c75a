"""Back-office screens where officials manage their own API tokens for this government:
list, create (the full token is shown once, on the response to the creation) and revoke."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ..access import requires
from ..permissions import has_write_role
from .forms import TokenCreateForm
from .selectors import own_token, token_status, tokens_of
from .services import token_create as create_token
from .services import token_revoke as revoke_token

PERMISSION = "core.manage_own_tokens"


@requires(PERMISSION)
def token_list(request):
    now = timezone.now()
    tokens = list(tokens_of(user=request.user, government=request.government))
    writes = has_write_role(request.user, request.government)
    for token in tokens:
        token.status = token_status(token, now=now)
        # A token issued before its owner passed two-factor does not act for a write role.
        token.needs_replacing = writes and token.status == "active" and not token.second_factor
    return render(request, "core/api/tokens.html", {"tokens": tokens, "form": TokenCreateForm()})


@requires(PERMISSION)
@require_http_methods(["GET", "POST"])
@never_cache
def token_create(request):
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        issued = create_token(
            actor=request.user,
            government=request.government,
            name=form.cleaned_data["name"],
            expires_at=form.expires_at(),
            second_factor=request.user.is_verified(),
        )
        # Shown on this response only: the secret is not stored and cannot be shown again.
        return render(request, "core/api/token_created.html", {"token": issued.token, "key": issued.key})
    return render(request, "core/api/token_create.html", {"form": form})


@requires(PERMISSION)
@require_POST
def token_revoke(request, token_id):
    token = own_token(user=request.user, government=request.government, token_id=token_id)
    if token is None:
        raise Http404
    revoke_token(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("core:api_tokens")
