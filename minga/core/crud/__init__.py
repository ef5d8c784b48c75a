"""The CRUD kit every module's services and views use for the same small jobs: a posted form
handed to its service (`submit`), a service's ValidationError shown on the form that was
posted (`apply_validation_error`), a slug free
within a government (`unique_slug`), the audited values of a row and what a write changed in
them (`snapshot`, `changed_fields`), and one confirm-delete page (template
``core/confirm_delete.html``, context built by `confirm_delete_context`)."""

from .changes import TIMESTAMPS, changed_fields, snapshot
from .forms import Submission, apply_validation_error, submit
from .pages import confirm_delete_context
from .slugs import unique_slug

__all__ = [
    "TIMESTAMPS",
    "Submission",
    "apply_validation_error",
    "changed_fields",
    "confirm_delete_context",
    "snapshot",
    "submit",
    "unique_slug",
]
