"""Back-office forms. Choices of related objects are limited to the current government; the
instance gets its government before validation so model checks (cycles, unique slugs) report
on the right field."""

from __future__ import annotations

from django import forms
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from minga.core.forms import Form, ModelForm

from . import services
from .models import AgendaEvent, Authority, DeclarationLink, Unit

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M:%S"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def scoped_formfield(model_field, **kwargs):
    """Form fields for relations start empty: building them must not query outside a
    government scope (forms are defined at import time); each form sets the government's
    choices in __init__."""
    if isinstance(model_field, models.ForeignKey | models.ManyToManyField):
        kwargs["queryset"] = model_field.remote_field.model._default_manager.none()
    return model_field.formfield(**kwargs)


def authority_choices(field, government) -> None:
    """Authorities to choose from (a unit's head, an event's participants): those in office
    today first, each with its position, then the others, saying when their term ended or
    starts, so an official picks the right person without knowing the list by heart."""
    today = timezone.localdate()
    in_office = (Q(term_start__isnull=True) | Q(term_start__lte=today)) & (
        Q(term_end__isnull=True) | Q(term_end__gte=today)
    )
    field.queryset = (
        Authority.objects.filter(government=government)
        .annotate(out_of_office=Case(When(in_office, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("out_of_office", "order", "name")
    )

    def label(authority) -> str:
        text = f"{authority.name} — {authority.position}" if authority.position else authority.name
        if authority.term_end and authority.term_end < today:
            return text + " " + gettext("(term ended %(date)s)") % {"date": formats.date_format(authority.term_end)}
        if authority.term_start and authority.term_start > today:
            return text + " " + gettext("(term starts %(date)s)") % {"date": formats.date_format(authority.term_start)}
        return text

    field.label_from_instance = label


class GovernmentModelForm(ModelForm):
    def __init__(self, *args, government, **kwargs):
        super().__init__(*args, **kwargs)
        self.government = government
        self.instance.government = government


class UnitForm(GovernmentModelForm):
    class Meta:
        formfield_callback = scoped_formfield
        model = Unit
        fields = list(services.UNIT_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "functions": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, government, **kwargs):
        super().__init__(*args, government=government, **kwargs)
        parents = Unit.objects.filter(government=government).order_by("name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        authority_choices(self.fields["head"], government)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Leave empty to build it from the acronym or the name.")


class AuthorityForm(GovernmentModelForm):
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG or WebP. It is resized to at most 800 pixels; location and camera data are removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_photo = forms.BooleanField(label=_("Remove the current photo"), required=False)

    class Meta:
        formfield_callback = scoped_formfield
        model = Authority
        fields = list(services.AUTHORITY_FIELDS)
        widgets = {"term_start": DateInput(), "term_end": DateInput(), "biography": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, government, **kwargs):
        super().__init__(*args, government=government, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(government=government).order_by("name")
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Leave empty to build it from the name.")
        for name in ("term_start", "term_end"):
            self.fields[name].input_formats = DATE_INPUT_FORMATS
        if not self.instance.photo:
            del self.fields["remove_photo"]


class DeclarationLinkForm(GovernmentModelForm):
    class Meta:
        formfield_callback = scoped_formfield
        model = DeclarationLink
        fields = list(services.DECLARATION_FIELDS)

    def __init__(self, *args, government, authority, **kwargs):
        super().__init__(*args, government=government, **kwargs)
        self.instance.authority = authority


class AgendaEventForm(GovernmentModelForm):
    class Meta:
        formfield_callback = scoped_formfield
        model = AgendaEvent
        fields = [
            "title",
            "starts_at",
            "ends_at",
            "all_day",
            "location",
            "participants",
            "description",
            "visibility",
            "authorities",
            "unit",
            "minutes_url",
            "status",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "authorities": forms.CheckboxSelectMultiple(),
            "participants": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, government, **kwargs):
        super().__init__(*args, government=government, **kwargs)
        authority_choices(self.fields["authorities"], government)
        self.fields["unit"].queryset = Unit.objects.filter(government=government).order_by("name")
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = DATETIME_INPUT_FORMATS


class ConfirmForm(Form):
    """An explicit confirmation for destructive actions (works without JavaScript)."""

    confirm = forms.BooleanField(label=_("Yes, I understand this cannot be undone."), required=True)
