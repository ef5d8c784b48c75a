"""Forms of comments: a comment (with a position and a kind where the object asks for them,
and the fields the module adds, such as photos), a reply, an edit, a report, an appeal, and
the moderators' forms. Several forms sit on one page, so each takes an id prefix."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..forms import Form
from ..registry import CommentTarget
from .models import MAX_DEPTH, Alignment, CommentReport

BODY_HELP = _("Public, with your name. Plain text; web addresses become links. Do not include personal data of others.")


class CommentForm(Form):
    """A comment on the object, or a reply (`parent`). Its fields follow the target: a
    position when it asks for one, a kind when it offers several, the module's extra fields;
    a reply has only its text."""

    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4}), help_text=BODY_HELP)
    alignment = forms.TypedChoiceField(
        label=_("Your position"),
        choices=Alignment.choices,
        coerce=int,
        initial=Alignment.NEUTRAL,
        widget=forms.RadioSelect,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=(), widget=forms.RadioSelect)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, target: CommentTarget, max_length: int, parent=None, **kwargs):
        prefix_id = f"reply-{parent.pk}" if parent is not None else f"comment-{target.key.replace('.', '-')}"
        kwargs.setdefault("auto_id", prefix_id + "-%s")
        super().__init__(*args, **kwargs)
        self.target = target
        self.reply_to = parent
        body = self.fields["body"]
        body.max_length = max_length
        body.widget.attrs["maxlength"] = str(max_length)
        body.validators.append(MaxLengthValidator(max_length))
        if parent is not None:
            body.label = _("Your reply")
            self.fields["parent"].initial = parent.pk
            del self.fields["alignment"], self.fields["kind"]
            return
        del self.fields["parent"]
        if not target.alignment:
            del self.fields["alignment"]
        if len(target.kinds) > 1:
            self.fields["kind"].choices = list(target.kinds)
            self.fields["kind"].initial = target.kinds[0][0]
            self.fields = {"kind": self.fields.pop("kind"), **self.fields}
        else:
            del self.fields["kind"]
        self.extra_fields = []
        if target.extra_form is not None:
            # An instance of the module's form: its fields as its own __init__ left them.
            for name, field in target.extra_form().fields.items():
                self.fields[name] = field
                self.extra_fields.append(name)

    def clean(self):
        cleaned = super().clean()
        if self.reply_to is not None and self.reply_to.depth >= MAX_DEPTH:
            raise forms.ValidationError(_("This conversation is as deep as it can go: answer an earlier comment."))
        return cleaned

    def extra_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in getattr(self, "extra_fields", [])}


class EditForm(Form):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 5}), help_text=BODY_HELP)

    def __init__(self, *args, max_length: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].max_length = max_length
        self.fields["body"].widget.attrs["maxlength"] = str(max_length)
        self.fields["body"].validators.append(MaxLengthValidator(max_length))


class ReportForm(Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this comment?"), choices=CommentReport.Reason.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for “other”. Only the moderators read it."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == CommentReport.Reason.OTHER and not (cleaned.get("details") or "").strip():
            self.add_error("details", _("Say what is wrong with the comment."))
        return cleaned


class AppealForm(Form):
    text = forms.CharField(
        label=_("Why should your comment be shown?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("You can appeal once. A moderator reads it and decides."),
    )


class HideForm(Form):
    reason = forms.CharField(
        label=_("Reason for hiding"),
        max_length=300,
        help_text=_("Published in place of the text, e.g. “Insults a person” or “Personal data”."),
    )


class AnswerForm(Form):
    answer = forms.CharField(
        label=_("Official answer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Published under the comment as the government's answer, with your name."),
    )


class AppealDecisionForm(Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=(
            ("aceptar", _("Uphold: show the comment again")),
            ("rechazar", pgettext_lazy("appeal", "Reject: it stays hidden")),
        ),
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Answer to the author"),
        required=False,
        max_length=300,
        help_text=_("Required to reject; published as the reason when the comment was hidden automatically."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "rechazar" and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Say why the comment stays hidden: the author reads it."))
        return cleaned


class QueueFilterForm(forms.Form):
    estado = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=(
            ("revisar", _("To review")),
            ("sin-respuesta", _("Waiting for an official answer")),
            ("ocultos", _("Hidden")),
            ("todos", _("All")),
        ),
    )
    tipo = forms.ChoiceField(label=_("Commented on"), required=False, choices=())

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tipo"].choices = [("", _("Everything"))] + [(t.key, t.label) for t in targets]
