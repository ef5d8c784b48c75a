"""Core endpoints of the API (/api/v1/): the index, the government's public profile, the
governments in its territory, who is calling, the OpenAPI schema, and the human-readable
documentation page built from that schema."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import MethodNotAllowed, ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from ..access import public
from ..permissions import OWN_ACCOUNT, PUBLIC, roles_of
from ..tenancy.selectors import child_governments
from . import docs
from .exceptions import exception_handler
from .models import ApiToken
from .schema import schema_for_government
from .serializers import GovernmentSerializer, GovernmentSummarySerializer, IndexSerializer, MeSerializer
from .services import token_revoke
from .throttling import AnonThrottle, UserThrottle

CORE_TAG = "core"


class MingaApiMixin:
    # What every API view of Minga shares: rate limits read from settings, translated error
    # messages (429 with Retry-After), and 405 for a method the view does not serve before any
    # credentials are asked for (a TRACE is not an unauthenticated write). Module API views
    # may inherit it.

    throttle_classes = [AnonThrottle, UserThrottle]
    permission_required: str | None = None

    def initial(self, request, *args, **kwargs):
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def get_exception_handler(self):
        return exception_handler


def api_root(request) -> str:
    """Absolute address of the government's API root, e.g. https://host/g/manabi/api/v1/."""
    return request.build_absolute_uri(reverse("api:index"))


def server_url(request) -> str:
    """The government's root (paths in the schema start with /api/v1/)."""
    return api_root(request).removesuffix("/api/v1/")


@extend_schema(
    tags=[CORE_TAG],
    summary=_("Index of the API"),
    description=_("Links to the main entry points and the list of every path of this API."),
    responses=IndexSerializer,
)
class ApiIndexView(MingaApiMixin, APIView):
    permission_required = PUBLIC

    def get(self, request):
        schema = schema_for_government(request.government)
        links = {
            "government": request.build_absolute_uri(reverse("api:government")),
            "governments": request.build_absolute_uri(reverse("api:government_children")),
            "me": request.build_absolute_uri(reverse("api:me")),
            "schema": request.build_absolute_uri(reverse("api:schema")),
            "docs": request.build_absolute_uri(reverse("api:docs")),
        }
        return Response({"government": request.government.name, "links": links, "endpoints": sorted(schema["paths"])})


@extend_schema(
    tags=[CORE_TAG],
    summary=_("The government"),
    description=_("Public profile of this government and the modules it has switched on."),
)
class GovernmentView(MingaApiMixin, generics.GenericAPIView):
    permission_required = PUBLIC
    serializer_class = GovernmentSerializer

    def get(self, request):
        return Response(self.get_serializer(request.government).data)


@extend_schema(
    tags=[CORE_TAG],
    summary=_("Governments in its territory"),
    description=_("The cantons of a province, or the rural parishes of a canton, that use this platform."),
)
class GovernmentChildrenView(MingaApiMixin, generics.ListAPIView):
    permission_required = PUBLIC
    serializer_class = GovernmentSummarySerializer

    def get_queryset(self):
        return child_governments(self.request.government)


@extend_schema(
    tags=[CORE_TAG],
    summary=_("Who is calling"),
    description=_("The person behind the credentials, their roles in this government and the token used."),
    responses=MeSerializer,
)
class MeView(MingaApiMixin, APIView):
    permission_required = OWN_ACCOUNT

    def get(self, request):
        token = request.auth if isinstance(request.auth, ApiToken) else None
        data = {
            "email": request.user.email,
            "name": request.user.full_name,
            "government": request.government.slug,
            "roles": roles_of(request.user, request.government),
            "token": token,
        }
        return Response(MeSerializer(data).data)


@extend_schema(
    tags=[CORE_TAG],
    summary=_("Revoke the token in use"),
    description=_("Revokes the token sent with this request (for example one that may have leaked)."),
    request=None,
    responses={204: None},
)
class CurrentTokenView(MingaApiMixin, APIView):
    permission_required = "core.manage_own_tokens"

    def delete(self, request):
        if not isinstance(request.auth, ApiToken):
            raise ValidationError({"detail": _("Send the token to revoke in the Authorization header.")})
        token_revoke(actor=request.user, token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(exclude=True)
class SchemaView(MingaApiMixin, APIView):
    """The OpenAPI 3 document: YAML by default, JSON with ?format=json."""

    permission_required = PUBLIC
    renderer_classes = [OpenApiYamlRenderer, OpenApiJsonRenderer]

    def get(self, request):
        response = Response(schema_for_government(request.government, server_url=server_url(request)))
        if request.accepted_renderer.format == "yaml":
            response["Content-Disposition"] = 'inline; filename="openapi.yaml"'
        return response


@public
def api_docs(request):
    schema = schema_for_government(request.government, server_url=server_url(request))
    context = {
        "api_root": api_root(request),
        "groups": docs.operation_groups(schema, server=server_url(request)),
        "rates": docs.rates(api_settings.DEFAULT_THROTTLE_RATES),
        "max_page_size": docs.MAX_PAGE_SIZE,
        "page_size": api_settings.PAGE_SIZE,
        "schema_url": reverse("api:schema"),
    }
    return render(request, "core/api/docs.html", context)
