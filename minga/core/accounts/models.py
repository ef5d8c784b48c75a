"""People. One account works across every government of the deployment; what an account may
do in a government comes from its memberships there (officials). Anyone else is a citizen."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..tenancy.models import Government


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("email_verified_at", timezone.now())
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail"), unique=True, help_text=_("Used to sign in and to receive notices."))
    full_name = models.CharField(_("full name"), max_length=150, blank=True, help_text=_("Name shown to others."))
    email_verified_at = models.DateTimeField(
        _("e-mail verified"), null=True, blank=True, help_text=_("When the person confirmed the address.")
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=5,
        default="es",
        choices=[("es", "Español"), ("en", "English")],
        help_text=_("Language of pages and e-mails."),
    )
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Inactive accounts cannot sign in."))
    is_staff = models.BooleanField(
        _("platform staff"), default=False, help_text=_("Platform operators; not needed for officials.")
    )
    anonymised_at = models.DateTimeField(
        _("anonymised"), null=True, blank=True, help_text=_("Set when the person deleted their account.")
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    def holds_write_role(self) -> bool:
        """True when the person is an administrator or editor in any government: such
        officials must keep two-factor authentication switched on."""
        return self.memberships.filter(role__in=[Membership.Role.ADMIN, Membership.Role.EDITOR]).exists()

    def must_use_two_factor(self) -> bool:
        """True for anyone who must keep two-factor authentication switched on: officials
        with a write role, and superusers and staff (every permission is theirs)."""
        return self.is_superuser or self.is_staff or self.holds_write_role()

    @property
    def public_name(self) -> str:
        if self.anonymised_at:
            return str(_("Deleted account"))
        return self.full_name or str(_("Citizen"))


class Membership(models.Model):
    """A role of an official in one government. `module` is blank for the government admin,
    who may do everything there; editors and viewers hold a role per module."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Government administrator")
        EDITOR = "editor", _("Editor")
        VIEWER = "viewer", _("Viewer")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    government = models.ForeignKey(
        Government, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("government")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, help_text=_("What the person may do."))
    module = models.CharField(
        _("module"),
        max_length=40,
        blank=True,
        help_text=_("Module the role applies to; blank for the government administrator."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "government", "module"], name="membership_unique_per_module"),
            models.CheckConstraint(
                condition=(models.Q(role="admin", module="") | (~models.Q(role="admin") & ~models.Q(module=""))),
                name="membership_admin_has_no_module",
            ),
        ]

    def __str__(self) -> str:
        where = self.module or "*"
        return f"{self.user} · {self.government.slug} · {where}:{self.role}"

    @property
    def can_write(self) -> bool:
        return self.role in (self.Role.ADMIN, self.Role.EDITOR)
