"""What a session's services set off elsewhere in the module: convening tells the followers of
each act on the agenda, and a published session is found by the global search."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from minga.core.notifications import services as notifications
from minga.core.notifications.models import Notification
from minga.core.search.models import SearchDocument
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory

from ..acts.models import Act
from ..follows import notices
from ..sessions import services

pytestmark = pytest.mark.django_db


def test_convening_tells_the_followers_of_the_acts_on_the_agenda(seeded, django_capture_on_commit_callbacks):
    follower = UserFactory(preferred_language="es")
    now = timezone.now()
    with government_scope(seeded):
        act = Act.objects.get(identifier="PO-2026-004")
        assert notifications.follow(user=follower, government=seeded, target=act)
        session = services.session_save(
            actor=None,
            government=seeded,
            session=None,
            fields={"kind": "ordinary", "title": "Sesión ordinaria de prueba", "starts_at": now + dt.timedelta(days=6)},
        )
        services.item_save(
            actor=None, government=seeded, session=session, item=None, fields={"title": "Informe", "act": act}
        )
        services.item_save(actor=None, government=seeded, session=session, item=None, fields={"title": "Varios"})
        assert not Notification.objects.filter(user=follower).exists()  # a draft tells nobody
        with django_capture_on_commit_callbacks(execute=True):
            services.session_convene(actor=None, government=seeded, session=session, now=now)
        [notice] = Notification.objects.filter(user=follower)
        assert notice.event == notices.AGENDA_EVENT
        assert "PO-2026-004" in notice.title and "Sesión ordinaria de prueba" in notice.title


def test_a_convened_session_is_in_the_search_index_and_a_draft_is_not(seeded):
    now = timezone.now()
    with government_scope(seeded):
        session = services.session_save(
            actor=None,
            government=seeded,
            session=None,
            fields={
                "kind": "extraordinary",
                "title": "Sesión extraordinaria sobre manglares",
                "starts_at": now + dt.timedelta(days=3),
            },
        )
        services.item_save(actor=None, government=seeded, session=session, item=None, fields={"title": "Manglares"})
        entries = SearchDocument.objects.filter(kind="council.session", object_id=str(session.pk))
        assert not entries.exists()
        services.session_convene(actor=None, government=seeded, session=session, now=now)
        assert entries.exists()
