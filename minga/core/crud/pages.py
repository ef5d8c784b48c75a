"""The context of the one confirm-delete page (template ``core/confirm_delete.html``)."""

from __future__ import annotations

from typing import Any


def confirm_delete_context(
    *,
    obj: Any,
    form,
    cancel_url: str,
    consequence: str = "",
    heading: str = "",
    refusal: str = "",
    title: str = "",
) -> dict[str, Any]:
    """``obj`` is what would be deleted (its name is the page's heading unless ``heading`` is
    given); ``consequence`` says what deleting it does (default: it leaves the portal and the
    API, the audit log keeps a record); ``refusal``, when set, explains why it cannot be
    deleted and the page offers only the way back; ``cancel_url`` is that way back."""
    return {
        "object": obj,
        "form": form,
        "cancel_url": cancel_url,
        "consequence": consequence,
        "heading": heading,
        "refusal": refusal,
        "title": title,
    }
