"""The previews a resource offers (table, chart, map, image/PDF), for the dataset and table pages."""

from django import template

from ..tables.selectors import preview_links

register = template.Library()


@register.simple_tag
def resource_previews(resource, exclude=""):
    return preview_links(resource, exclude=exclude)
