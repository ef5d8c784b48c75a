"""`minga audit verify [--against FILE]`: recompute every audit chain, compare it with the signed
checkpoints (and with heads saved earlier from the public feed) and report any edited, missing
or removed entry or chain. Exits with status 1 when the log was tampered with.

`minga audit checkpoint [--anchor-legacy]`: verify, then sign a checkpoint of every chain's
head (the daily job does this too)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minga.core.audit.models import AuditCheckpoint, AuditEntry
from minga.core.audit.verification import (
    CheckpointRefused,
    SavedHeadsError,
    checkpoint_if_intact,
    load_saved_heads,
    verify_chains,
)


class Command(BaseCommand):
    help = "Audit log tools: `verify` checks the chains, `checkpoint` signs their heads."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "checkpoint"])
        parser.add_argument(
            "--against",
            action="append",
            default=[],
            metavar="FILE",
            help="verify: a copy of /auditoria/cabezas.json saved earlier (may be repeated).",
        )
        parser.add_argument(
            "--anchor-legacy",
            action="store_true",
            help="checkpoint: once after upgrading, also cover entries made before the log was keyed.",
        )

    def handle(self, *args, action, against, anchor_legacy, **options):
        if action == "checkpoint":
            self._checkpoint(anchor_legacy)
        else:
            self._verify(against)

    def _fail(self, problems, summary):
        for problem in problems:
            self.stderr.write(problem)
        self.stderr.write(self.style.ERROR(summary))
        sys.exit(1)

    def _verify(self, against):
        saved = []
        for name in against:
            try:
                saved += load_saved_heads(Path(name).read_text(encoding="utf-8"), source=name)
            except (OSError, SavedHeadsError) as error:
                raise CommandError(f"Cannot read saved heads: {error}") from error
        problems = verify_chains(against=saved)
        if problems:
            self._fail(problems, f"Audit log NOT intact: {len(problems)} problem(s).")
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit log intact: {AuditEntry.objects.count()} entries verified"
                f" against {AuditCheckpoint.objects.count()} signed checkpoint(s)"
                + (f" and {len(saved)} saved head(s)." if against else ".")
            )
        )

    def _checkpoint(self, anchor_legacy):
        try:
            checkpoint = checkpoint_if_intact(anchor_legacy=anchor_legacy)
        except CheckpointRefused as refused:
            self._fail(refused.problems, f"No checkpoint signed: {refused}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Checkpoint {checkpoint.sequence} signed with key '{checkpoint.key_id}':"
                f" {len(checkpoint.heads)} chain(s)."
            )
        )
