"""Forms of the catalog's descriptions: datasets, resources, themes, licences, the data
dictionary. Choices of related objects are limited to the current government;
the instance gets its government before validation so model checks report on the right
field."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from minga.core.forms import Form, ModelForm

from ..refresh import schedules, sources
from . import publishers, services
from .models import ColumnRoleChoice, ColumnTypeChoice, Dataset, Licence, Resource, Theme

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def scoped_formfield(model_field, **kwargs):
    """Relation fields start empty (forms are defined at import time, outside any government
    scope); each form sets the government's choices in __init__."""
    if isinstance(model_field, models.ForeignKey | models.ManyToManyField):
        kwargs["queryset"] = model_field.remote_field.model._default_manager.none()
    return model_field.formfield(**kwargs)


class GovernmentModelForm(ModelForm):
    def __init__(self, *args, government, **kwargs):
        super().__init__(*args, **kwargs)
        self.government = government
        self.instance.government = government


def split_words(value: str) -> list[str]:
    return [part.strip() for part in (value or "").replace(";", ",").replace("\n", ",").split(",") if part.strip()]


class DatasetForm(GovernmentModelForm):
    tag_names = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=600,
        help_text=_("Keywords separated by commas, e.g. presupuesto, gasto, 2025."),
    )
    spatial_codes = forms.CharField(
        label=_("Spatial coverage"),
        required=False,
        max_length=400,
        help_text=_("INEC DPA codes separated by commas: 2 digits for a province, 4 for a canton, 6 for a parish."),
    )

    class Meta:
        formfield_callback = scoped_formfield
        model = Dataset
        fields = [
            "title",
            "slug",
            "summary",
            "description",
            "publisher_unit",
            "publisher",
            "publisher_email",
            "themes",
            "licence",
            "temporal_start",
            "temporal_end",
            "frequency",
            "contact_name",
            "contact_email",
            "lotaip_obligation",
            "is_published",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "themes": forms.CheckboxSelectMultiple(),
            "temporal_start": DateInput(),
            "temporal_end": DateInput(),
        }

    def __init__(self, *args, government, **kwargs):
        super().__init__(*args, government=government, **kwargs)
        self.fields["themes"].queryset = Theme.objects.filter(government=government).order_by("order", "name")
        self.fields["licence"].queryset = Licence.objects.filter(government=government).order_by("name")
        self.fields["licence"].empty_label = None
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Leave empty to build it from the title.")
        self._unit_field(government)
        for name in ("temporal_start", "temporal_end"):
            self.fields[name].input_formats = DATE_INPUT_FORMATS
        if self.instance.pk:
            self.initial.setdefault("tag_names", ", ".join(self.instance.tags.values_list("name", flat=True)))
            self.initial.setdefault("spatial_codes", ", ".join(self.instance.spatial_coverage or []))
        else:
            default = Licence.objects.filter(government=government, is_default=True).first()
            if default is not None:
                self.initial.setdefault("licence", default.pk)

    def _unit_field(self, government) -> None:
        """The units of the organisation chart to pick from, plus "another unit" typed as
        text. Without a chart (the institution module is off or has no public units) the
        publisher is text only, as it always was."""
        choices = publishers.unit_choices(government)
        stored = self.instance.publisher_unit
        if stored and stored not in dict(choices):
            # Kept as it is unless the official picks something else (see services).
            label = _("%(name)s (no longer in the organisation chart)") % {"name": self.instance.publisher}
            choices.append((stored, label))
        if not choices:
            del self.fields["publisher_unit"]
            return
        self.fields["publisher_unit"] = forms.ChoiceField(
            label=_("Publishing unit"),
            choices=[("", _("Another unit (type its name below)"))] + choices,
            required=False,
            help_text=_("The unit of the organisation chart that publishes the data; its page is linked."),
        )
        self.fields["publisher"].required = False
        self.fields["publisher"].label = _("Another unit")
        self.fields["publisher"].help_text = _("Only when the unit is not in the list, e.g. an external office.")
        if stored:
            self.initial["publisher"] = ""  # the chart names the unit; the copy is not for editing

    def clean_spatial_codes(self) -> list[str]:
        codes = split_words(self.cleaned_data.get("spatial_codes", ""))
        bad = [code for code in codes if not code.isdigit() or len(code) not in (2, 4, 6)]
        if bad:
            raise forms.ValidationError(
                _("These are not DPA codes (2, 4 or 6 digits): %(codes)s") % {"codes": ", ".join(bad)}
            )
        return list(dict.fromkeys(codes))

    def clean(self):
        cleaned = super().clean()
        self.instance.spatial_coverage = cleaned.get("spatial_codes") or []
        if "publisher_unit" in self.fields and not cleaned.get("publisher_unit") and not cleaned.get("publisher"):
            self.add_error("publisher", _("Choose a unit from the list or type the name of another one."))
        return cleaned

    def _post_clean(self):
        # The model requires a publisher name; with a unit picked, the service fills it in
        # from the chart, so the model's check runs on a stand-in until then.
        unit = self.cleaned_data.get("publisher_unit")
        if unit and not self.cleaned_data.get("publisher"):
            self.cleaned_data["publisher"] = dict(self.fields["publisher_unit"].choices).get(unit, unit)[:200]
        super()._post_clean()

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields if name != "themes" and name in self.fields}
        fields["spatial_coverage"] = data.get("spatial_codes") or []
        return fields


WEEKDAYS = (
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (0, _("Sunday")),
)


class ResourceForm(GovernmentModelForm):
    # When a remote source is checked: plain choices, or a cron expression for experts.
    schedule = forms.ChoiceField(
        label=_("When to check the source"),
        required=False,
        widget=forms.RadioSelect(),
        choices=[
            ("frequency", _("As often as the dataset's update frequency says")),
            ("daily", _("Every day")),
            ("weekly", _("Every week, on the day chosen below")),
            ("monthly", _("Every month, on the day chosen below")),
            ("cron", _("A cron expression (for experts)")),
        ],
    )
    schedule_hour = forms.TypedChoiceField(
        label=_("At"), required=False, coerce=int, initial=6, choices=[(h, f"{h:02d}:00") for h in range(24)]
    )
    schedule_weekday = forms.TypedChoiceField(
        label=_("On (weekly)"), required=False, coerce=int, initial=1, choices=WEEKDAYS
    )
    schedule_day = forms.TypedChoiceField(
        label=_("On day (monthly)"),
        required=False,
        coerce=int,
        initial=1,
        choices=[(d, str(d)) for d in range(1, 29)],
        help_text=_("Up to the 28th, so that every month has it."),
    )
    upload = forms.FileField(
        label=_("File"),
        required=False,
        help_text="",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,.xlsx,.json,.geojson,.pdf,.zip"}),
    )

    class Meta:
        formfield_callback = scoped_formfield
        model = Resource
        fields = list(services.RESOURCE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "kind": forms.RadioSelect()}

    def __init__(self, *args, government, dataset, **kwargs):
        super().__init__(*args, government=government, **kwargs)
        self.instance.dataset = dataset
        self.fields["upload"].help_text = _(
            "CSV, XLSX, JSON, GeoJSON, PDF or ZIP, up to %(limit)s. The format is checked from the content."
        ) % {"limit": filesizeformat(settings.DATASET_UPLOAD_MAX_BYTES)}
        if self.instance.pk and self.instance.file:
            self.fields["upload"].help_text = (
                _("Leave empty to keep the current file. ") + self.fields["upload"].help_text
            )
        self._source_fields()

    def _source_fields(self):
        """Upload, web address or (when the operator gave this government source databases) SQL
        query. Only the government's own sources are offered; the service refuses any other."""
        names = sources.sql_source_names(self.government)
        kind = self.fields["kind"]
        if not names and self.instance.kind != Resource.Kind.SQL:
            kind.choices = [(value, label) for value, label in kind.choices if value != Resource.Kind.SQL]
            del self.fields["sql_source"], self.fields["sql_query"]
        else:
            self.fields["sql_source"] = forms.ChoiceField(
                label=_("Source database"),
                required=False,
                choices=[("", "—"), *[(name, name) for name in names]],
                help_text=_("Given to your government by the platform operator; Minga only reads from it."),
            )
            self.fields["sql_query"].widget = forms.Textarea(attrs={"rows": 5, "spellcheck": "false"})
            self.fields["sql_query"].help_text = _(
                "One SELECT (or WITH … SELECT) statement; it runs read-only and its result is published as the table."
            )
        self.fields["url"].help_text = _(
            "For a link: the address of the file itself (CSV, XLSX or JSON to keep it as a table), not of a page."
        )
        self.fields["auto_refresh"].help_text = _(
            "For a link or a query: check the source on a schedule and publish a new version when the data changes."
        )
        self.fields["refresh_cron"].widget.attrs.update({"placeholder": "0 6 * * 1", "spellcheck": "false"})
        self.fields["refresh_cron"].label = _("Cron expression (for experts)")
        self.fields["refresh_cron"].help_text = _(
            "Only with “A cron expression”: five fields, e.g. “0 6 * * 1” (Mondays at 06:00)."
        )
        if not self.is_bound:
            plain = schedules.plain_schedule(self.instance.refresh_cron)
            self.initial.update({f"schedule_{k}" if k != "schedule" else k: v for k, v in plain.items()})
        schedule = ["schedule", "schedule_hour", "schedule_weekday", "schedule_day", "refresh_cron"]
        order = ["title", "description", "kind", "upload", "url", "sql_source", "sql_query"]
        self.order_fields([*order, "auto_refresh", *schedule, "order"])

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Resource.Kind.UPLOAD and not cleaned.get("upload") and not self.instance.file:
            self.add_error("upload", _("Choose the file to upload."))
        if kind == Resource.Kind.URL and not cleaned.get("url"):
            self.add_error("url", _("Enter the web address of the data."))
        if kind == Resource.Kind.SQL and "sql_query" in self.fields:
            if not cleaned.get("sql_source"):
                self.add_error("sql_source", _("Choose the source database."))
            try:
                cleaned["sql_query"] = sources.check_sql_query(cleaned.get("sql_query", ""))
            except ValidationError as error:
                self.add_error("sql_query", error)
        # A form sent without the plain choice (an older page, a script) keeps its cron field.
        schedule = cleaned.get("schedule") or ("cron" if cleaned.get("refresh_cron") else "frequency")
        try:
            cleaned["refresh_cron"] = schedules.plain_cron(
                schedule,
                hour=cleaned.get("schedule_hour") if cleaned.get("schedule_hour") is not None else 6,
                weekday=cleaned.get("schedule_weekday") if cleaned.get("schedule_weekday") is not None else 1,
                day=cleaned.get("schedule_day") or 1,
                expression=cleaned.get("refresh_cron", ""),
            )
        except ValidationError as error:
            self.add_error("refresh_cron", error)
        if schedule == "cron" and not cleaned.get("refresh_cron") and "refresh_cron" not in self.errors:
            self.add_error("refresh_cron", _("Write the cron expression, or choose one of the plain schedules."))
        if cleaned.get("auto_refresh") and kind == Resource.Kind.UPLOAD:
            self.add_error("auto_refresh", _("An uploaded file has no source to check: choose a link or a query."))
        for name in ("sql_source", "sql_query"):
            cleaned.setdefault(name, "")
        return cleaned

    def _post_clean(self):
        # The file is checked and stored by the service; the model's own checks run there.
        pass


class ThemeForm(GovernmentModelForm):
    class Meta:
        model = Theme
        fields = list(services.THEME_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, government, **kwargs):
        super().__init__(*args, government=government, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Leave empty to build it from the name.")


class LicenceForm(GovernmentModelForm):
    class Meta:
        model = Licence
        fields = list(services.LICENCE_FIELDS)

    def _post_clean(self):
        # "Only one default" is settled by the service (it moves the default); the rest of
        # the model checks run there too.
        pass


class ConfirmForm(Form):
    """An explicit confirmation for destructive actions (works without JavaScript)."""

    confirm = forms.BooleanField(label=_("Yes, I understand this cannot be undone."), required=True)


class ColumnDictionaryForm(Form):
    """One label, description and unit per column of a loaded table; the fields are named
    after the column's position so any column name is safe in the form."""

    def __init__(self, *args, columns, dictionary, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = list(columns)
        self.rows = []
        for position, column in enumerate(self.columns):
            entry = dictionary.get(column.name)
            names = {}
            for name, field in (
                ("label", forms.CharField(label=_("Label"), max_length=150, required=False)),
                (
                    "description",
                    forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})),
                ),
                ("unit", forms.CharField(label=_("Unit"), max_length=60, required=False)),
                (
                    "column_type",
                    forms.ChoiceField(
                        label=_("Type"),
                        required=False,
                        choices=[("", _("Detect from the file"))] + list(ColumnTypeChoice.choices),
                        help_text=_("A chosen type is checked on every load; values that do not match are reported."),
                    ),
                ),
                (
                    "role",
                    forms.ChoiceField(
                        label=_("What the numbers are"),
                        required=False,
                        choices=[("", _("Tell from the name and values"))] + list(ColumnRoleChoice.choices),
                        help_text=_("Totals add only amounts and counts."),
                    ),
                ),
            ):
                key = f"c{position}_{name}"
                field.initial = getattr(entry, name, "") if entry else ""
                self.fields[key] = field
                names[name] = key
            self.rows.append((column, names))

    def bound_rows(self):
        return [(column, {name: self[key] for name, key in names.items()}) for column, names in self.rows]

    def entries(self) -> dict[str, dict[str, str]]:
        return {
            column.name: {name: self.cleaned_data.get(key, "") for name, key in names.items()}
            for column, names in self.rows
        }
