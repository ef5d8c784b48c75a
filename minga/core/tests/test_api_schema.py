"""The committed OpenAPI document is generated deterministically, and the drift check fails
(exit 1, with a unified diff) when an endpoint changes without regenerating it."""

import pytest
import yaml
from django.core.management import call_command
from django.test import override_settings
from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView

from minga.core.api.schema import generate_schema, render_yaml, schema_for_government
from minga.core.permissions import PUBLIC
from minga.urls_government import urlpatterns as government_urlpatterns


class NewEndpoint(APIView):
    permission_required = PUBLIC

    def get(self, request):
        return Response({})


# A government urlconf with one endpoint more than the real one (used as GOVERNMENT_URLCONF),
# served by the institution module.
urlpatterns = [
    *government_urlpatterns,
    path("api/v1/nuevo/", include(([path("", NewEndpoint.as_view(), name="new")], "institution"), namespace="extra")),
]


def test_generation_is_deterministic():
    first, second = render_yaml(generate_schema()), render_yaml(generate_schema())
    assert first == second
    document = yaml.safe_load(first)
    assert document["openapi"].startswith("3.")
    assert all(p.startswith("/api/v1/") for p in document["paths"])


def test_write_then_check_passes(tmp_path, capsys):
    target = tmp_path / "openapi.yaml"
    call_command("spectacular_write", schema_file=str(target))
    call_command("spectacular_check", schema_file=str(target))
    assert "up to date" in capsys.readouterr().out


def test_check_fails_with_a_diff_when_an_endpoint_changed(tmp_path, capsys):
    target = tmp_path / "openapi.yaml"
    call_command("spectacular_write", schema_file=str(target))
    with override_settings(GOVERNMENT_URLCONF=__name__), pytest.raises(SystemExit) as exit_info:
        call_command("spectacular_check", schema_file=str(target))
    assert exit_info.value.code == 1
    output = capsys.readouterr()
    assert "+  /api/v1/nuevo/:" in output.out
    assert "spectacular_write" in output.err


def test_check_fails_on_a_stale_copy(tmp_path, capsys):
    target = tmp_path / "openapi.yaml"
    call_command("spectacular_write", schema_file=str(target))
    stale = target.read_text().replace("  /api/v1/gobierno/:\n", "  /api/v1/gobierno-viejo/:\n")
    target.write_text(stale)
    with pytest.raises(SystemExit):
        call_command("spectacular_check", schema_file=str(target))
    assert "-  /api/v1/gobierno-viejo/:" in capsys.readouterr().out


@pytest.mark.django_db
def test_module_endpoints_are_marked_and_hidden_where_the_module_is_off(government):
    with override_settings(GOVERNMENT_URLCONF=__name__):
        operation = generate_schema()["paths"]["/api/v1/nuevo/"]["get"]
        assert operation["x-module"] == "institution" and operation["x-permission"] == "public"
        assert "/api/v1/nuevo/" in schema_for_government(government)["paths"]
        government.modules = {"institution": {"enabled": False}}
        assert "/api/v1/nuevo/" not in schema_for_government(government)["paths"]
        assert "/api/v1/gobierno/" in schema_for_government(government)["paths"]
