"""E-mails to the followers of a project when a progress update is posted, each in the
follower's language. The service schedules them with transaction.on_commit, so nobody hears
of an update that was rolled back."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from minga.core.tenancy.paths import government_link, government_path

from .models import Follow, ProgressUpdate


def _absolute(government, relative: str, origin: str) -> str:
    link = government_link(government, relative)
    if link.startswith("//"):
        return "https:" + link
    return (origin or settings.SITE_URL or "").rstrip("/") + link


def notify_followers(*, government, update_id: int, origin: str = "", exclude_user_id=None) -> int:
    update = (
        ProgressUpdate.objects.for_government(government)
        .select_related("project")
        .filter(pk=update_id, project__is_published=True)
        .first()
    )
    if update is None:
        return 0
    project = update.project
    follows = Follow.objects.for_government(government).filter(project=project).select_related("user")
    link = _absolute(government, government_path("works:project_detail", slug=project.slug), origin)
    sent = 0
    for follow in follows:
        user = follow.user
        if user.pk == exclude_user_id or not user.is_active or not user.email:
            continue
        context = {"government": government, "project": project, "update": update, "link": link, "user": user}
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = render_to_string("works/email/progress_subject.txt", context)
            body = render_to_string("works/email/progress.txt", context)
        send_mail(" ".join(subject.split()), body, None, [user.email])
        sent += 1
    return sent
