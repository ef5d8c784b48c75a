"""Citizen oversight of a work in core's comment threads: the public project as a comment
target ("works.project"). Citizens write a comment or a field observation (with photos whose
metadata is removed); writing one makes them follow the work; the works' editors moderate
and answer in the government's name (`works.moderate`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minga.core.notifications import services as notifications
from minga.core.registry import CommentTarget
from minga.core.tenancy.paths import government_path

from .forms import ObservationPhotosForm
from .models import Photo, Project

TARGET = "works.project"
COMMENT = "comment"
OBSERVATION = "observation"
KINDS = ((COMMENT, gettext_lazy("Comment")), (OBSERVATION, gettext_lazy("Field observation")))
MAX_LENGTH = 3000


def lookup(government, object_id: int, user):
    return Project.objects.for_government(government).published().filter(pk=object_id).first()


def url(project: Project) -> str:
    return government_path("works:project_detail", slug=project.slug)


def describe(government, ids: list[int]) -> dict[int, tuple[str, str]]:
    found = {}
    for project in (
        Project.objects.for_government(government).filter(pk__in=ids).only("pk", "slug", "title", "is_published")
    ):
        if project.is_published:
            path = government_path("works:project_detail", slug=project.slug)
        else:
            path = government_path("works:office_project", pk=project.pk)
        found[project.pk] = (project.title, path)
    return found


def closed_reason(project: Project, user) -> str:
    return "" if project.is_published else _("This project is not public.")


def on_created(*, government, comment, obj, data, now) -> None:
    """Save the photos of a field observation, and make the author follow the work."""
    from . import services

    photos = [photo for photo in data.get("photos") or [] if photo]
    cleaned = services.cleaned_photos(photos, keep_position=False)
    if cleaned and comment.kind != OBSERVATION:
        raise ValidationError({"photos": _("Photos go with a field observation.")})
    services.save_photos(cleaned, government=government, project=obj, now=now, comment=comment)
    notifications.follow(user=comment.author, government=government, target=obj, now=now)


def attachments(government, comments) -> dict[int, str]:
    """The photos of citizens' observations, under their text."""
    by_comment: dict[int, list[Photo]] = {}
    photos = Photo.objects.for_government(government).filter(comment_id__in=[c.pk for c in comments]).order_by("pk")
    for photo in photos:
        by_comment.setdefault(photo.comment_id, []).append(photo)
    return {
        pk: render_to_string("works/includes/comment_photos.html", {"photos": found})
        for pk, found in by_comment.items()
    }


COMMENT_TARGETS = (
    CommentTarget(
        key=TARGET,
        module="works",
        label=gettext_lazy("Public work"),
        lookup=lookup,
        url=url,
        describe=describe,
        closed_reason=closed_reason,
        kinds=KINDS,
        max_length=MAX_LENGTH,
        extra_form=ObservationPhotosForm,
        on_created=on_created,
        attachments=attachments,
    ),
)
