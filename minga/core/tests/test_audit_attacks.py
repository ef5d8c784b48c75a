"""The three ways the unkeyed audit log could be rewritten without `minga audit verify`
noticing: removing the newest entries and moving the head back, removing a whole government's
chain, and editing an entry then recomputing every hash. Each must now exit 1."""

import hashlib
import hmac
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from minga.core.audit.models import AuditChain, AuditCheckpoint, AuditEntry
from minga.core.audit.services import _entry_payload, canonical, legacy_digest, record
from minga.core.tenancy.models import Government
from minga.core.tenancy.services import government_create
from minga.core.testing import GovernmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def verify(*args) -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out, stderr=err)
    except SystemExit as exit_info:
        return exit_info.code, err.getvalue()
    return 0, out.getvalue()


def checkpoint():
    call_command("audit", "checkpoint", stdout=StringIO())


def _entries(government, n=5):
    actor = UserFactory()
    return [
        record(actor=actor, government=government, action="core.test.done", changes={"n": [i, i + 1]}) for i in range(n)
    ]


def _move_head(key, entry):
    AuditChain.objects.filter(key=key).update(last_sequence=entry.sequence, last_hash=entry.entry_hash)


# (a) delete the newest entries and move the head back


def test_removing_the_newest_entries_is_caught_by_the_signed_checkpoint(government):
    entries = _entries(government)
    checkpoint()
    assert verify()[0] == 0
    AuditEntry.objects.filter(pk__in=[e.pk for e in entries[3:]]).delete()
    _move_head(entries[0].chain_key, entries[2])
    code, output = verify()
    assert code == 1
    assert "entries were removed" in output


def test_removing_the_newest_entries_and_every_checkpoint_is_caught_by_saved_heads(client, government, tmp_path):
    entries = _entries(government)
    checkpoint()
    saved = tmp_path / "cabezas.json"
    saved.write_bytes(client.get("/auditoria/cabezas.json").content)
    assert verify("--against", str(saved))[0] == 0
    AuditEntry.objects.filter(pk__in=[e.pk for e in entries[3:]]).delete()
    _move_head(entries[0].chain_key, entries[2])
    AuditCheckpoint.objects.all().delete()
    code, output = verify("--against", str(saved))
    assert code == 1
    assert "entries were removed" in output


def test_a_rewritten_entry_at_a_saved_position_is_caught(government, tmp_path):
    entries = _entries(government, 2)
    saved = tmp_path / "heads.json"
    saved.write_text(json.dumps([{"chain": entries[1].chain_key, "sequence": 2, "hash": "0" * 64}]))
    code, output = verify("--against", str(saved))
    assert code == 1
    assert "differs from the hash" in output


# (b) delete a whole government's chain


def _delete_chain(government):
    key = f"government:{government.pk}"
    AuditEntry.objects.filter(chain_key=key).delete()
    AuditChain.objects.filter(key=key).delete()


def test_deleting_a_governments_chain_is_caught(government):
    _entries(government)
    assert verify()[0] == 0
    _delete_chain(government)
    code, output = verify()
    assert code == 1
    assert f"government:{government.pk}: the chain is missing" in output


def test_deleting_a_government_with_its_chain_is_caught_by_the_checkpoint(government):
    doomed = GovernmentFactory()
    _entries(doomed)
    _entries(government, 1)
    checkpoint()
    _delete_chain(doomed)
    Government.objects.filter(pk=doomed.pk).delete()
    code, output = verify()
    assert code == 1
    assert f"government:{doomed.pk}: the chain is missing (checkpoint 1 names it)" in output


def test_deleting_a_government_with_its_chain_is_caught_by_the_platform_chain(db):
    admin = UserFactory(is_superuser=True)
    doomed = government_create(
        actor=admin, name="Gobierno de Prueba", short_name="Prueba", slug="prueba", level="province", dpa_code="09"
    )
    government_create(actor=admin, name="Otro", short_name="Otro", slug="otro", level="province", dpa_code="07")
    _entries(doomed, 2)
    _delete_chain(doomed)
    Government.objects.filter(pk=doomed.pk).delete()
    code, output = verify()
    assert code == 1
    assert "the platform chain records government" in output


# (c) edit an entry and recompute every hash


def _rewrite(government, *, digest, key_id):
    """Change entry 2's content and recompute the whole chain with `digest`, as someone with
    write access to the database would."""
    key = f"government:{government.pk}"
    previous = ""
    for entry in AuditEntry.objects.filter(chain_key=key).order_by("sequence"):
        if entry.sequence == 2:
            entry.changes = {"n": [1, 999]}
        entry.previous_hash, entry.key_id = previous, key_id
        entry.entry_hash = digest(entry)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE core_auditentry SET changes = %s, previous_hash = %s, key_id = %s, entry_hash = %s WHERE id = %s",
                [json.dumps(entry.changes), entry.previous_hash, entry.key_id, entry.entry_hash, entry.pk],
            )
        previous = entry.entry_hash
    AuditChain.objects.filter(key=key).update(last_hash=previous)


def test_recomputing_with_plain_sha256_is_caught(government):
    _entries(government)
    _rewrite(government, digest=legacy_digest, key_id="")
    code, output = verify()
    assert code == 1
    assert "no signed checkpoint covers them" in output


def test_recomputing_with_plain_sha256_under_the_key_id_is_caught(government):
    _entries(government)

    def sha256_with_key_id(entry):
        return hashlib.sha256(canonical({**_entry_payload(entry), "key": entry.key_id})).hexdigest()

    _rewrite(government, digest=sha256_with_key_id, key_id="dev")
    code, output = verify()
    assert code == 1
    assert "content does not match its hash" in output


def test_recomputing_with_hmac_and_a_wrong_key_is_caught(government):
    _entries(government)

    def wrong_key(entry):
        message = canonical({**_entry_payload(entry), "key": entry.key_id})
        return hmac.new(b"a guessed key", message, hashlib.sha256).hexdigest()

    _rewrite(government, digest=wrong_key, key_id="dev")
    code, output = verify()
    assert code == 1
    assert "content does not match its hash" in output
