"""The development outbox: e-mails are not sent but written, one .eml file per message, to
EMAIL_FILE_PATH (var/outbox/ in development), where a mail program opens them, and listed for the
platform administrator at /plataforma/correo/. Production sends them (SMTP)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import itertools
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django.utils.text import slugify

OUTBOX_BACKEND = "minga.core.mail.OutboxBackend"
_counter = itertools.count()


def outbox_enabled() -> bool:
    return settings.EMAIL_BACKEND == OUTBOX_BACKEND


def outbox_path() -> Path:
    return Path(settings.EMAIL_FILE_PATH)


class OutboxBackend(BaseEmailBackend):
    """Writes each message to its own file, named by the time it was sent and its subject."""

    def send_messages(self, email_messages) -> int:
        folder = outbox_path()
        folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
            name = f"{stamp}-{next(_counter) % 1000:03d}-{slugify(message.subject)[:50] or 'mensaje'}.eml"
            (folder / name).write_bytes(message.message().as_bytes(linesep="\n"))
            sent += 1
        return sent


@dataclass(frozen=True)
class OutboxMessage:
    name: str
    sent_at: dt.datetime
    sender: str
    to: str
    subject: str
    body: str


def outbox_messages(limit: int = 50) -> list[OutboxMessage]:
    """The latest messages of the outbox, newest first."""
    folder = outbox_path()
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.eml"), reverse=True)[:limit]:
        parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        part = parsed.get_body(preferencelist=("plain", "html"))
        found.append(
            OutboxMessage(
                name=path.name,
                sent_at=dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC),
                sender=str(parsed.get("From", "")),
                to=str(parsed.get("To", "")),
                subject=str(parsed.get("Subject", "")),
                body=part.get_content() if part is not None else "",
            )
        )
    return found
