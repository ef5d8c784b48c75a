import pytest
from django.core.management import call_command
from django.db import connection

from minga.core.audit.models import AuditEntry
from minga.core.audit.services import record
from minga.core.audit.verification import verify_chains
from minga.core.testing import UserFactory

pytestmark = pytest.mark.django_db


def _entries(government, n=3):
    actor = UserFactory()
    return [
        record(actor=actor, government=government, action="core.test.done", changes={"n": [i, i + 1]}) for i in range(n)
    ]


def test_entries_are_chained(government):
    first, second, third = _entries(government)
    assert first.sequence == 1 and first.previous_hash == ""
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    assert verify_chains() == []


def test_chains_are_per_government(government, other_government):
    _entries(government, 2)
    other = _entries(other_government, 1)[0]
    assert other.sequence == 1
    assert verify_chains() == []


def test_action_codes_are_namespaced(government):
    with pytest.raises(ValueError):
        record(actor=None, government=government, action="edited")


def test_verify_detects_an_edited_row(government, capsys):
    entries = _entries(government)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET changes = %s WHERE id = %s", ['{"n": [0, 99]}', entries[1].pk])
    problems = verify_chains()
    assert any("edited" in p for p in problems)
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify")
    assert exit_info.value.code == 1


def test_verify_detects_a_deleted_row(government):
    entries = _entries(government)
    AuditEntry.objects.filter(pk=entries[1].pk).delete()
    assert any("missing" in p for p in verify_chains())


def test_verify_detects_removed_tail(government):
    entries = _entries(government)
    AuditEntry.objects.filter(pk=entries[2].pk).delete()
    assert any("removed" in p for p in verify_chains())


def test_verify_command_passes_on_intact_log(government, capsys):
    _entries(government)
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out
