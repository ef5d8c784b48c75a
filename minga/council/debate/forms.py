"""Forms of comments on articles: the fields added to a citizen's comment (the quoted passage),
and the back office's forms (whether an act takes comments, the committee's answer)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minga.core.forms import Form

from .models import DebateSetting

QUOTE_MAX = 2000


class QuoteForm(Form):
    """Added to the form of a new comment on an article. Without JavaScript the person pastes
    the words; the page's script fills the field, and the offsets, from a selection."""

    quote = forms.CharField(
        label=_("Quoted passage (optional)"),
        required=False,
        max_length=QUOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "class": "article-quote-field"}),
        help_text=_("Copy here the words of the article your comment is about, exactly as they are written."),
    )
    quote_start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    quote_end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class DebateSettingForm(Form):
    mode = forms.ChoiceField(label=_("Comments on articles"), choices=DebateSetting.Mode.choices)
    closes_on = forms.DateField(
        label=_("Comments close on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Last day citizens may comment; empty: no closing date."),
    )


class ArticleAnswerForm(Form):
    body = forms.CharField(
        label=_("Committee's answer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Published on the article's page: what the committee did with the comments. Empty to remove it."),
        required=False,
    )
