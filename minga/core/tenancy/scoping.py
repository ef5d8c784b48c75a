"""Running code for one government outside a request (jobs, commands, tests)."""

from contextlib import contextmanager

from django_scopes import scope, scopes_disabled

__all__ = ["government_scope", "scopes_disabled"]


@contextmanager
def government_scope(government):
    with scope(government=government):
        yield
