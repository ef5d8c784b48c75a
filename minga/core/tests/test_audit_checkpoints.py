"""Signed checkpoints, the public page and feed of chain heads, key rotation, entries made
before the log was keyed, and the deploy check of the key."""

import json
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from minga.core.audit import verification
from minga.core.audit.checks import audit_key_check
from minga.core.audit.keys import development_key
from minga.core.audit.models import AuditChain, AuditCheckpoint, AuditEntry
from minga.core.audit.services import legacy_digest, record
from minga.core.audit.tasks import verify_audit_chains
from minga.core.audit.verification import CheckpointRefused, checkpoint_if_intact, verify_chains
from minga.core.testing import GovernmentFactory, UserFactory

pytestmark = pytest.mark.django_db

OLD_KEY = "2025a:" + "o" * 40
NEW_KEY = "2026b:" + "n" * 40


def _entries(government, n=3):
    return [record(actor=None, government=government, action="core.test.done", changes={"n": i}) for i in range(n)]


def test_the_daily_job_signs_a_checkpoint_of_every_chain(government, other_government):
    entries = _entries(government)
    _entries(other_government, 1)
    assert verify_audit_chains.call() == []
    checkpoint = AuditCheckpoint.objects.get()
    assert checkpoint.sequence == 1 and checkpoint.key_id == "dev"
    assert [entries[0].chain_key, 3, entries[2].entry_hash] in checkpoint.heads
    assert [
        f"government:{other_government.pk}",
        1,
        AuditChain.objects.get(key=f"government:{other_government.pk}").last_hash,
    ] in (checkpoint.heads)
    assert verify_chains() == []


def test_no_checkpoint_is_signed_for_a_tampered_log(government):
    entries = _entries(government)
    AuditEntry.objects.filter(pk=entries[1].pk).update(action="core.test.other")
    problems = verify_audit_chains.call()
    assert any("edited" in p for p in problems)
    assert not AuditCheckpoint.objects.exists()


def test_a_forged_checkpoint_is_reported(government):
    _entries(government)
    checkpoint = checkpoint_if_intact()
    heads = [[chain, sequence + 5, digest] for chain, sequence, digest in checkpoint.heads]
    AuditCheckpoint.objects.filter(pk=checkpoint.pk).update(heads=heads)
    assert any("signature does not match" in p for p in verify_chains())


def test_a_deleted_checkpoint_in_the_middle_is_reported(government):
    for _ in range(3):
        _entries(government, 1)
        checkpoint_if_intact()
    AuditCheckpoint.objects.filter(sequence=2).delete()
    assert any("checkpoints 2 are missing" in p for p in verify_chains())


def test_the_checkpoint_command_signs_on_demand(government):
    _entries(government)
    out = StringIO()
    call_command("audit", "checkpoint", stdout=out)
    assert "Checkpoint 1 signed with key 'dev'" in out.getvalue()
    call_command("audit", "verify", stdout=out)
    assert "against 1 signed checkpoint(s)" in out.getvalue()


def test_key_rotation_keeps_old_entries_verifiable(government):
    with override_settings(AUDIT_KEY=OLD_KEY):
        old = _entries(government, 2)
        checkpoint_if_intact()
    assert {e.key_id for e in old} == {"2025a"}
    with override_settings(AUDIT_KEY=NEW_KEY, AUDIT_KEY_FALLBACKS=[OLD_KEY]):
        new = record(actor=None, government=government, action="core.test.done")
        checkpoint = checkpoint_if_intact()
        assert new.key_id == "2026b" and new.previous_hash == old[-1].entry_hash
        assert checkpoint.key_id == "2026b"
        assert verify_chains() == []
    with override_settings(AUDIT_KEY=NEW_KEY, AUDIT_KEY_FALLBACKS=[]):
        problems = verify_chains()
    assert any("unknown key id '2025a'" in p for p in problems)


def _legacy_chain(government, n=3):
    """Entries as they were written before the log was keyed."""
    entries = _entries(government, n)
    previous = ""
    for entry in entries:
        entry.previous_hash, entry.key_id = previous, ""
        entry.entry_hash = legacy_digest(entry)
        AuditEntry.objects.filter(pk=entry.pk).update(
            previous_hash=entry.previous_hash, key_id="", entry_hash=entry.entry_hash
        )
        previous = entry.entry_hash
    AuditChain.objects.filter(key=entries[0].chain_key).update(last_hash=previous)
    return entries


def test_legacy_entries_are_anchored_once_after_upgrading(government):
    _legacy_chain(government)
    problems = verify_chains()
    assert len(problems) == 1 and "run `minga audit checkpoint --anchor-legacy` once" in problems[0]
    with pytest.raises(CheckpointRefused):
        checkpoint_if_intact()
    call_command("audit", "checkpoint", "--anchor-legacy", stdout=StringIO())
    assert verify_chains() == []
    record(actor=None, government=government, action="core.test.done")
    checkpoint_if_intact()
    assert verify_chains() == []


def test_legacy_entries_followed_by_a_keyed_entry_are_anchored_by_it(government):
    _legacy_chain(government)
    record(actor=None, government=government, action="core.test.done")
    assert verify_chains() == []


def test_legacy_entries_cannot_be_anchored_again_once_checkpoints_exist(government, other_government):
    _entries(other_government, 1)
    checkpoint_if_intact()
    _legacy_chain(government)  # rewritten as legacy after checkpoints began
    with pytest.raises(CheckpointRefused, match="cannot be anchored again"):
        checkpoint_if_intact(anchor_legacy=True)


def test_an_edited_legacy_entry_is_caught_after_anchoring(government):
    entries = _legacy_chain(government)
    checkpoint_if_intact(anchor_legacy=True)
    AuditEntry.objects.filter(pk=entries[1].pk).update(action="core.test.other")
    assert any("edited" in p for p in verify_chains())


def test_the_heads_page_is_public_in_spanish_and_english(client, government):
    entries = _entries(government)
    assert 'href="/auditoria/cabezas/"' in client.get("/").text
    response = client.get("/auditoria/cabezas/")
    assert response.status_code == 200
    assert "Aún no se ha firmado ningún punto de control" in response.text
    checkpoint_if_intact()
    response = client.get("/auditoria/cabezas/")
    assert "Registro de auditoría: cabezas firmadas de las cadenas" in response.text
    assert entries[2].entry_hash in response.text
    assert government.name in response.text  # people read the name; the feed keeps the slug
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert "Audit log: signed chain heads" in client.get("/auditoria/cabezas/").text


def test_the_heads_feed_lists_the_daily_checkpoints(client, government):
    entries = _entries(government)
    first = checkpoint_if_intact()
    record(actor=None, government=government, action="core.test.done")
    second = checkpoint_if_intact()  # same day: the feed keeps the day's last one
    response = client.get("/auditoria/cabezas.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert [c["sequence"] for c in data["checkpoints"]] == [second.sequence]
    heads = {h["chain"]: h for h in data["checkpoints"][0]["heads"]}
    assert heads[entries[0].chain_key] == {
        "chain": entries[0].chain_key,
        "government": "manabi",
        "sequence": 4,
        "hash": AuditChain.objects.get(key=entries[0].chain_key).last_hash,
    }
    assert data["checkpoints"][0]["signature"] == second.signature != first.signature
    json.dumps(data)


def test_the_deploy_check_requires_a_key_of_its_own(settings):
    settings.AUDIT_KEY = development_key(settings.SECRET_KEY)
    assert [e.id for e in audit_key_check(None)] == ["minga.E101"]
    settings.AUDIT_KEY = "prod:short"
    assert "shorter than 32" in audit_key_check(None)[0].msg
    settings.AUDIT_KEY = ""
    assert "not set" in audit_key_check(None)[0].msg
    settings.AUDIT_KEY = NEW_KEY
    settings.AUDIT_KEY_FALLBACKS = [OLD_KEY]
    assert audit_key_check(None) == []


@pytest.mark.django_db(transaction=True)
def test_verify_reads_one_snapshot_while_officials_keep_writing(monkeypatch):
    """The daily verification runs while officials write: an entry committed between reading
    the chains' heads and reading their entries must not look like tampering (it did: "the
    head does not point at the last entry"). On SQLite the test database is in memory, where
    another connection's write waits for the reader instead; the file database runs in WAL
    mode, whose read transactions are snapshots as well."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a second connection writing beside the reader (PostgreSQL)")
    government = GovernmentFactory()
    actor = UserFactory()
    for number in range(3):
        record(actor=actor, government=government, action="core.test.done", changes={"n": [number, number + 1]})

    def write_from_another_connection():
        try:
            record(actor=None, government=government, action="core.test.meanwhile")
        finally:
            connection.close()  # this thread's connection

    original, written = verification._verify_chain, []

    def verify_chain_after_a_write(*args, **kwargs):
        if not written:
            thread = threading.Thread(target=write_from_another_connection)
            thread.start()
            thread.join()
            written.append(True)
        return original(*args, **kwargs)

    monkeypatch.setattr(verification, "_verify_chain", verify_chain_after_a_write)
    assert verification.verify_chains() == []
    assert written
    monkeypatch.setattr(verification, "_verify_chain", original)
    assert verification.verify_chains() == []  # and the entry written meanwhile verifies too
