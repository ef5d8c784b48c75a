"""Projects of a participatory budget in core's threads and follows: a citizen comments on
the project's page and follows it, a foreign government's project answers 404, and the
followers hear whether it won or lost when the count is published. Results take comments too."""

from __future__ import annotations

import pytest
from django.utils import timezone

from minga.core.comments.models import Comment
from minga.core.notifications.models import Follow, Notification
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory, assert_foreign_government_404, gov_url, make_official

from ...results.tests import factories as result_factories
from ...tests import factories as process_factories
from .. import tallying, voting
from . import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(government):
    process = helpers.voting_process(government)
    budget = helpers.budget(government, process, projects=(100, 200, 300), amount=300)
    return process, budget, helpers.projects(government, budget)


def _page(government, process, project):
    return gov_url(government, "participation:budget_project", slug=process.slug, project=project.slug)


def _comment_url(government, key, obj):
    return gov_url(government, "core:comment_create", target=key, object_id=obj.pk)


def test_citizen_comments_on_a_project_and_follows_it(client, government, setup):
    process, _budget, projects = setup
    project = projects[0]
    body = client.get(_page(government, process, project)).content.decode()
    assert 'id="comentarios"' in body and "follow" in body.lower()
    citizen = UserFactory()
    client.force_login(citizen)
    response = client.post(_comment_url(government, "participation.project", project), {"body": "Que incluyan aceras."})
    assert response.status_code == 302 and "#comentario-" in response["Location"]
    with government_scope(government):
        comment = Comment.objects.get()
        assert (comment.target_key, comment.target_id) == ("participation.project", project.pk)
        assert Follow.objects.filter(user=citizen, kind="participation.project", object_id=project.pk).exists()
    client.logout()
    assert "Que incluyan aceras." in client.get(_page(government, process, project)).content.decode()


def test_follow_and_unfollow_a_project(client, government, setup):
    _process, _budget, projects = setup
    citizen = UserFactory()
    client.force_login(citizen)
    url = gov_url(government, "core:follow", kind="participation.project", pk=projects[1].pk)
    client.post(url, {"seguir": "1"})
    with government_scope(government):
        assert Follow.objects.filter(user=citizen, object_id=projects[1].pk).exists()
    client.post(url, {"seguir": "0"})
    with government_scope(government):
        assert not Follow.objects.filter(user=citizen).exists()


def test_foreign_or_unpublished_project_answers_404(client, government, other_government, setup):
    process, _budget, projects = setup
    project = projects[0]
    assert_foreign_government_404(
        client,
        other_government,
        [gov_url(government, "core:comment_thread", target="participation.project", object_id=project.pk)],
        government,
    )
    client.force_login(UserFactory())
    foreign = _comment_url(other_government, "participation.project", project)
    assert client.post(foreign, {"body": "Hola"}).status_code == 404
    hidden = process_factories.process(government, is_published=False)
    draft = helpers.projects(government, helpers.budget(government, hidden, projects=(50,)))[0]
    assert client.post(_comment_url(government, "participation.project", draft), {"body": "Hola"}).status_code == 404
    with government_scope(government):
        assert not Comment.objects.exists()


def test_followers_hear_whether_their_project_won(government, setup, django_capture_on_commit_callbacks):
    from minga.core.notifications import services as notifications

    _process, budget, projects = setup
    official = make_official(government, "editor", "participation")
    fan_of_winner, fan_of_loser = UserFactory(), UserFactory()
    with government_scope(government):
        notifications.follow(user=fan_of_winner, government=government, target=projects[2])
        notifications.follow(user=fan_of_loser, government=government, target=projects[0])
        for _i in range(3):
            user, _n = helpers.voter()
            voting.vote_cast(user=user, government=government, budget=budget, choices={projects[2].tally_id: 1})
        later = timezone.now() + helpers.DAY * 6
        tallying.budget_tally(actor=official, government=government, budget=budget, now=later)
        with django_capture_on_commit_callbacks(execute=True):
            tallying.result_publish(actor=official, government=government, budget=budget, now=later)
        won = Notification.objects.get(user=fan_of_winner)
        lost = Notification.objects.get(user=fan_of_loser)
    assert won.event == "funded" and won.object_id == projects[2].pk
    assert lost.event == "not_funded" and lost.object_id == projects[0].pk


def test_citizen_comments_on_a_result(client, government, other_government):
    process = process_factories.process(government)
    result = result_factories.result(government, process, title="Parque del barrio")
    page = gov_url(government, "participation:result_detail", slug=process.slug, pk=result.pk)
    citizen = UserFactory()
    client.force_login(citizen)
    response = client.post(_comment_url(government, "participation.result", result), {"body": "¿Cuándo empieza?"})
    assert response.status_code == 302
    with government_scope(government):
        assert Comment.objects.filter(target_key="participation.result", target_id=result.pk).count() == 1
        assert Follow.objects.filter(user=citizen, kind="participation.result", object_id=result.pk).exists()
    client.logout()
    assert "¿Cuándo empieza?" in client.get(page).content.decode()
    client.force_login(citizen)
    assert client.post(_comment_url(other_government, "participation.result", result), {"body": "x"}).status_code == 404
    draft = result_factories.result(government, process, title="Borrador", is_published=False)
    assert client.post(_comment_url(government, "participation.result", draft), {"body": "x"}).status_code == 404
