"""Results for tests, written through the services inside the government's scope."""

from __future__ import annotations

from minga.core.tenancy.scoping import government_scope

from .. import services


def result(government, process, *, parent=None, actor=None, **values):
    values.setdefault("title", "Resultado de prueba")
    values.setdefault("is_published", True)
    with government_scope(government):
        return services.result_create(actor=actor, government=government, process=process, values=values, parent=parent)


def update(government, result_, *, actor=None, **values):
    with government_scope(government):
        return services.result_update(actor=actor, government=government, result=result_, values=values)
