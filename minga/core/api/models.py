"""API tokens for officials. A token belongs to one person in one government and is refused
anywhere else. Only a hash of the secret is stored."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..tenancy.models import Government


class ApiToken(models.Model):
    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+", verbose_name=_("government"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is used for."))
    prefix = models.CharField(max_length=12, unique=True, help_text=_("Public part, to recognise the token."))
    secret_hash = models.CharField(max_length=64, help_text=_("SHA-256 of the secret part."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True, help_text=_("Empty: never."))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    second_factor = models.BooleanField(
        _("issued after two-factor"),
        default=False,
        help_text=_(
            "Whether its owner had passed two-factor authentication when issuing it. Only such a token "
            "works for someone with a write role."
        ),
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
