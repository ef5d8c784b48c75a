"""Turns the OpenAPI document into what the documentation page shows: endpoints grouped
by tag, with their parameters, who may call them and a curl line to try them."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..accounts.models import Membership
from ..permissions import CORE_PERMISSIONS, OWN_ACCOUNT
from ..registry import manifests
from .pagination import StandardPagination
from .schema import PUBLIC_LABEL

MAX_PAGE_SIZE = StandardPagination.max_page_size
METHODS = ("get", "post", "put", "patch", "delete", "head")
TOKEN_VARIABLE = "$MINGA_TOKEN"  # noqa: S105 - the name of a shell variable, not a secret


@dataclass
class Parameter:
    name: str
    location: str
    required: bool
    type: str
    description: str


@dataclass
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    public: bool
    access: str
    parameters: list[Parameter] = field(default_factory=list)
    has_body: bool = False
    paginated: bool = False
    curl: str = ""


def minimum_role(permission: str) -> str:
    roles = dict(CORE_PERMISSIONS)
    for manifest in manifests():
        roles.update(manifest.permissions)
    role = roles.get(permission, "")
    return str(Membership.Role(role).label) if role in Membership.Role.values else ""


def access_text(permission: str) -> str:
    if permission == PUBLIC_LABEL:
        return _("Public: anyone may call it, no token needed.")
    if permission == OWN_ACCOUNT:
        return _("Any signed-in person: send a token.")
    role = minimum_role(permission)
    if role:
        return _(
            "Officials of this government with the permission “%(permission)s” (at least: %(role)s): send a token."
        ) % {
            "permission": permission,
            "role": role,
        }
    return _("Officials of this government with the permission “%(permission)s”: send a token.") % {
        "permission": permission
    }


def _type_of(schema: dict) -> str:
    if not schema:
        return ""
    kind = schema.get("type", "")
    if kind == "array":
        return f"array[{_type_of(schema.get('items', {}))}]"
    if schema.get("enum"):
        return " | ".join(str(value) for value in schema["enum"])
    return kind + (f" ({schema['format']})" if schema.get("format") else "")


def curl_line(method: str, url: str, *, public: bool, has_body: bool) -> str:
    parts = ["curl"]
    if method != "GET":
        parts += ["-X", method]
    if not public:
        parts += ["-H", f'"Authorization: Token {TOKEN_VARIABLE}"']
    if has_body:
        parts += ["-H", shlex.quote("Content-Type: application/json"), "-d", "@body.json"]
    parts.append(shlex.quote(url))
    return " ".join(parts)


def operation_groups(schema: dict, *, server: str) -> list[tuple[str, list[Operation]]]:
    groups: dict[str, list[Operation]] = {}
    for path, operations in schema.get("paths", {}).items():
        for method in METHODS:
            operation = operations.get(method)
            if not isinstance(operation, dict):
                continue
            permission = operation.get("x-permission", "")
            public = permission == PUBLIC_LABEL
            parameters = [
                Parameter(
                    name=p.get("name", ""),
                    location=p.get("in", ""),
                    required=bool(p.get("required")),
                    type=_type_of(p.get("schema", {})),
                    description=p.get("description", ""),
                )
                for p in operation.get("parameters", [])
            ]
            has_body = "requestBody" in operation
            entry = Operation(
                method=method.upper(),
                path=path,
                anchor=operation.get("operationId", f"{method}-{path}"),
                summary=operation.get("summary", ""),
                description=operation.get("description", ""),
                public=public,
                access=access_text(permission),
                parameters=parameters,
                has_body=has_body,
                paginated=any(p.name == "page" and p.location == "query" for p in parameters),
                curl=curl_line(method.upper(), server + path, public=public, has_body=has_body),
            )
            group = operation.get("x-module") or (operation.get("tags") or [""])[0]
            groups.setdefault(group, []).append(entry)
    labels = {m.key: str(m.label) for m in manifests()}
    core = groups.pop("core", None)
    ordered = sorted((labels.get(key, key), operations) for key, operations in groups.items())
    return ([(_("General"), core)] if core else []) + ordered


def rate_text(rate: str) -> str:
    """ "120/min" -> "120 requests per minute" (DRF reads only the first letter of the period)."""
    count, _slash, period = rate.partition("/")
    number = int(count) if count.isdigit() else 0
    texts = {
        "s": ngettext("%(n)d request per second", "%(n)d requests per second", number),
        "m": ngettext("%(n)d request per minute", "%(n)d requests per minute", number),
        "h": ngettext("%(n)d request per hour", "%(n)d requests per hour", number),
        "d": ngettext("%(n)d request per day", "%(n)d requests per day", number),
    }
    text = texts.get(period[:1])
    return text % {"n": number} if text and count.isdigit() else rate


def rates(configured: dict) -> list[tuple[str, str]]:
    labels = {"anon": _("Without a token (per address)"), "user": _("With a token (per person)")}
    return [(labels.get(scope, scope), rate_text(rate)) for scope, rate in sorted(configured.items()) if rate]
