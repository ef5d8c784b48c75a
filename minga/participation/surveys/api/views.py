"""Read-only public API of surveys: the published surveys of a published process, each with
its questions and, once the process publishes them, its aggregated results."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics

from minga.core.api.views import MingaApiMixin
from minga.core.permissions import PUBLIC

from ...processes import selectors as processes
from .. import selectors
from .serializers import SurveySerializer

TAG = "participation"


class _SurveysMixin:
    permission_required = PUBLIC
    serializer_class = SurveySerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    def get_queryset(self):
        process = processes.public_process(self.request.government, self.kwargs["slug"])
        if process is None:
            raise Http404
        surveys = selectors.public_surveys(self.request.government, process).order_by("title", "pk")
        found = list(surveys)
        for survey in found:
            survey.process = process
        return found


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary=_("Surveys of a participatory process"),
        description=_(
            "The published surveys of a process with their questions and, once the process publishes them, "
            "their aggregated results (counts and shares; never a single response or a text answer)."
        ),
    )
)
class SurveyListView(_SurveysMixin, MingaApiMixin, generics.ListAPIView):
    pass


@extend_schema_view(
    get=extend_schema(
        tags=[TAG], summary=_("One survey of a process"), description=_("A published survey by its slug.")
    )
)
class SurveyDetailView(_SurveysMixin, MingaApiMixin, generics.RetrieveAPIView):
    def get_object(self):
        for survey in self.get_queryset():
            if survey.slug == self.kwargs["survey_slug"]:
                return survey
        raise Http404
