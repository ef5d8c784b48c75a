"""Forms of the works module: the officials' project and progress forms, and what a field
observation adds to core's comment form (photos). Lists (objectives, budget lines, OCIDs) are typed one per line; the location is
GeoJSON or "latitude, longitude"."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from minga.core import registry, spatial
from minga.core.forms import Form, ModelForm

from . import services
from .locations import location_text, parse_location
from .models import Project, ProjectLink

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
FORM_FIELDS = [f for f in services.PROJECT_FIELDS if f not in ("pdot_objectives", "sdg_targets")]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several files in one input; the service checks what each one really is."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultiplePhotoField, self).clean(item, initial) for item in items]


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class ProjectForm(ModelForm):
    location = forms.CharField(
        label=_("Location"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_(
            "“latitude, longitude” for a point (e.g. -1.0546, -80.4545), or a GeoJSON point, line or polygon in "
            "WGS 84 exported from your GIS program."
        ),
    )
    pdot_text = forms.CharField(
        label=_("PDOT objectives"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One objective per line, written the same way in every project so they group together."),
    )
    sdg_text = forms.CharField(
        label=_("SDG targets"),
        required=False,
        max_length=200,
        help_text=_("Targets separated by commas, e.g. 6.1, 9.1."),
    )
    budget_lines = forms.CharField(
        label=_("Budget lines"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_("One per line as “year:partida”, the partida as in the cédula presupuestaria."),
    )
    ocids = forms.CharField(
        label=_("Contracting processes (OCID)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_("One OCID per line, as SERCOP publishes it."),
    )
    pb_projects = forms.CharField(
        label=_("Participatory-budget projects"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        help_text=_(
            "The projects citizens voted for that this work builds: the last part of their address, one per line."
        ),
    )

    class Meta:
        model = Project
        fields = FORM_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "planned_start": DateInput(),
            "planned_end": DateInput(),
            "actual_start": DateInput(),
            "actual_end": DateInput(),
        }

    def __init__(self, *args, government, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.government = government
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Leave empty to derive it from the title. Changing it breaks old links.")
        for name in ("planned_start", "planned_end", "actual_start", "actual_end"):
            self.fields[name].input_formats = DATE_INPUT_FORMATS
        if self.instance.pk and not self.is_bound:
            project = self.instance
            self.initial.update(
                location=location_text(project.geometry),
                pdot_text="\n".join(project.pdot_objectives),
                sdg_text=", ".join(project.sdg_targets),
                budget_lines="\n".join(k.key for k in project.links.filter(kind=ProjectLink.Kind.BUDGET_LINE)),
                ocids="\n".join(k.key for k in project.links.filter(kind=ProjectLink.Kind.PROCESS)),
                pb_projects="\n".join(k.key for k in project.links.filter(kind=ProjectLink.Kind.PB_PROJECT)),
            )

    def clean_location(self):
        value = self.cleaned_data["location"]
        parse_location(value)  # the message explains what is wrong
        return value

    def clean_budget_lines(self):
        keys = services.parse_keys(self.cleaned_data["budget_lines"], ProjectLink.Kind.BUDGET_LINE)
        self._check_published(keys, ProjectLink.Kind.BUDGET_LINE)
        return keys

    def clean_ocids(self):
        keys = services.parse_keys(self.cleaned_data["ocids"], ProjectLink.Kind.PROCESS)
        self._check_published(keys, ProjectLink.Kind.PROCESS)
        return keys

    def _check_published(self, keys: list[str], kind: str) -> None:
        """A new link must name a record the other module publishes, so a typo does not
        reach the public page. Links the project already has are kept even when they no
        longer resolve (a withdrawn cut-off, a switched-off module): the project page shows
        them as not published, and editing another field must still be possible."""
        saved = set(self.instance.links.filter(kind=kind).values_list("key", flat=True)) if self.instance.pk else set()
        new = [key for key in keys if key not in saved]
        found = registry.resolve_links(self.instance.government, kind, new)
        missing = [key for key in new if key not in found]
        if not missing:
            return
        if kind == ProjectLink.Kind.PB_PROJECT:
            message = ngettext(
                "The participatory-budget project “%(keys)s” is not published.",
                "These participatory-budget projects are not published: %(keys)s.",
                len(missing),
            )
        elif kind == ProjectLink.Kind.BUDGET_LINE:
            message = ngettext(
                "The budget line “%(keys)s” does not exist among the published budget lines.",
                "These budget lines do not exist among the published ones: %(keys)s.",
                len(missing),
            )
        else:
            message = ngettext(
                "The contracting process “%(keys)s” does not exist among the published processes.",
                "These contracting processes do not exist among the published ones: %(keys)s.",
                len(missing),
            )
        raise ValidationError(message % {"keys": ", ".join(missing)})

    def clean_pb_projects(self):
        keys = services.parse_keys(self.cleaned_data["pb_projects"], ProjectLink.Kind.PB_PROJECT)
        self._check_published(keys, ProjectLink.Kind.PB_PROJECT)
        return keys

    def clean_pdot_text(self):
        return list(dict.fromkeys(line[:200] for line in _lines(self.cleaned_data["pdot_text"])))

    def clean_sdg_text(self):
        targets = [t.strip() for t in self.cleaned_data["sdg_text"].replace(";", ",").split(",") if t.strip()]
        bad = [t for t in targets if not all(part.isalnum() for part in t.split("."))]
        if bad:
            raise ValidationError(
                _("An SDG target looks like 6.1 or 11.a; not valid: %(bad)s.") % {"bad": ", ".join(bad)}
            )
        return list(dict.fromkeys(targets))

    def service_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in FORM_FIELDS}
        fields["pdot_objectives"] = self.cleaned_data["pdot_text"]
        fields["sdg_targets"] = self.cleaned_data["sdg_text"]
        return fields

    def service_links(self) -> dict:
        return {
            ProjectLink.Kind.BUDGET_LINE: self.cleaned_data["budget_lines"],
            ProjectLink.Kind.PROCESS: self.cleaned_data["ocids"],
            ProjectLink.Kind.PB_PROJECT: self.cleaned_data["pb_projects"],
        }


class ProgressForm(Form):
    reported_on = forms.DateField(
        label=_("Date"), widget=DateInput(), input_formats=DATE_INPUT_FORMATS, help_text=_("Date of the measurement.")
    )
    physical_progress = forms.DecimalField(
        label=_("Physical progress (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=_("Percent built, 0–100."),
    )
    financial_progress = forms.DecimalField(
        label=_("Financial progress (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=_("Percent of the contracted amount paid, 0–100."),
    )
    amount_paid = forms.DecimalField(
        label=_("Amount paid to date (USD)"),
        required=False,
        min_value=0,
        decimal_places=2,
        max_digits=14,
        help_text=_("Optional: updates the project's amount paid."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text=_("What was done.")
    )
    photos = MultiplePhotoField(
        label=_("Photos"),
        required=False,
        help_text=_("Up to 6 JPEG, PNG or WebP pictures; they are resized and their metadata removed."),
    )
    caption = forms.CharField(label=_("Caption of the photos"), required=False, max_length=200)
    keep_position = forms.BooleanField(
        label=_("Keep the position recorded by the camera (GPS) so the photos appear on the map"),
        required=False,
    )
    document_files = MultiplePhotoField(
        label=_("Document files (PDF)"),
        required=False,
        help_text=_("Up to 6 PDF files of at most 20 MB (an inspection report, a payment certificate)."),
    )
    documents = forms.CharField(
        label=_("Document links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        help_text=_("One per line: title | public address (e.g. Informe de fiscalización | https://…)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"
        self.fields["document_files"].widget.attrs["accept"] = "application/pdf,.pdf"
        if not self.is_bound:
            self.initial.setdefault("reported_on", timezone.localdate())

    def clean_documents(self):
        documents, url = [], forms.URLField(max_length=500)
        for line in _lines(self.cleaned_data["documents"]):
            title, separator, address = line.rpartition("|")
            if not separator or not title.strip():
                raise ValidationError(_("Write each document as “title | address”: %(line)s") % {"line": line[:80]})
            try:
                documents.append((title.strip()[:200], url.clean(address.strip())))
            except ValidationError as error:
                raise ValidationError(
                    _("“%(address)s” is not a valid web address.") % {"address": address.strip()[:80]}
                ) from error
        return documents


class ObservationPhotosForm(Form):
    """What a field observation adds to core's comment form (works/comments.py)."""

    photos = MultiplePhotoField(
        label=_("Photos (field observations only)"),
        required=False,
        help_text=_("Up to 6 pictures; their location and other metadata are removed."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"


class ConfirmForm(Form):
    confirm = forms.BooleanField(label=_("Yes, delete it"), required=True)


class LinkSearchForm(Form):
    """The picker's search: which kind of record, and words of its code or name."""

    tipo = forms.ChoiceField(
        label=_("Search in"),
        choices=[("partida", _("Budget lines")), ("proceso", _("Contracting processes (OCID)"))],
        initial="partida",
    )
    q = forms.CharField(
        label=_("Code or words of the name"),
        required=False,
        max_length=100,
        help_text=_("A partida's first digits or words of its description; an OCID or words of a process's title."),
    )

    KINDS = {"partida": ProjectLink.Kind.BUDGET_LINE, "proceso": ProjectLink.Kind.PROCESS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs.update(spellcheck="false", autocomplete="off")


class ImportForm(Form):
    file = forms.FileField(
        label=_("GeoJSON file"),
        help_text=_(
            "A FeatureCollection, one feature per work. Properties: titulo (required), identificador, "
            "descripcion, sector, estado, codigo_dpa, territorio, contratista, monto_planificado, monto_contratado, "
            "monto_pagado, inicio_planificado, fin_planificado, inicio_real, fin_real (YYYY-MM-DD), objetivos_pdot, "
            "metas_ods, partidas, ocids (separated by “;”), publicado."
        ),
    )

    crs = forms.CharField(
        label=_("Coordinate reference system (EPSG)"),
        required=False,
        max_length=40,
        help_text=_(
            "Leave empty for longitude/latitude in WGS 84, or for the system the file states in its “crs” member. "
            "Otherwise the EPSG code of the coordinates: 32717 (WGS 84 / UTM 17S), 31977 (SIRGAS 2000 / UTM 17S), "
            "31992 (SIRGAS 1995 / UTM 17S)…"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".geojson,.json,application/geo+json,application/json"
        self.fields["crs"].widget.attrs.update(inputmode="text", spellcheck="false", autocomplete="off")

    def clean_crs(self):
        value = self.cleaned_data["crs"].strip()
        try:
            spatial.declared_crs(value)
        except spatial.UnknownCRS as error:
            raise ValidationError(str(error)) from error
        return value
