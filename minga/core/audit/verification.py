"""`minga audit verify`: recompute every chain and compare it with what must exist.

What must exist comes from sources a database writer without the audit key cannot rewrite
unnoticed: every government has a chain; every government the platform chain records as
created has one; every signed checkpoint names chains with a length and a head hash; and a file
of heads saved earlier from the public feed (`--against`) names chains the same way. A chain
that is missing, shorter than any of these say, or has another hash at a recorded position is
reported, as is any entry whose HMAC does not match under the key it names.

Entries written before the log was keyed carry no key id and a plain SHA-256 hash ("legacy").
They are accepted only at the start of a chain and only when anchored: followed by a keyed
entry (whose HMAC covers their hash) or covered by a signed checkpoint."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction

from ..tenancy.models import Government
from .keys import verifying_keys
from .models import AuditChain, AuditCheckpoint, AuditEntry
from .services import PLATFORM_CHAIN, checkpoint_create, checkpoint_payload, entry_digest, legacy_digest

TAMPERED = "tampered"
# Legacy entries not yet anchored: the one-time `minga audit checkpoint --anchor-legacy`
# resolves this after upgrading; anything else needs investigating.
UNANCHORED_LEGACY = "unanchored-legacy"


class Problem(str):
    """A problem found, as text, with its kind."""

    kind: str

    def __new__(cls, text: str, kind: str = TAMPERED) -> Problem:
        problem = super().__new__(cls, text)
        problem.kind = kind
        return problem


@dataclass(frozen=True)
class SavedHead:
    chain: str
    sequence: int
    hash: str
    source: str


class SavedHeadsError(ValueError):
    pass


def load_saved_heads(text: str, *, source: str = "saved heads") -> list[SavedHead]:
    """Heads from a copy of the public feed (`/auditoria/cabezas.json`): the whole feed, one
    of its checkpoints, or a list of heads ({"chain", "sequence", "hash"})."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise SavedHeadsError(f"{source}: not JSON ({error})") from error
    if isinstance(data, dict) and "checkpoints" in data:
        checkpoints = data["checkpoints"]
    elif isinstance(data, dict) and "heads" in data:
        checkpoints = [data]
    elif isinstance(data, list):
        checkpoints = [{"heads": data}]
    else:
        raise SavedHeadsError(f"{source}: expected the heads feed, a checkpoint or a list of heads")
    heads = []
    for checkpoint in checkpoints:
        label = f"{source}, checkpoint {checkpoint.get('sequence', '?')}"
        for head in checkpoint.get("heads", []):
            try:
                chain, sequence, digest = str(head["chain"]), int(head["sequence"]), str(head["hash"])
            except (KeyError, TypeError, ValueError) as error:
                raise SavedHeadsError(f"{label}: a head needs chain, sequence and hash") from error
            heads.append(SavedHead(chain=chain, sequence=sequence, hash=digest, source=label))
    return heads


def _checkpoints(keys, problems: list[Problem]) -> list[AuditCheckpoint]:
    """The checkpoints whose signature verifies; forged or unverifiable ones and gaps in the
    numbering are reported."""
    valid, numbers = [], []
    for checkpoint in AuditCheckpoint.objects.order_by("sequence").iterator():
        numbers.append(checkpoint.sequence)
        key = keys.get(checkpoint.key_id)
        if key is None:
            problems.append(
                Problem(f"checkpoint {checkpoint.sequence}: signed with unknown key id '{checkpoint.key_id}'")
            )
        elif key.sign(checkpoint_payload(checkpoint)) != checkpoint.signature:
            problems.append(Problem(f"checkpoint {checkpoint.sequence}: signature does not match (forged or altered)"))
        else:
            valid.append(checkpoint)
    missing = sorted(set(range(1, numbers[-1] + 1)) - set(numbers)) if numbers else []
    if missing:
        problems.append(Problem(f"checkpoints {', '.join(map(str, missing))} are missing (deleted)"))
    return valid


def _required_chains() -> dict[str, str]:
    """Chains that must exist, with the reason."""
    required = {f"government:{pk}": f"government {pk} exists" for pk in Government.objects.values_list("pk", flat=True)}
    created = AuditEntry.objects.filter(chain_key=PLATFORM_CHAIN, action="core.government.created")
    for object_id in created.values_list("object_id", flat=True):
        required.setdefault(f"government:{object_id}", f"the platform chain records government {object_id} as created")
    return required


@contextmanager
def one_snapshot() -> Iterator[None]:
    """Every query inside reads the database as it was at the first one. Officials keep
    writing while the log is verified: read piecemeal, a chain's head and its entries could
    come from different moments and an entry appended in between would look like tampering.
    PostgreSQL: a REPEATABLE READ, READ ONLY transaction. SQLite (WAL): a deferred read
    transaction, which does not hold writers back (Django's transactions there begin
    IMMEDIATE, which would). Inside a caller's transaction, that transaction decides."""
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
        return
    with transaction.atomic():
        yield


def verify_chains(*, against: list[SavedHead] | None = None) -> list[Problem]:
    """Problems found in every chain; an empty list means the log is intact. Reads one
    snapshot of the database (see `one_snapshot`)."""
    with one_snapshot():
        return _verify_chains(against)


def _verify_chains(against: list[SavedHead] | None) -> list[Problem]:
    problems: list[Problem] = []
    keys = verifying_keys()
    checkpoints = _checkpoints(keys, problems)

    # chain -> {position: {hash: first source}} and chain -> (length at least, source); daily
    # checkpoints repeat unchanged heads, so positions are kept once.
    expected: dict[str, dict[int, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    at_least: dict[str, tuple[int, str]] = {}
    anchored_up_to: dict[str, int] = defaultdict(int)
    recorded = [
        (chain, int(sequence), digest, f"checkpoint {checkpoint.sequence}")
        for checkpoint in checkpoints
        for chain, sequence, digest in checkpoint.heads
    ]
    for chain, sequence, _digest, _source in recorded:
        anchored_up_to[chain] = max(anchored_up_to[chain], sequence)
    recorded += [(head.chain, head.sequence, head.hash, head.source) for head in against or []]
    for chain, sequence, digest, source in recorded:
        if sequence > 0:
            expected[chain][sequence].setdefault(digest, source)
        if sequence >= at_least.get(chain, (-1, ""))[0]:
            at_least[chain] = (sequence, source)

    required = _required_chains()
    heads = {chain.key: chain for chain in AuditChain.objects.all()}
    present = set(AuditEntry.objects.values_list("chain_key", flat=True).distinct())
    for key in sorted(set(heads) | present | set(required) | set(at_least)):
        if key not in heads and key not in present:
            reason = required.get(key) or f"{at_least[key][1]} names it"
            problems.append(Problem(f"{key}: the chain is missing ({reason})"))
            continue
        chain_problems, length = _verify_chain(key, heads.get(key), keys, expected.get(key, {}), anchored_up_to[key])
        problems += chain_problems
        if key in at_least and length < at_least[key][0]:
            sequence, source = at_least[key]
            problems.append(
                Problem(f"{key}: {source} records {sequence} entries, {length} remain; entries were removed")
            )
    return problems


def _verify_chain(key, head, keys, expected, anchored_up_to: int) -> tuple[list[Problem], int]:
    """The chain's problems and how many entries it holds."""
    problems: list[Problem] = []
    previous_hash, expected_sequence, length = "", 1, 0
    legacy_last, keyed_seen, anchored = 0, False, False
    for entry in AuditEntry.objects.filter(chain_key=key).order_by("sequence").iterator():
        label = f"{key}#{entry.sequence} (id {entry.pk})"
        if entry.sequence != expected_sequence:
            problems.append(Problem(f"{label}: expected sequence {expected_sequence}; entries are missing"))
        if entry.previous_hash != previous_hash:
            problems.append(Problem(f"{label}: does not follow the previous entry"))
        if not entry.key_id:
            if keyed_seen:
                problems.append(Problem(f"{label}: an entry without a key after keyed entries (rewritten)"))
            legacy_last = entry.sequence
            if legacy_digest(entry) != entry.entry_hash:
                problems.append(Problem(f"{label}: content does not match its hash (edited)"))
        elif (audit_key := keys.get(entry.key_id)) is None:
            problems.append(Problem(f"{label}: made with unknown key id '{entry.key_id}'"))
        else:
            if legacy_last and not keyed_seen:
                anchored = True  # this entry's HMAC covers the hash of the legacy entries before it
            keyed_seen = True
            if entry_digest(entry, audit_key) != entry.entry_hash:
                problems.append(Problem(f"{label}: content does not match its hash (edited)"))
        for digest, source in expected.get(entry.sequence, {}).items():
            if digest != entry.entry_hash:
                problems.append(Problem(f"{label}: differs from the hash {source} recorded"))
        previous_hash, expected_sequence, length = entry.entry_hash, entry.sequence + 1, length + 1
    last_sequence = expected_sequence - 1
    if head is None:
        if last_sequence:
            problems.append(Problem(f"{key}: the chain's head is missing"))
    elif head.last_hash != previous_hash or head.last_sequence != last_sequence:
        problems.append(Problem(f"{key}: the head does not point at the last entry; the last entries were removed"))
    if legacy_last and not anchored and anchored_up_to < legacy_last:
        problems.append(
            Problem(
                f"{key}: entries 1-{legacy_last} were made before the log was keyed and no signed checkpoint "
                "covers them; after upgrading run `minga audit checkpoint --anchor-legacy` once",
                UNANCHORED_LEGACY,
            )
        )
    return problems, length


class CheckpointRefused(Exception):
    def __init__(self, problems: list[Problem], reason: str):
        super().__init__(reason)
        self.problems = problems


def checkpoint_if_intact(*, anchor_legacy: bool = False, now=None) -> AuditCheckpoint:
    """Verify, then sign a checkpoint. Refuses when the log is not intact, since a checkpoint
    of a tampered log would vouch for it. `anchor_legacy` (once, after upgrading) also signs
    chains whose legacy entries no checkpoint covers yet."""
    problems = verify_chains()
    blocking = [p for p in problems if not (anchor_legacy and p.kind == UNANCHORED_LEGACY)]
    if blocking:
        raise CheckpointRefused(problems, "the audit log is not intact")
    if problems and AuditCheckpoint.objects.exists():
        # Checkpoints exist, so legacy entries were anchored once: unanchored ones now were
        # rewritten, or their checkpoints deleted.
        raise CheckpointRefused(problems, "checkpoints exist already; legacy entries cannot be anchored again")
    # Entries appended meanwhile are keyed and chained to what was just verified.
    return checkpoint_create(now=now)
