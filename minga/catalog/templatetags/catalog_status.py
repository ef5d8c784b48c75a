"""Filters for the freshness and quality includes: the words are made when the page is
rendered, in the visitor's language, from what is stored as codes and numbers."""

from django import template

from ..quality import freshness
from ..quality import scores as quality

register = template.Library()


@register.filter
def dataset_freshness(dataset):
    """The dataset's freshness (from `freshness.attach()` when the view ran it)."""
    return freshness.of(dataset)


@register.filter
def quality_reasons(dataset):
    return quality.reasons(dataset)


@register.filter
def quality_level(value):
    return quality.level(value)


@register.filter
def quality_level_label(value):
    return quality.level_label(value)
