"""Token authentication for officials: `Authorization: Token <prefix>.<secret>`.

A token belongs to one person in one government. It is refused (401, with a JSON message
saying why) when it is unknown, revoked or expired, when its person is no longer active or
no longer an official there, and when it is presented to another government than its own."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from ..permissions import roles_of
from .selectors import token_for_key
from .services import token_mark_used

KEYWORD = "Token"

MESSAGES = {
    "header": _("Invalid Authorization header. Use: Authorization: Token <prefix>.<secret>"),
    "malformed": _("Malformed token. A token looks like 0a1b2c3d4e.<secret>."),
    "unknown": _("Unknown token."),
    "revoked": _("This token was revoked."),
    "expired": _("This token has expired."),
    "inactive": _("The account that owns this token is inactive."),
    "foreign": _("This token belongs to another government and is not valid here."),
    "not_official": _("The owner of this token is no longer an official of this government."),
}


class GovernmentTokenAuthentication(BaseAuthentication):
    keyword = KEYWORD

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(MESSAGES["header"])
        try:
            key = parts[1].decode("ascii")
        except UnicodeError as error:
            raise AuthenticationFailed(MESSAGES["malformed"]) from error
        now = timezone.now()
        check = token_for_key(key, now=now)
        if check.problem:
            raise AuthenticationFailed(MESSAGES[check.problem], code=f"token_{check.problem}")
        token = check.token
        government = getattr(request, "government", None)
        if government is None or token.government_id != government.pk:
            raise AuthenticationFailed(MESSAGES["foreign"], code="token_foreign")
        if not roles_of(token.user, government):
            raise AuthenticationFailed(MESSAGES["not_official"], code="token_not_official")
        token_mark_used(token=token, now=now)
        return token.user, token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (with WWW-Authenticate) rather than 403 to anonymous requests.
        return f'{self.keyword} realm="api"'
