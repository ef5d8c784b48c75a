"""`minga demo` on a database that was never migrated migrates it first (or, with
--no-migrate, says what to run) instead of failing on a missing table."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from minga.core.management.commands import demo

PROJECT = Path(__file__).resolve().parents[3]


def test_a_never_migrated_database_is_detected_and_the_exact_command_named(tmp_path):
    """A real, empty SQLite file: the demo stops before touching a table and names the fix."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "minga.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "MINGA_VAR_DIR": str(tmp_path / "var"),
    }
    run = subprocess.run(
        [sys.executable, "manage.py", "demo", "--no-migrate", "--quiet-credentials"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "no such table" not in run.stderr
    assert "migrations not applied" in run.stderr
    assert "Run `minga migrate` first" in run.stderr


def test_the_demo_migrates_first_when_migrations_are_missing(monkeypatch):
    calls = []
    monkeypatch.setattr(demo, "unapplied_migrations", lambda: [("core", "0001_initial")])
    monkeypatch.setattr(demo, "call_command", lambda name, **options: calls.append((name, options)))
    out = io.StringIO()
    demo.Command(stdout=out).ensure_migrated()
    assert [name for name, _options in calls] == ["migrate"]
    assert calls[0][1]["interactive"] is False
    assert "running `minga migrate`" in out.getvalue()


def test_migrate_runs_before_anything_is_seeded(monkeypatch):
    """handle() checks the migrations before its first query: a missing table never surfaces."""
    order = []
    monkeypatch.setattr(demo, "unapplied_migrations", lambda: order.append("check") or [("core", "0001_initial")])
    monkeypatch.setattr(demo, "call_command", lambda name, **options: order.append(name))

    class Stop(Exception):
        pass

    def first_query(*args, **kwargs):
        order.append("seed")
        raise Stop

    monkeypatch.setattr(demo.transaction, "atomic", first_query)
    with pytest.raises(Stop):
        demo.Command(stdout=io.StringIO()).handle(quiet_credentials=True)
    assert order == ["check", "migrate", "seed"]


def test_no_migrate_refuses_with_the_command_to_run(monkeypatch):
    monkeypatch.setattr(demo, "unapplied_migrations", lambda: [("core", "0001_initial")])
    monkeypatch.setattr(demo, "call_command", lambda *a, **k: pytest.fail("must not migrate"))
    with pytest.raises(CommandError, match="Run `minga migrate` first"):
        demo.Command(stdout=io.StringIO()).ensure_migrated(migrate=False)


@pytest.mark.django_db
def test_an_up_to_date_database_is_left_alone(monkeypatch):
    monkeypatch.setattr(demo, "call_command", lambda *a, **k: pytest.fail("nothing to migrate"))
    assert demo.unapplied_migrations() == []
    out = io.StringIO()
    demo.Command(stdout=out).ensure_migrated()
    assert out.getvalue() == ""
