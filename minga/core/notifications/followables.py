"""What can be followed: the ``followables`` of the module manifests, and the rows behind them
read through each model's scoped manager (core never imports the module). A record that is
not public, and not visible to the person by the module's own rule, cannot be followed and
nobody is told about it."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps

from ..registry import Followable, manifests


@dataclass(frozen=True)
class Entry:
    module: str  # key of the manifest that declares it
    followable: Followable

    @property
    def kind(self) -> str:
        return self.followable.kind

    @property
    def label(self):
        return self.followable.label

    def model(self):
        return apps.get_model(self.followable.model)

    def rows(self, government):
        """The model's rows of the government (every row, public or not)."""
        return self.model().objects.for_government(government)

    def public_rows(self, government):
        return self.followable.public(self.rows(government))

    def visible_rows(self, government, user):
        """Rows the person may see: the public ones, plus what the module's rule adds."""
        public = self.public_rows(government)
        rule = self.followable.visible_to
        if rule is None or not getattr(user, "is_authenticated", False):
            return public
        return public | rule(self.rows(government), user)

    def title(self, obj) -> str:
        return str(self.followable.title(obj))

    def path(self, obj) -> str:
        return self.followable.path(obj)


def entries() -> list[Entry]:
    return [Entry(manifest.key, followable) for manifest in manifests() for followable in manifest.followables]


def entry(kind: str) -> Entry | None:
    return next((found for found in entries() if found.kind == kind), None)


def entry_for(obj) -> Entry | None:
    """The followable declaration of a model instance (the first, when a model has several)."""
    label = obj._meta.label_lower
    return next((found for found in entries() if found.followable.model.lower() == label), None)


def enabled_entries(government) -> list[Entry]:
    return [found for found in entries() if government is None or government.module_enabled(found.module)]


def is_enabled(found: Entry, government) -> bool:
    return government.module_enabled(found.module)


def find_visible(found: Entry, government, user, object_id: int):
    """The record if this person may see it in this government, else None."""
    return found.visible_rows(government, user).filter(pk=object_id).first()
