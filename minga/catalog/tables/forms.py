"""Forms of a table's previews: the chart builder and the map of figures by DPA code."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minga.core.forms import Form

from .charts import DEFAULT_GROUPS, MAX_GROUPS, MAX_SLICES, NUMERIC, aggregates, chart_types, filter_operators, sorts


class ChartForm(Form):
    tipo = forms.ChoiceField(label=gettext_lazy("Chart"))
    grupo = forms.ChoiceField(label=gettext_lazy("Group by"))
    agregado = forms.ChoiceField(label=gettext_lazy("Figure"))
    medida = forms.ChoiceField(
        label=gettext_lazy("Of the column"),
        required=False,
        help_text=gettext_lazy("Needed for sum, average, minimum and maximum."),
    )
    orden = forms.ChoiceField(label=gettext_lazy("Order"))
    limite = forms.IntegerField(
        label=gettext_lazy("How many groups"),
        required=False,
        min_value=1,
        max_value=MAX_GROUPS,
        help_text=gettext_lazy("The largest groups; a pie shows at most 12 and adds up the rest as “Others”."),
    )
    columna = forms.ChoiceField(label=gettext_lazy("Only rows where the column"), required=False)
    operador = forms.ChoiceField(label=gettext_lazy("Condition"), required=False)
    valor = forms.CharField(label=gettext_lazy("Value"), required=False, max_length=200)

    def __init__(self, *args, columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = {column.name: column for column in columns}
        names = [(column.name, column.label) for column in columns]
        unknown = {"invalid_choice": _("“%(value)s” is not a column of this table.")}
        self.fields["tipo"].choices = chart_types()
        self.fields["grupo"].choices = names
        self.fields["agregado"].choices = aggregates()
        self.fields["medida"].choices = [("", "—"), *names]
        self.fields["orden"].choices = sorts()
        self.fields["columna"].choices = [("", "—"), *names]
        self.fields["operador"].choices = filter_operators()
        for name in ("grupo", "medida", "columna"):
            self.fields[name].error_messages.update(unknown)

    def groups(self):
        return [
            (_("What to draw"), [self[name] for name in ("tipo", "grupo", "agregado", "medida", "orden", "limite")]),
            (_("Filter the rows (optional)"), [self[name] for name in ("columna", "operador", "valor")]),
        ]

    def clean(self):
        data = super().clean()
        func, measure, kind = data.get("agregado"), data.get("medida"), data.get("tipo")
        if func and func != "count":
            column = self.columns.get(measure or "")
            if column is None:
                if "medida" not in self.errors:
                    self.add_error("medida", _("Choose the column to add up, average or compare."))
            elif func in ("sum", "avg") and column.type not in NUMERIC:
                self.add_error(
                    "medida",
                    _(
                        "“%(column)s” is not a number column, so it cannot be added up or averaged. Count the rows or choose a number column."
                    )
                    % {"column": column.label},
                )
            elif column.type == "boolean":
                self.add_error(
                    "medida", _("“%(column)s” holds yes/no values: count the rows instead.") % {"column": column.label}
                )
        if kind == "pie" and func in ("avg", "min", "max"):
            self.add_error("agregado", _("A pie shows the parts of a whole: use the number of rows or a sum."))
        if kind == "pie" and (data.get("limite") or 0) > MAX_SLICES:
            data["limite"] = MAX_SLICES  # more slices could not be told apart; the rest go to "Others"
        if not data.get("limite") and kind in DEFAULT_GROUPS:
            data["limite"] = DEFAULT_GROUPS[kind]
        return data


class DpaForm(Form):
    dpa = forms.ChoiceField(label=gettext_lazy("Column with the DPA code"))
    agregado = forms.ChoiceField(label=gettext_lazy("Figure"))
    medida = forms.ChoiceField(label=gettext_lazy("Of the column"), required=False)

    def __init__(self, *args, columns, dpa_columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = {column.name: column for column in columns}
        self.fields["dpa"].choices = [(name, self.columns[name].label) for name in dpa_columns]
        self.fields["agregado"].choices = aggregates()
        self.fields["medida"].choices = [("", "—")] + [(c.name, c.label) for c in columns if c.type in NUMERIC]
        self.fields["medida"].error_messages["invalid_choice"] = _("“%(value)s” is not a number column of this table.")

    def groups(self):
        return [(_("What to show"), list(self))]

    def clean(self):
        data = super().clean()
        if data.get("agregado") not in (None, "count") and not data.get("medida") and "medida" not in self.errors:
            self.add_error("medida", _("Choose the number column to add up, average or compare."))
        return data
