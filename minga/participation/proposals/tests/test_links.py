"""What proposals lend through core: the link kind "participation.proposal" (resolve, search,
backlinks shown on the page), the comment target (counted, followed, closed outside a comment
phase), the followers' notice at the threshold, and the open-data table without personal data."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError

from minga.core import registry
from minga.core.comments import services as comments
from minga.core.notifications.models import Follow, Notification
from minga.core.opendata import tables_for
from minga.core.registry import LinkedRecord
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory, gov_url

from .. import services
from ..models import Proposal
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(government):
    return factories.supporting_process(government, settings={"support_threshold": 1})


@pytest.fixture
def proposal(government, process):
    return factories.proposal(government, process)


def test_link_kind_resolves_and_searches(government, process, proposal):
    found = registry.resolve_links(government, "participation.proposal", [str(proposal.pk), "999999", "x"])
    assert list(found) == [str(proposal.pk)]
    assert found[str(proposal.pk)].url.endswith(f"/participacion/{process.slug}/propuestas/{proposal.pk}/")
    assert [r.key for r in registry.search_links(government, "participation.proposal", "malecón")] == [str(proposal.pk)]
    assert [r.key for r in registry.search_links(government, "participation.proposal", str(proposal.pk))] == [
        str(proposal.pk)
    ]
    with government_scope(government):
        services.proposal_set_hidden(
            actor=None, government=government, proposal=proposal, hidden=True, reason="Contenido ofensivo."
        )
    assert registry.resolve_links(government, "participation.proposal", [str(proposal.pk)]) == {}


def test_page_shows_what_points_to_it(client, government, process, proposal, monkeypatch):
    """A participatory-budget project (another sub-package) pointing to the proposal, through
    core's backlinks: the proposal's page links to it."""
    project = LinkedRecord(
        kind="participation.project",
        key="pp-7",
        title="Alumbrado LED del malecón (proyecto)",
        url="/x/",
        module="participation",
    )
    manifest = registry.manifest("participation")
    patched = replace(
        manifest,
        backlinks={
            **manifest.backlinks,
            "participation.proposal": lambda g, key: [project] if key == str(proposal.pk) else [],
        },
    )
    monkeypatch.setattr(registry, "enabled_manifests", lambda g: [patched])
    text = client.get(gov_url(government, "participation:proposal_detail", slug=process.slug, pk=proposal.pk)).content
    assert "Alumbrado LED del malecón (proyecto)" in text.decode()


def test_threshold_notifies_the_author(government, process, proposal, django_capture_on_commit_callbacks):
    with government_scope(government), django_capture_on_commit_callbacks(execute=True):
        services.support_add(actor=UserFactory(), government=government, proposal=proposal)
    with government_scope(government):
        assert Notification.objects.filter(user=proposal.author, object_id=proposal.pk).exists()
        assert Proposal.objects.get(pk=proposal.pk).status == "evaluating"


def test_comments_count_follow_and_close(government):
    proposal = factories.proposal(government, factories.proposing_process(government))  # propose + comment
    neighbour = UserFactory()
    with government_scope(government):
        comments.comment_create(
            actor=neighbour,
            government=government,
            target_key="participation.proposal",
            obj=proposal,
            body="Muy buena idea, en mi barrio también hace falta.",
            alignment=1,
        )
        assert Proposal.objects.get(pk=proposal.pk).comments_count == 1
        assert Follow.objects.filter(user=neighbour, object_id=proposal.pk).exists()
    closed = factories.process_factories.process(
        government, start=factories.now() - 35 * factories.DAY
    )  # in its results phase
    other = factories.proposal(government, closed)
    with government_scope(government), pytest.raises(ValidationError, match="fase|phase"):
        comments.comment_create(
            actor=neighbour, government=government, target_key="participation.proposal", obj=other, body="Hola a todos."
        )


def test_comments_count_is_what_the_thread_shows(government):
    """Replies and official answers count; hidden and deleted comments do not, and a
    comment shown again counts again: the figure on the card is the thread's."""
    from minga.core.comments import selectors as comment_selectors
    from minga.core.testing import make_official

    proposal = factories.proposal(government, factories.proposing_process(government))
    neighbour, other = UserFactory(), UserFactory()
    moderator = make_official(government, "editor", "participation")
    key = "participation.proposal"

    def count():
        stored = Proposal.objects.get(pk=proposal.pk).comments_count
        target = comment_selectors.target(government, key)
        shown = comment_selectors.thread(government, target, proposal, user=None, now=factories.now()).count
        assert stored == shown
        return stored

    with government_scope(government):
        first = comments.comment_create(actor=neighbour, government=government, target_key=key, obj=proposal, body="Sí")
        reply = comments.comment_create(
            actor=other, government=government, target_key=key, obj=proposal, body="Claro", parent=first
        )
        assert count() == 2
        comments.comment_answer(actor=moderator, government=government, comment=first, body="Lo evaluamos.")
        assert count() == 3
        comments.comment_hide(actor=moderator, government=government, comment=reply, reason="Fuera de tema.")
        assert count() == 2
        comments.comment_restore(actor=moderator, government=government, comment=reply)
        assert count() == 3
        comments.comment_delete(actor=other, government=government, comment=reply)
        assert count() == 2
        # A count stored before (top-level only, say) is repaired by the maintenance recount.
        Proposal.objects.filter(pk=proposal.pk).update(comments_count=1)
        services.recount(government, proposal.process)
        assert count() == 2


def test_open_data_has_no_personal_data(government, process, proposal):
    with government_scope(government):
        table = next(t for t in tables_for(government, "participation") if t.key == "participation.proposals")
        names = [column.name for column in table.columns]
        rows = [dict(zip(names, row, strict=True)) for row in table.rows()]
    assert rows[0]["titulo"] == proposal.title and rows[0]["apoyos"] == 0
    assert not any("autor" in name or "email" in name for name in names)
    assert proposal.author.email not in str(rows)
