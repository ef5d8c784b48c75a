"""Back-office forms of the geovisor. The layer's government is set before validation so the
model's checks (unique identifier, styled attribute) report on the right field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minga.core import spatial
from minga.core.forms import Form, ModelForm

from . import readers, services
from .models import Layer

FILE_ACCEPT = ".geojson,.json,.zip,.gpkg,.csv,application/geo+json,application/zip,text/csv"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _file_field(required: bool = True) -> forms.FileField:
    return forms.FileField(
        label=_("File"),
        required=required,
        help_text=_(
            "GeoJSON, a zipped shapefile (.zip with .shp, .dbf and .prj), a GeoPackage (.gpkg) or a CSV with "
            "columns longitud/latitud, x/y or wkt. Up to 50 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT}),
    )


def _crs_field() -> forms.CharField:
    return forms.CharField(
        label=_("Coordinate reference system of the file"),
        required=False,
        max_length=40,
        help_text=_(
            "Leave empty to use the one the file states. Otherwise an EPSG code: 32717 (WGS 84 / UTM 17S), "
            "31977 (SIRGAS 2000 / UTM 17S), 31992 (SIRGAS 1995 / UTM 17S), 4326 (longitude/latitude)…"
        ),
    )


def read_upload(uploaded) -> bytes:
    if uploaded.size > readers.MAX_FILE_BYTES:
        raise forms.ValidationError(
            _("The file is larger than %(max)s MB.") % {"max": readers.MAX_FILE_BYTES // (1024 * 1024)}
        )
    return uploaded.read()


class UploadChecks:
    """The cheap checks of a layer file before it is stored and a job reads it: its size, its
    kind (by name and first bytes), and the coordinate system named for it."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded is None:
            return uploaded
        if uploaded.size > readers.MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(max)s MB.") % {"max": readers.MAX_FILE_BYTES // (1024 * 1024)}
            )
        uploaded.seek(0)
        head = uploaded.read(8192)
        uploaded.seek(0)
        try:
            readers.detect_format(uploaded.name, head)
        except readers.ReadError as error:
            raise forms.ValidationError(str(error)) from error
        return uploaded

    def clean_crs(self):
        text = self.cleaned_data.get("crs", "")
        try:
            spatial.declared_crs(text)
        except ValueError as error:  # spatial.UnknownCRS, in the reader's language
            raise forms.ValidationError(str(error)) from error
        return text


class LayerForm(ModelForm):
    class Meta:
        model = Layer
        fields = list(services.LAYER_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "source_date": DateInput(),
            "colour": forms.TextInput(attrs={"type": "color"}),
        }

    def __init__(self, *args, government, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.government = government
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Leave empty to build it from the title.")
        self.fields["source_date"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        names = list(self.instance.properties or []) if self.instance.pk else []
        if names:
            self.fields["style_property"] = forms.ChoiceField(
                label=_("Attribute for the style"),
                required=False,
                choices=[("", _("— none —")), *[(n, n) for n in names]],
                help_text=_("The feature attribute that chooses the colour (for categories or classes)."),
            )
        else:
            self.fields["style_property"].help_text = _(
                "Name of an attribute of the file's features that chooses the colour (for categories or classes)."
            )

        self.fields["labels"] = forms.CharField(
            label=_("Labels of the attributes (data dictionary)"),
            required=False,
            widget=forms.Textarea(attrs={"rows": max(3, min(len(names), 12))}),
            help_text=_(
                "One attribute a line, its name, a colon and the label the public reads, e.g. “dpa_parroquia: "
                "Parish code”. Pop-ups, legends and tables show these labels."
            ),
        )
        given = self.instance.labels or {}
        self.initial["labels"] = "\n".join(f"{name}: {given.get(name, '')}".rstrip() for name in (names or list(given)))

    def clean_labels(self) -> dict:
        labels = {}
        for number, line in enumerate(self.cleaned_data.get("labels", "").splitlines(), start=1):
            if not line.strip():
                continue
            name, colon, label = line.partition(":")
            if not colon or not name.strip():
                raise forms.ValidationError(
                    _("Line %(number)s: write the attribute, a colon and its label.") % {"number": number}
                )
            if label.strip():
                labels[name.strip()[:80]] = label.strip()[:150]
        return labels

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in services.LAYER_FIELDS}


class NewLayerForm(UploadChecks, LayerForm):
    file = _file_field()
    crs = _crs_field()


class UploadForm(UploadChecks, Form):
    file = _file_field()
    crs = _crs_field()


class ChoroplethForm(Form):
    layer = forms.ModelChoiceField(
        label=_("Layer of areas"), queryset=Layer.objects.none(), help_text=_("The areas the figures colour.")
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("What the figures are, e.g. Population 2022.")
    )
    join_property = forms.CharField(
        label=_("Attribute of the areas with the DPA code"),
        max_length=80,
        help_text=_("The layer attribute that holds each area's DPA code, e.g. dpa_parroquia."),
    )
    code_column = forms.CharField(
        label=_("Column of the table with the DPA code"),
        max_length=80,
        required=False,
        help_text=_("Leave empty to find it by name (dpa, codigo_dpa, dpa_parroquia…)."),
    )
    value_column = forms.CharField(
        label=_("Column of the table with the figure"), max_length=80, help_text=_("e.g. poblacion.")
    )
    value_label = forms.CharField(label=_("Name of the figure"), max_length=120, help_text=_("e.g. inhabitants."))
    is_public = forms.BooleanField(label=_("Public"), required=False, initial=True)
    file = forms.FileField(
        label=_("Table (CSV)"),
        help_text=_("A CSV with one row per DPA code and a column with the figure."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, government, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["layer"].queryset = Layer.objects.filter(
            government=government, geometry_kind=Layer.GeometryKind.AREA
        ).order_by("title")


class ConfirmForm(Form):
    confirm = forms.BooleanField(label=_("Yes, I understand this cannot be undone."), required=True)
