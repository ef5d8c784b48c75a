"""What modules index for the global search, and the demand signal of searches that found
nothing. The full-text index itself lives beside this table and differs per database engine
(core.search.backends)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..tenancy.models import Government, scoped_manager


class SearchDocument(models.Model):
    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    module = models.CharField(max_length=40, help_text=_("Module that registered the document."))
    kind = models.CharField(max_length=60, help_text=_("Registration name, e.g. institution.unit."))
    object_id = models.CharField(max_length=64, help_text=_("Primary key of the indexed object."))
    title = models.CharField(max_length=300, help_text=_("Title shown in results."))
    summary = models.TextField(blank=True, help_text=_("Short text shown under the title."))
    body = models.TextField(blank=True, help_text=_("All searchable text."))
    url = models.CharField(max_length=500, help_text=_("Path of the object's page within the government."))
    updated_at = models.DateTimeField(help_text=_("When the indexed object last changed."))

    objects = scoped_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")]
        indexes = [models.Index(fields=["government", "module"])]

    def __str__(self) -> str:
        return self.title


class ZeroResultQuery(models.Model):
    """A normalised query that found nothing, counted per government and day. No user, no IP."""

    government = models.ForeignKey(Government, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    query = models.CharField(max_length=200, help_text=_("Normalised search words."))
    day = models.DateField(help_text=_("Day of the searches."))
    count = models.PositiveIntegerField(default=0, help_text=_("How many times it found nothing that day."))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["government", "query", "day"], name="zero_result_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.query} ({self.count})"
