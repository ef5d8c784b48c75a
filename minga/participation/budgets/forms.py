"""Back-office forms of budgets, projects, paper batches and overrides. The ballot itself is
read in the public view from the posted project ids (or points), so the form keeps what was
chosen when it comes back with an error."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minga.core.forms import Form, ModelForm

from .models import Budget, Override, Project, ProjectLink

LOCKED_HELP = _("Fixed: voting has opened, so this voting rule cannot change.")


class BudgetForm(ModelForm):
    process = forms.ModelChoiceField(label=_("Process"), queryset=None, help_text=_("The participatory process."))
    territory_code = forms.ChoiceField(
        label=_("Territory"), required=False, help_text=_("Empty: the whole territory of the process.")
    )

    class Meta:
        model = Budget
        fields = [
            "process",
            "title",
            "slug",
            "description",
            "territory_code",
            "amount",
            "ballot_kind",
            "min_projects",
            "max_projects",
            "total_points",
            "max_points",
            "method",
            "position",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, government, processes, territories, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.government = government
        self.fields["process"].queryset = processes
        self.fields["slug"].required = False
        self.fields["territory_code"].choices = [("", _("Whole territory"))] + list(territories)
        if self.instance.pk:
            self.fields["process"].disabled = True
        if locked:
            from .services import BUDGET_RULES

            for name in BUDGET_RULES:
                self.fields[name].disabled = True
                self.fields[name].help_text = LOCKED_HELP

    def _post_clean(self):
        # The service validates the model (with the process's territories); the form only its fields.
        pass

    def service_fields(self) -> dict:
        names = [n for n in self.Meta.fields if n != "process" and not self.fields[n].disabled]
        return {n: self.cleaned_data[n] for n in names}


class ProjectForm(ModelForm):
    proposals = forms.CharField(
        label=_("Proposals it comes from"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        help_text=_("The proposals' identifiers, one per line."),
    )
    budget_lines = forms.CharField(
        label=_("Budget lines"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        help_text=_("One per line as “year:partida”."),
    )
    works = forms.CharField(
        label=_("Public works"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        help_text=_("The works' identifiers (the last part of their address), one per line."),
    )

    LINK_FIELDS = {
        "proposals": ProjectLink.Kind.PROPOSAL,
        "budget_lines": ProjectLink.Kind.BUDGET_LINE,
        "works": ProjectLink.Kind.WORK,
    }

    class Meta:
        model = Project
        fields = ["title", "slug", "description", "cost", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    # The picker (no JavaScript needed): a search inside this form lists candidate records,
    # each a checkbox "vincular" = "<kind> <key>"; whatever is ticked joins its kind's keys
    # when the form is sent again (to search more or to save).
    PICK = "vincular"

    def __init__(self, data=None, *args, government, locked: bool = False, **kwargs):
        if data is not None and data.getlist(self.PICK):
            data = self.with_picks(data)
        super().__init__(data, *args, **kwargs)
        self.instance.government = government
        self.fields["slug"].required = False
        if locked:
            self.fields["cost"].disabled = True
            self.fields["cost"].help_text = LOCKED_HELP
        if self.instance.pk and not self.is_bound:
            for name, kind in self.LINK_FIELDS.items():
                self.initial[name] = "\n".join(k.key for k in self.instance.links.all() if k.kind == kind)

    def _post_clean(self):
        pass

    def service_fields(self) -> dict:
        return {n: self.cleaned_data[n] for n in self.Meta.fields if not self.fields[n].disabled}

    def service_links(self) -> dict:
        return {kind: self.cleaned_data[name] for name, kind in self.LINK_FIELDS.items()}

    @classmethod
    def with_picks(cls, data):
        """The posted data with the ticked candidates added to their kinds' keys."""
        fields = {kind: name for name, kind in cls.LINK_FIELDS.items()}
        data = data.copy()
        for value in data.getlist(cls.PICK):
            kind, _sep, key = str(value).partition(" ")
            name = fields.get(kind)
            key = key.strip()
            if name is None or not key:
                continue
            keys = [line.strip() for line in str(data.get(name, "")).splitlines() if line.strip()]
            if key not in keys:
                data[name] = "\n".join([*keys, key])
        data.setlist(cls.PICK, [])
        return data

    def chosen_keys(self) -> dict[str, list[str]]:
        """The keys of each kind as the form now holds them (posted or initial)."""
        found = {}
        for name, kind in self.LINK_FIELDS.items():
            text = self.data.get(name, "") if self.is_bound else self.initial.get(name, "")
            found[kind] = [line.strip() for line in str(text or "").splitlines() if line.strip()]
        return found


class BatchForm(Form):
    place = forms.CharField(label=_("Polling place"), max_length=200, help_text=_("Where the ballots were cast."))
    voted_on = forms.DateField(
        label=_("Voting day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("The day the ballots were cast."),
    )
    ballots = forms.CharField(
        label=_("Ballots"),
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_(
            "One ballot per line: the voter's cédula, a semicolon and the numbers of the projects chosen, e.g. "
            "1310000001; 2, 5, 7. On cumulative ballots, number and points: 1310000001; 2:6, 5:4."
        ),
    )


class OverrideForm(Form):
    project = forms.ModelChoiceField(label=_("Project"), queryset=None, help_text=_("The project concerned."))
    action = forms.ChoiceField(label=_("Decision"), choices=Override.Action.choices, help_text=_("Include or exclude."))
    justification = forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        help_text=_("Published on the results page: why the result of the count is not followed for this project."),
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class ConfirmForm(Form):
    confirm = forms.BooleanField(label=_("Yes, I am sure"), required=True)
