"""Running code for one government outside a request (jobs, commands, tests)."""

from contextlib import contextmanager

from django_scopes import scope, scopes_disabled

__all__ = ["government_scope", "scopes_disabled"]


@contextmanager
def government_scope(government):
    # django-scopes filters nothing for a dimension whose value is None: a job that looked up a
    # government and found none would otherwise read and write every government's rows.
    if government is None:
        raise ValueError("government_scope() needs a government")
    with scope(government=government):
        yield
