"""Fixtures of the rate-limit tests: each cache backend the platform runs with, and slow cache
reads that make a read-then-write race happen every time."""

import time
import uuid

import pytest
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.test import override_settings

REDIS_URL = "redis://127.0.0.1:6379/5"


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001
        return False


@pytest.fixture
def slow_cache_reads(monkeypatch):
    """Every cache read takes a little while: a read-then-write limit lets all threads read
    the same count before any writes it back."""
    for backend in (LocMemCache, FileBasedCache):
        original = backend.get

        def slow(self, *args, _original=original, **kwargs):
            time.sleep(0.02)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(backend, "get", slow)


@pytest.fixture(params=["locmem", "file", "redis"])
def cache_backend(request, tmp_path):
    if request.param == "locmem":
        config = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"rl-{uuid.uuid4()}"}
    elif request.param == "file":
        config = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}
    else:
        if not _redis_available():
            pytest.skip(f"no Redis at {REDIS_URL}")
        config = {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    with override_settings(CACHES={"default": config}):
        yield request.param


# Comments (core/comments/) -------------------------------------------------------------------


class Proposal:
    """What a module would let citizens comment on: an object with an id and a title, open for
    comments or not."""

    def __init__(self, government, pk: int, title: str, *, open_: bool = True):
        self.government, self.pk, self.title, self.open = government, pk, title, open_

    def __str__(self) -> str:
        return self.title


@pytest.fixture
def proposals(monkeypatch, government, other_government):
    """A module "consulta" whose proposals take comments with a position: two proposals of
    `government` (the second closed to comments) and one of `other_government`. Its editors
    moderate (consulta.moderate)."""
    import rules

    from minga.core import registry
    from minga.core.permissions import role_predicate
    from minga.core.registry import CommentTarget, ModuleManifest

    items = {
        (government.pk, 1): Proposal(government, 1, "Parque en La Pila"),
        (government.pk, 2): Proposal(government, 2, "Ciclovía cerrada", open_=False),
        (other_government.pk, 3): Proposal(other_government, 3, "Propuesta del Azuay"),
    }
    target = CommentTarget(
        key="consulta.propuesta",
        module="consulta",
        label="Propuesta",
        lookup=lambda gov, pk, user: items.get((gov.pk, pk)),
        url=lambda obj: f"/consulta/{obj.pk}/",
        describe=lambda gov, ids: {
            pk: (items[(gov.pk, pk)].title, f"/consulta/{pk}/") for pk in ids if (gov.pk, pk) in items
        },
        closed_reason=lambda obj, user: "" if obj.open else "Los comentarios de esta propuesta están cerrados.",
        alignment=True,
    )
    manifest = ModuleManifest(
        key="consulta", label="Consulta", permissions={"consulta.moderate": "editor"}, comment_targets=(target,)
    )
    real = registry.manifests()
    monkeypatch.setattr(registry, "manifests", lambda: [*real, manifest])
    rules.set_perm("consulta.moderate", role_predicate("consulta", "editor"))
    yield {
        "target": target,
        "open": items[(government.pk, 1)],
        "closed": items[(government.pk, 2)],
        "foreign": items[(other_government.pk, 3)],
    }
    rules.remove_perm("consulta.moderate")
