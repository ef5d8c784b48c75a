"""Demo comments on the articles of the demo acts open for comments: neighbours comment with a
position, some quote a passage, others vote for the comments they share; an official answers
one comment and the committee answers on an article. Runs after the council's demo seed."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from minga.core.comments import services as comments
from minga.core.comments.models import Comment

from ..acts.models import Act
from . import selectors, services
from .rules import TARGET, closed_reason

NEIGHBOURS = 6
# (article index among the commentable units, position, text, words quoted from the article or "")
COMMENTS = (
    (0, 1, "Estoy de acuerdo con el objeto de la ordenanza; hace falta desde hace años.", ""),
    (0, -1, "El objeto es muy amplio: debería decir a quién obliga exactamente.", "objeto"),
    (1, 0, "¿Cómo se va a controlar esto en las parroquias más alejadas?", ""),
    (1, 1, "Que las juntas parroquiales participen en el control.", "gobierno"),
    (2, -1, "El plazo es demasiado corto para los pequeños productores.", ""),
)
OFFICIAL_ANSWER = (
    "La comisión recogerá esta observación en el informe para el segundo debate y propondrá precisar a quién "
    "obliga la ordenanza."
)
COMMITTEE_ANSWER = (
    "La comisión revisó los comentarios sobre este artículo: se precisará su alcance en el texto para segundo "
    "debate, con la participación de las juntas parroquiales."
)


def _neighbours(government, now) -> list:
    User = get_user_model()
    domain = f"{government.slug}.demo.minga.ec"
    emails = [f"vecino{number}@{domain}" for number in range(1, NEIGHBOURS + 1)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(
                email=email,
                full_name=f"Vecina o vecino {index}",
                date_joined=now,
                email_verified_at=now,
                password=unusable,
            )
            for index, email in enumerate(emails, start=1)
            if email not in existing
        ]
    )
    return list(User.objects.filter(email__in=emails).order_by("pk"))


def _quote(unit, word: str) -> dict:
    """A passage of the article around ``word`` (or its first words), with its offsets."""
    text = unit.body or ""
    at = text.lower().find(word) if word else -1
    start = at if at >= 0 else 0
    end = min(len(text), start + 60)
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    quote = text[start:end].strip()
    if not quote:
        return {}
    start = text.find(quote, start)
    return {"quote": quote, "quote_start": start, "quote_end": start + len(quote)}


def seed(government, *, now: dt.datetime, stdout=None) -> None:
    if Comment.objects.for_government(government).filter(target_key=TARGET).exists():
        return
    today = timezone.localtime(now).date()
    acts = [
        act
        for act in Act.objects.for_government(government).published().filter(kind="ordinance").order_by("identifier")
        if not closed_reason(act, today)
    ][:3]
    people = _neighbours(government, now)
    written = 0
    for act_index, act in enumerate(acts):
        version = selectors.latest_version(act)
        units = list(selectors.commentable_units(version)) if version is not None else []
        if not units:
            continue
        for index, (unit_index, alignment, body, word) in enumerate(COMMENTS):
            unit = units[min(unit_index, len(units) - 1)]
            unit.version.act = act
            author = people[(index + act_index) % len(people)]
            extra = _quote(unit, word) if word or index == 0 else {}
            comment = comments.comment_create(
                actor=author,
                government=government,
                target_key=TARGET,
                obj=unit,
                body=body,
                alignment=alignment,
                extra=extra,
                now=now - dt.timedelta(hours=30 - index),
            )
            written += 1
            for voter in people[: (len(COMMENTS) - index) % len(people)]:
                if voter.pk != author.pk:
                    comments.comment_vote(actor=voter, government=government, comment=comment, value=1, now=now)
            if index == 1 and act_index == 0:
                comments.comment_answer(
                    actor=None, government=government, comment=comment, body=OFFICIAL_ANSWER, now=now
                )
        if act_index == 0:
            services.answer_save(actor=None, government=government, unit=units[0], body=COMMITTEE_ANSWER, now=now)
    if stdout is not None:
        stdout.write(f"  concejo: {written} comentarios ciudadanos en artículos de {len(acts)} proyectos\n")
