"""Errors that explain themselves: a stable ``code`` for programs and a translatable
``message`` (lazy, with ``params``) for people, so whoever catches one (a form, a job's report,
an API answer) shows it without rewording it. The datastore's and the XLSX reader's errors are
of this kind."""

from __future__ import annotations

from typing import Any


class ExplainedError(ValueError):
    default_code = "invalid"

    def __init__(self, message: Any, *, code: str | None = None, params: dict[str, Any] | None = None) -> None:
        self.message = message
        self.code = code or self.default_code
        self.params = params or {}
        super().__init__(self.user_message)

    @property
    def user_message(self) -> str:
        """The message in the active language, with its parameters filled in."""
        text = str(self.message)
        return text % self.params if self.params else text

    def __str__(self) -> str:
        return self.user_message
