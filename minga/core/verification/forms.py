"""Forms of identity verification: a person's cédula and census code; the officials' census
upload, publication, desk verification and revocation; and the field modules put on their
process forms to choose the level an action needs."""

from __future__ import annotations

import functools

from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import Form
from . import cedula, selectors
from .levels import Level

CEDULA_HELP = _("The ten digits of your cédula de identidad, as printed on it.")


class CedulaField(forms.CharField):
    """Ten digits with a valid check digit; spaces and dashes are ignored."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"})

    def clean(self, value):
        number = cedula.normalise(super().clean(value))
        problem = cedula.problem(number)
        if problem:
            raise forms.ValidationError(
                _("This is not a valid cédula: %(reason)s.") % {"reason": cedula.reason_text(problem)}, code=problem
            )
        return number


class CedulaForm(Form):
    cedula = CedulaField(label=_("Cédula number"), help_text=CEDULA_HELP)


class CensusCodeForm(Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        help_text=_("The six digits of the code we e-mailed you."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class CensusUploadForm(Form):
    label = forms.CharField(
        label=_("Name of the roll"), max_length=200, help_text=_("For example “Padrón electoral CNE 2025”.")
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "One person per row, with a first row naming the columns: “cedula” (required), “territorio” "
            "(DPA code of the canton or parish, optional) and “nombre” (optional, never stored). Commas or "
            "semicolons; UTF-8 or the encoding of a spreadsheet."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class CensusPublishForm(Form):
    accept_left_out = forms.BooleanField(
        label=_("I read the report: publish the roll without the rows left out."), required=False
    )


class DeskVerificationForm(Form):
    email = forms.EmailField(
        label=_("E-mail of the person's account"),
        help_text=_("The person needs an account; help them create one first if they have none."),
    )
    cedula = CedulaField(label=_("Cédula number"), help_text=_("Typed from the cédula the person shows you."))
    place = forms.CharField(
        label=_("Desk"), max_length=200, help_text=_("Where you are, e.g. “Ventanilla única, edificio central”.")
    )
    territory_code = forms.CharField(
        label=_("Territory (DPA code)"),
        max_length=6,
        required=False,
        help_text=_("The canton or parish where the person lives; taken from the census roll when left empty."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What you checked besides the cédula. Required when the person is not on the census roll: "
            "which document proves they live here (a voting certificate, a utility bill…)."
        ),
    )
    relink = forms.BooleanField(
        label=_("I saw the person and their cédula: link this account to it even if another account holds it."),
        required=False,
    )


class RevokeForm(Form):
    reason = forms.CharField(
        label=_("Why it is revoked"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit log."),
    )


class VerificationFilterForm(Form):
    email = forms.CharField(label=_("E-mail contains"), required=False, max_length=254)
    level = forms.TypedChoiceField(
        label=_("Level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("Any")),
            (Level.CENSUS.value, Level.CENSUS.label),
            (Level.ASSISTED.value, Level.ASSISTED.label),
        ],
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("active", _("Active")), ("revoked", _("Revoked")), ("all", _("All"))],
    )


class RequiredLevelField(forms.TypedChoiceField):
    """For a module's process form: the level a declared action needs in this process."""

    def __init__(self, *, action: str, **kwargs):
        kwargs.setdefault("label", _("Verification needed"))
        kwargs.setdefault(
            "help_text", _("How sure the platform must be that each participant is one real person (and a resident).")
        )
        # A callable: the manifests are read when the form is used, not when it is defined.
        super().__init__(choices=functools.partial(selectors.level_choices, action), coerce=int, **kwargs)
