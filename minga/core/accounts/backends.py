"""How a signed-in person is read on each request: Django's model backend, with the person's
registered identity (``verification.Identity``, the keyed hash of their cédula) read in the
same query. Binding actions (supports, votes) check it on every request, so it would otherwise
be a second query each time; for everyone else the join finds nothing and costs nothing."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("identity").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        user.identity_read_with_user = True  # what verification.selectors.identity_of trusts
        return user if self.user_can_authenticate(user) else None
