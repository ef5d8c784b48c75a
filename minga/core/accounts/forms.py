"""Account forms. All render with core/includes/form.html (errors tied to their field)."""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.mail import EmailMultiAlternatives
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ..forms import Form, MingaFormMixin, ModelForm
from .models import User

logger = logging.getLogger(__name__)


class EmailInput(forms.EmailInput):
    def __init__(self, autocomplete: str = "email"):
        super().__init__(attrs={"autocomplete": autocomplete, "spellcheck": "false", "autocapitalize": "none"})


def _password_field(label, autocomplete: str, help_text=""):
    return forms.CharField(
        label=label,
        strip=False,
        help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class SignupForm(Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        help_text=_("Shown with what you publish, for example your comments."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("You sign in with it; we send a link to confirm it."),
        widget=EmailInput(),
    )
    password1 = _password_field(_("Password"), "new-password", password_validation.password_validators_help_text_html())
    password2 = _password_field(_("Password again"), "new-password", _("Type the same password, to check it."))

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords are different."))
        elif password1:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254, widget=EmailInput("username"))
    password = _password_field(_("Password"), "current-password")

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class CodeForm(Form):
    code = forms.RegexField(
        label=_("Six-digit code"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        help_text=_("The code your authenticator app shows now."),
        error_messages={"invalid": _("Type the 6 digits, without spaces or letters.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*", "size": "8"}
        ),
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip()


class ResendVerificationForm(Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254, widget=EmailInput())

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class ProfileForm(ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "preferred_language"]
        labels = {"full_name": _("Full name"), "preferred_language": _("Language")}
        help_texts = {
            "full_name": _("Shown with what you publish, for example your comments."),
            "preferred_language": _("Language of pages and e-mails after you sign in."),
        }
        widgets = {"full_name": forms.TextInput(attrs={"autocomplete": "name"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True


class DeleteAccountForm(Form):
    password = _password_field(_("Your password"), "current-password", _("To confirm that it is you."))

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."), code="password_incorrect")
        return password


class PasswordResetForm(MingaFormMixin, auth_forms.PasswordResetForm):
    email = forms.EmailField(label=_("E-mail address"), max_length=254, widget=EmailInput())

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        # Written in the language of the person it goes to.
        user = context["user"]
        context = {**context, "platform_name": settings.PLATFORM_NAME}
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = loader.render_to_string(subject_template_name, context)
            body = loader.render_to_string(email_template_name, context)
        try:
            EmailMultiAlternatives(" ".join(subject.split()), body, None, [user.email]).send()
        except Exception:  # the page must look the same whether or not a message was sent
            logger.exception("Failed to send the password reset e-mail to account %s", user.pk)


class SetPasswordForm(MingaFormMixin, auth_forms.SetPasswordForm):
    new_password1 = _password_field(
        _("New password"), "new-password", password_validation.password_validators_help_text_html()
    )
    new_password2 = _password_field(_("New password again"), "new-password", _("Type the same password, to check it."))


class PasswordChangeForm(MingaFormMixin, auth_forms.PasswordChangeForm):
    old_password = _password_field(_("Current password"), "current-password")
    new_password1 = _password_field(
        _("New password"), "new-password", password_validation.password_validators_help_text_html()
    )
    new_password2 = _password_field(_("New password again"), "new-password", _("Type the same password, to check it."))
    field_order = ["old_password", "new_password1", "new_password2"]
