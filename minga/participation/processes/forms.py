"""Back-office forms: the process (with its settings and territories) and the formset of its
phases (with each phase's features and settings). Once voting has opened, the voting rules are
shown but cannot be edited (the service refuses any change to them anyway)."""

from __future__ import annotations

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from minga.core.forms import Form, ImageField, ModelForm
from minga.core.phases.features import feature_choices
from minga.core.phases.timeline import MAX_PHASES

from .. import territories as territory_sources
from ..features import MODULE, VOTE
from .models import Process
from .settings import phase_settings_fields, process_settings_fields

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M:%S"]
SETTING_PREFIX = "setting_"
LOCKED_HELP = _("Fixed: voting has opened, so the voting rules cannot change.")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _datetime_field(label, help_text) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, help_text=help_text, widget=DateTimeInput(), input_formats=DATETIME_INPUT_FORMATS
    )


def _add_settings(form, fields, values: dict, *, locked: bool) -> None:
    for spec in fields:
        name = SETTING_PREFIX + spec.key
        field = spec.form_field(initial=values.get(spec.key, spec.default))
        if locked and spec.locked_by == VOTE:
            field.disabled = True
            field.help_text = LOCKED_HELP
        form.fields[name] = field


def settings_from(cleaned_data: dict, fields) -> dict:
    """The settings a form's cleaned data holds (the fields named ``setting_<key>``)."""
    return {
        spec.key: cleaned_data[SETTING_PREFIX + spec.key]
        for spec in fields
        if SETTING_PREFIX + spec.key in cleaned_data
    }


def quiet(form_or_formset) -> None:
    """Show a bound form again without its errors (after "add a phase", nothing was sent yet)."""
    if isinstance(form_or_formset, forms.BaseFormSet):
        form_or_formset._errors = []
        form_or_formset._non_form_errors = form_or_formset.error_class()
        for form in form_or_formset.forms:
            quiet(form)
    else:
        form_or_formset._errors = ErrorDict()


class ProcessForm(ModelForm):
    territories = forms.MultipleChoiceField(
        label=_("Territory"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The parishes or neighbourhoods the process covers. None ticked: the whole territory."),
    )
    remove_image = forms.BooleanField(label=_("Remove the current picture"), required=False)

    class Meta:
        model = Process
        fields = ["title", "slug", "summary", "description", "kind", "starts_at", "ends_at", "image", "image_alt"]
        field_classes = {"image": ImageField}
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 10}),
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "image": forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }

    def __init__(self, *args, government, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.government = government
        self.instance.government = government
        self.locked = locked
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Leave empty to build it from the title.")
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = DATETIME_INPUT_FORMATS
        self.fields["image"].help_text = _(
            "Optional. JPEG, PNG or WebP; resized to at most 1200 pixels, location and camera data removed."
        )
        choices = [(t.code, f"{t.name} ({t.code})") for t in territory_sources.available(government)]
        offered = {code for code, _label in choices}
        for item in self.instance.territories or []:
            if item.get("code") not in offered:
                choices.append((item["code"], f"{item.get('name') or item['code']} ({item['code']})"))
        self.fields["territories"].choices = choices
        self.fields["territories"].initial = self.instance.territory_codes
        if not choices:
            self.fields["territories"].help_text = _(
                "No parish or neighbourhood is known yet: the process covers the whole territory. Parishes come "
                "from the geovisor's boundary layers; neighbourhoods can be listed in the module's settings."
            )
        if not self.instance.image:
            del self.fields["remove_image"]
        _add_settings(self, process_settings_fields(), dict(self.instance.settings or {}), locked=locked)

    def process_settings(self) -> dict:
        return settings_from(self.cleaned_data, process_settings_fields())

    def service_fields(self) -> dict:
        names = ["title", "slug", "summary", "description", "kind", "starts_at", "ends_at", "image_alt"]
        return {name: self.cleaned_data[name] for name in names}


class PhaseForm(Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Name of the phase"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happens in this phase and how to take part."),
    )
    starts_at = _datetime_field(_("Starts"), _("When the phase opens."))
    ends_at = _datetime_field(_("Ends"), _("When it closes; the next phase may start at that moment."))
    features = forms.MultipleChoiceField(
        label=_("What citizens can do"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Switched on while the phase is on; everything else is off."),
    )

    def __init__(self, *args, locked_phases: frozenset = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["features"].choices = feature_choices(MODULE)
        phase_id = self.initial.get("id")
        self.locked = phase_id is not None and phase_id in locked_phases
        if self.locked:
            for name in ("starts_at", "ends_at", "features"):
                self.fields[name].disabled = True
                self.fields[name].help_text = LOCKED_HELP
        _add_settings(self, phase_settings_fields(), dict(self.initial.get("settings") or {}), locked=self.locked)

    def has_changed(self) -> bool:
        """A blank phase counts as filled in only when something of the phase itself was typed
        (its settings start at their defaults, which say nothing)."""
        return any(name in self.changed_data for name in ("title", "description", "starts_at", "ends_at", "features"))

    def item(self) -> dict:
        """The phase as the service takes it."""
        data = self.cleaned_data
        item = {
            "title": data["title"],
            "description": data["description"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "features": list(data["features"]),
            "settings": settings_from(data, phase_settings_fields()),
        }
        if data.get("id"):
            item["id"] = data["id"]
        return item


class BasePhaseFormSet(forms.BaseFormSet):
    def __init__(self, *args, locked_phases: frozenset = frozenset(), **kwargs):
        self.locked_phases = locked_phases
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "locked_phases": self.locked_phases}

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if getattr(form, "locked", False) and "DELETE" in form.fields:
            form.fields["DELETE"].disabled = True
        return form

    def items(self) -> list[dict]:
        """The phases to keep, in the order of the form; blank extra forms are left out."""
        found = []
        for form in self.forms:
            if not form.has_changed() and not form.initial.get("id"):
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            found.append(form.item())
        return found

    def form_for_item(self, index: int):
        """The form the ``index``-th item of `items` came from (to show the service's errors)."""
        kept = [
            form
            for form in self.forms
            if (form.has_changed() or form.initial.get("id"))
            and not (self.can_delete and self._should_delete_form(form))
        ]
        return kept[index] if index < len(kept) else None


def phase_formset_class(extra: int):
    """The formset of a process's phases with ``extra`` blank phases to fill in."""
    return forms.formset_factory(
        PhaseForm,
        formset=BasePhaseFormSet,
        extra=extra,
        can_delete=True,
        max_num=MAX_PHASES,
        validate_max=True,
    )


def blank_phase_data(prefix: str) -> dict[str, str]:
    """What a blank phase form posts before anyone types in it (its settings' defaults), for a
    form added to posted data ("add another phase")."""
    data = {}
    for spec in phase_settings_fields():
        name = f"{prefix}-{SETTING_PREFIX}{spec.key}"
        if spec.kind == "boolean":
            if spec.default:
                data[name] = "on"
        else:
            data[name] = str(spec.default)
    return data


def phase_initial(phases) -> list[dict]:
    return [
        {
            "id": phase.pk,
            "title": phase.title,
            "description": phase.description,
            "starts_at": phase.starts_at,
            "ends_at": phase.ends_at,
            "features": list(phase.features or []),
            "settings": dict(phase.settings or {}),
        }
        for phase in phases
    ]


class ConfirmForm(Form):
    """An explicit confirmation for destructive actions (works without JavaScript)."""

    confirm = forms.BooleanField(label=_("Yes, I understand this cannot be undone."), required=True)
