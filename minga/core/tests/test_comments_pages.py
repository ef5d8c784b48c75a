"""Comments (core/comments/) through HTTP: the thread any page includes (escaped text, tabs by
position, orders, forms only for those who may comment), posting without JavaScript (redirect
to the comment) and with htmx (the thread swapped in place), the forms that keep the text, the
rate limit per person, reports and appeals, another government's comments (404), the role ×
URL matrix of the moderation pages, and the government's settings."""

import datetime as dt

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.urls import set_urlconf
from django.utils import translation

from minga.core.audit.models import AuditEntry
from minga.core.comments import services as comments
from minga.core.comments.models import Comment, CommentReport
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import (
    UserFactory,
    assert_foreign_government_404,
    assert_role_matrix,
    gov_url,
    login_verified,
    make_official,
)

pytestmark = pytest.mark.django_db

TARGET = "consulta.propuesta"
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/g/manabi/consulta/1/?orden=recientes"}


def create_url(government, pk=1):
    return gov_url(government, "core:comment_create", target=TARGET, object_id=pk)


def thread_url(government, pk=1):
    return gov_url(government, "core:comment_thread", target=TARGET, object_id=pk)


def write(government, proposal, *, actor=None, body="Me parece bien.", **kwargs):
    with government_scope(government):
        return comments.comment_create(
            actor=actor or UserFactory(), government=government, target_key=TARGET, obj=proposal, body=body, **kwargs
        )


def configure(government, **values):
    from minga.core.tenancy.services import government_set_module_settings

    government_set_module_settings(actor=None, government=government, module="comments", values=values)
    government.refresh_from_db()


def fragment(client, government, pk=1, query=""):
    return client.get(thread_url(government, pk) + query, HTTP_HX_REQUEST="true")


def render_tag(government, proposal, user=None):
    """The template tag as a module's page would use it."""
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/consulta/1/")
    request.government, request.user = government, user or AnonymousUser()
    template = Template('{% load comments %}{% comment_thread "consulta.propuesta" proposal heading_level=3 %}')
    set_urlconf(settings.GOVERNMENT_URLCONF)
    try:
        with government_scope(government), translation.override("en"):
            return template.render(Context({"request": request, "proposal": proposal}))
    finally:
        set_urlconf(None)


def test_the_thread_tag_shows_escaped_text_and_no_form_to_anonymous_visitors(english, government, proposals):
    write(government, proposals["open"], body="<b>hola</b> https://example.org", alignment=1)
    html = render_tag(government, proposals["open"])
    assert "<h3" in html and "Comments (1)" in html and "&lt;b&gt;hola&lt;/b&gt;" in html
    assert 'rel="nofollow ugc noopener"' in html and "<b>hola" not in html
    assert "Sign in to comment" in html and "comment-form" not in html and "csrfmiddlewaretoken" not in html
    assert 'aria-current="true"' in html and "In favour" in html
    assert render_tag(government, proposals["open"]).count("<article") == 1


def test_the_thread_by_position_and_order(english, client, government, proposals):
    favour = write(government, proposals["open"], body="A favor del parque", alignment=1)
    write(government, proposals["open"], body="En contra del parque", alignment=-1)
    body = fragment(client, government, query="?postura=en-contra").content.decode()
    assert "En contra del parque" in body and "A favor del parque" not in body
    assert 'In favour <span class="count">(1)</span>' in body
    body = fragment(client, government, query="?orden=recientes").content.decode()
    assert body.index("En contra del parque") < body.index("A favor del parque")
    redirect = client.get(thread_url(government) + "?orden=recientes")
    assert redirect.status_code == 302
    assert redirect["Location"] == "/g/manabi/consulta/1/?orden=recientes#comentarios-consulta-propuesta-1"
    assert favour.pk


def test_posting_without_javascript_comes_back_to_the_comment(english, client, government, proposals):
    citizen = UserFactory()
    client.force_login(citizen)
    response = client.post(create_url(government), {"body": "Buena idea", "alignment": "1"})
    with government_scope(government):
        comment = Comment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/g/manabi/consulta/1/#comentario-{comment.pk}"
    assert (comment.author, comment.alignment, comment.body) == (citizen, 1, "Buena idea")
    response = client.post(create_url(government), {"body": "Estoy de acuerdo", "parent": str(comment.pk)})
    assert response.status_code == 302
    with government_scope(government):
        assert Comment.objects.get(parent=comment).depth == 1
    body = fragment(client, government).content.decode()
    assert "Reply</summary>" in body and "Edit</a>" in body and "Delete</a>" in body
    assert 'name="voto"' not in body  # nobody votes on their own comments
    client.force_login(UserFactory())
    body = fragment(client, government).content.decode()
    assert 'name="voto"' in body and "Edit</a>" not in body and "Report</a>" in body


def test_errors_keep_the_text_on_a_page_of_their_own(english, client, government, proposals):
    client.force_login(UserFactory())
    response = client.post(create_url(government), {"body": "", "alignment": "9"})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    configure(government, max_length=5)
    response = client.post(create_url(government), {"body": "Demasiado largo", "alignment": "0"})
    body = response.content.decode()
    assert response.status_code == 400 and "Demasiado largo</textarea>" in body and "at most 5" in body.lower()


def test_a_reply_too_deep_is_refused_on_the_form(english, client, government, proposals):
    comment = write(government, proposals["open"])
    for _ in range(3):
        comment = write(government, proposals["open"], parent=comment)
    client.force_login(UserFactory())
    response = client.post(create_url(government), {"body": "Más hondo", "parent": str(comment.pk)})
    body = response.content.decode()
    assert response.status_code == 400 and "as deep as it can go" in body and "Más hondo</textarea>" in body
    assert "Reply</summary>" not in fragment(client, government).content.decode().split(f"comentario-{comment.pk}")[1]


def test_htmx_swaps_the_thread_in_place(english, client, government, proposals):
    client.force_login(UserFactory())
    response = client.post(create_url(government), {"body": "Con htmx", "alignment": "0"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<section class="comment-thread"')
    assert "Con htmx" in body and "Your comment is published." in body and "<html" not in body
    response = client.post(create_url(government), {"body": "", "alignment": "0"}, **HTMX)
    assert "This field is required." in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_closed_objects_say_why_and_refuse_posts(english, client, government, proposals):
    client.force_login(UserFactory())
    body = fragment(client, government, pk=2).content.decode()
    assert "Los comentarios de esta propuesta están cerrados." in body and "comment-form" not in body
    response = client.post(create_url(government, 2), {"body": "Hola", "alignment": "0"})
    assert response.status_code == 400 and "cerrados" in response.content.decode()


def test_unconfirmed_addresses_are_asked_to_confirm(english, client, government, proposals):
    client.force_login(UserFactory(email_verified_at=None))
    assert "Confirm your e-mail address to comment." in fragment(client, government).content.decode()
    response = client.post(create_url(government), {"body": "Hola", "alignment": "0"})
    assert response.status_code == 400 and "Confirm your e-mail address" in response.content.decode()


@override_settings(COMMENTS_PER_MINUTE=2, COMMENTS_PER_HOUR=50)
def test_comments_are_rate_limited_per_person(english, client, government, proposals):
    client.force_login(UserFactory())
    for n in range(2):
        assert client.post(create_url(government), {"body": f"Comentario {n}", "alignment": "0"}).status_code == 302
    response = client.post(create_url(government), {"body": "El tercero", "alignment": "0"})
    body = response.content.decode()
    assert response.status_code == 429 and "You wrote many comments in a short time" in body
    assert "El tercero</textarea>" in body
    with government_scope(government):
        assert Comment.objects.count() == 2
    client.force_login(UserFactory())  # somebody else is not held back
    assert client.post(create_url(government), {"body": "Otra persona", "alignment": "0"}).status_code == 302


@override_settings(COMMENT_VOTES_PER_MINUTE=1)
def test_votes_are_rate_limited_and_toggle(english, client, government, proposals):
    comment = write(government, proposals["open"])
    client.force_login(UserFactory())
    url = gov_url(government, "core:comment_vote", pk=comment.pk)
    assert client.post(url, {"voto": "1"}).status_code == 302
    response = client.post(url, {"voto": "1"}, **HTMX)
    assert "You voted many times" in response.content.decode()
    comment.refresh_from_db()
    assert comment.votes_up == 1


def test_report_page_and_the_automatic_hiding(english, client, government, proposals):
    configure(government, reports_to_hide=2)
    comment = write(government, proposals["open"], body="Compre en mi tienda")
    url = gov_url(government, "core:comment_report", pk=comment.pk)
    for n in range(2):
        client.force_login(UserFactory())
        assert "Report a comment" in client.get(url).content.decode()
        if n == 0:
            response = client.post(url, {"reason": "other", "details": ""})
            assert response.status_code == 400 and "Say what is wrong" in response.content.decode()
        assert client.post(url, {"reason": "spam"}).status_code == 302
    body = fragment(client, government).content.decode()
    assert "Compre en mi tienda" not in body and "Hidden while the moderators review" in body
    assert AuditEntry.objects.filter(action="core.comment.auto_hidden").count() == 1


def test_the_hidden_reason_is_public_and_the_author_appeals(english, client, government, proposals):
    author = UserFactory()
    comment = write(government, proposals["open"], actor=author, body="Texto ofensivo")
    with government_scope(government):
        comments.comment_hide(actor=None, government=government, comment=comment, reason="Insulta a un vecino")
    body = fragment(client, government).content.decode()
    assert "Hidden by the moderators: Insulta a un vecino" in body and "Texto ofensivo" not in body
    url = gov_url(government, "core:comment_appeal", pk=comment.pk)
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404  # only the author
    client.force_login(author)
    assert "Appeal: ask for your comment to be shown" in fragment(client, government).content.decode()
    response = client.post(url, {"text": ""})
    assert response.status_code == 400
    assert client.post(url, {"text": "No insulté a nadie."}).status_code == 302
    assert "You appealed on" in client.get(url).content.decode()
    assert "Your appeal: Waiting for review" in fragment(client, government).content.decode()


def test_edit_and_delete_pages(english, client, government, proposals):
    author = UserFactory()
    comment = write(government, proposals["open"], actor=author, body="Primera versión")
    reply = write(government, proposals["open"], parent=comment, body="Respuesta")
    edit = gov_url(government, "core:comment_edit", pk=comment.pk)
    delete = gov_url(government, "core:comment_delete", pk=comment.pk)
    client.force_login(UserFactory())
    assert client.get(edit).status_code == 404 and client.get(delete).status_code == 404
    client.force_login(author)
    assert "Primera versión</textarea>" in client.get(edit).content.decode()
    with government_scope(government):
        Comment.objects.filter(pk=comment.pk).update(created_at=comment.created_at - dt.timedelta(minutes=20))
    late = client.get(edit)
    assert late.status_code == 302 and late["Location"].endswith(f"#comentario-{comment.pk}")
    with government_scope(government):
        Comment.objects.filter(pk=comment.pk).update(created_at=comment.created_at)
    assert client.post(edit, {"body": "Segunda versión"}).status_code == 302
    assert "Delete your comment?" in client.get(delete).content.decode()
    assert client.post(delete).status_code == 302
    body = fragment(client, government).content.decode()
    assert "Comment deleted by its author." in body and "Segunda versión" not in body and "Respuesta" in body
    assert reply.pk


def moderation_urls(government, comment):
    return [gov_url(government, "core:comment_queue"), gov_url(government, "core:comment_moderation", pk=comment.pk)]


def citizen_urls(government, comment):
    return [
        gov_url(government, "core:comment_vote", pk=comment.pk),
        gov_url(government, "core:comment_report", pk=comment.pk),
        gov_url(government, "core:comment_edit", pk=comment.pk),
        gov_url(government, "core:comment_delete", pk=comment.pk),
        gov_url(government, "core:comment_appeal", pk=comment.pk),
        create_url(government),
    ]


def test_role_matrix_of_the_moderation_pages(client, government, other_government, proposals):
    comment = write(government, proposals["open"])
    assert_role_matrix(
        client,
        government,
        other_government,
        "consulta",
        other_module="budget",
        public=[],
        viewer=[],
        editor=moderation_urls(government, comment),
    )
    settings_url = gov_url(government, "core:comment_settings")
    for role, module, status in (("editor", "consulta", 403), ("admin", "", 200)):
        login_verified(client, make_official(government, role, module))
        assert client.get(settings_url).status_code == status, role
    client.logout()
    for url in citizen_urls(government, comment):
        response = client.post(url)
        assert response.status_code == 302 and "/cuenta/" in response["Location"], url


def test_another_governments_comments_are_404(client, government, other_government, proposals):
    comment = write(government, proposals["open"])
    login_verified(client, make_official(other_government, "admin"))
    assert_foreign_government_404(
        client,
        other_government,
        [thread_url(government), *citizen_urls(government, comment)[1:5], moderation_urls(government, comment)[1]],
        government,
    )
    for url in (gov_url(other_government, "core:comment_vote", pk=comment.pk), create_url(other_government, 1)):
        assert client.post(url, {"voto": "1", "body": "x", "alignment": "0"}).status_code == 404
    # the other government's own object is not reachable through this government either
    client.force_login(UserFactory())
    assert client.post(create_url(government, 3), {"body": "x", "alignment": "0"}).status_code == 404


def test_a_moderator_of_another_module_cannot_open_this_comment(client, government, proposals, monkeypatch):
    comment = write(government, proposals["open"])
    from minga.core import registry
    from minga.core.registry import CommentTarget, ModuleManifest

    other = CommentTarget(
        key="otro.cosa",
        module="otro",
        label="Cosa",
        lookup=lambda *a: None,
        url=lambda o: "/",
        describe=lambda g, i: {},
    )
    manifests = registry.manifests()
    monkeypatch.setattr(
        registry, "manifests", lambda: [*manifests, ModuleManifest(key="otro", label="Otro", comment_targets=(other,))]
    )
    import rules

    from minga.core.permissions import role_predicate

    rules.set_perm("otro.moderate", role_predicate("otro", "editor"))
    try:
        login_verified(client, make_official(government, "editor", "otro"))
        assert client.get(gov_url(government, "core:comment_queue")).status_code == 200
        assert (
            "Me parece bien."
            not in client.get(gov_url(government, "core:comment_queue") + "?estado=todos").content.decode()
        )
        assert client.get(moderation_urls(government, comment)[1]).status_code == 403
    finally:
        rules.remove_perm("otro.moderate")


def test_moderators_work_the_queue(english, client, government, proposals):
    moderator = make_official(government, "editor", "consulta")
    login_verified(client, moderator)
    quiet = write(government, proposals["open"], body="Sin problemas")
    reported = write(government, proposals["open"], body="Denunciado")
    with government_scope(government):
        comments.comment_report(actor=UserFactory(), government=government, comment=reported, reason="spam")
    queue = client.get(gov_url(government, "core:comment_queue")).content.decode()
    assert "Denunciado" in queue and "Sin problemas" not in queue and "1 report" in queue
    assert "Parque en La Pila" in queue
    waiting = client.get(gov_url(government, "core:comment_queue") + "?estado=sin-respuesta").content.decode()
    assert "Sin problemas" in waiting
    url = gov_url(government, "core:comment_moderation", pk=reported.pk)
    page = client.get(url).content.decode()
    assert "Spam or advertising" in page
    response = client.post(url, {"accion": "ocultar", "reason": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert client.post(url, {"accion": "ocultar", "reason": "Publicidad"}).status_code == 302
    with government_scope(government):
        assert CommentReport.objects.get().state == "upheld"
        assert Comment.objects.get(pk=reported.pk).hidden_reason == "Publicidad"
    assert "Publicidad" in fragment(client, government).content.decode()
    assert client.post(url, {"accion": "mostrar"}).status_code == 302
    answer_url = gov_url(government, "core:comment_moderation", pk=quiet.pk)
    assert client.post(answer_url, {"accion": "responder", "answer": "Gracias por escribir."}).status_code == 302
    body = fragment(client, government).content.decode()
    assert "Official answer" in body and "Gracias por escribir." in body
    actions = list(AuditEntry.objects.filter(action__startswith="core.comment").values_list("action", flat=True))
    assert actions == ["core.comment.hidden", "core.comment.restored", "core.comment.answered"]


def test_moderators_decide_appeals(english, client, government, proposals):
    author = UserFactory()
    comment = write(government, proposals["open"], actor=author)
    with government_scope(government):
        comments.comment_hide(actor=None, government=government, comment=comment, reason="Insultos")
        comments.appeal_create(actor=author, government=government, comment=comment, text="Fue un malentendido.")
    login_verified(client, make_official(government, "editor", "consulta"))
    queue = client.get(gov_url(government, "core:comment_queue")).content.decode()
    assert "Appeal to decide" in queue
    url = gov_url(government, "core:comment_moderation", pk=comment.pk)
    assert "Fue un malentendido." in client.get(url).content.decode()
    response = client.post(url, {"accion": "apelacion", "decision": "rechazar", "note": ""})
    assert response.status_code == 400 and "the author reads it" in response.content.decode()
    assert client.post(url, {"accion": "apelacion", "decision": "aceptar", "note": ""}).status_code == 302
    comment.refresh_from_db()
    assert comment.status == "visible"


def test_administrators_set_the_threshold(english, client, government):
    login_verified(client, make_official(government, "admin"))
    url = gov_url(government, "core:comment_settings")
    assert "Reports that hide a comment" in client.get(url).content.decode()
    response = client.post(url, {"reports_to_hide": "0", "max_length": "1000", "edit_minutes": "15"})
    assert response.status_code == 400
    assert client.post(url, {"reports_to_hide": "5", "max_length": "800", "edit_minutes": "10"}).status_code == 302
    government.refresh_from_db()
    assert government.module_settings("comments") == {"reports_to_hide": 5, "max_length": 800, "edit_minutes": 10}
    assert AuditEntry.objects.filter(action="core.module.configured").exists()
