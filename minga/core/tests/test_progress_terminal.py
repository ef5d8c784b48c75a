"""Long commands on a terminal get a bar; in a log (not a TTY) they write a few plain lines."""

import io

import pytest
from django.core.management import call_command

from minga.core.progress.terminal import TerminalProgress, both, terminal_progress


class Clock:
    def __init__(self):
        self.seconds = 0.0

    def __call__(self) -> float:
        return self.seconds


def test_plain_lines_when_not_a_terminal():
    out, clock = io.StringIO(), Clock()
    with terminal_progress(out, "obras.json", unit="releases", interval=5, clock=clock) as shown:
        assert shown.tty is False and shown.stdout is out
        shown("validate", 0, 1000)
        for done in range(100, 1001, 100):
            clock.seconds += 1
            shown("validate", done, 1000)
        clock.seconds += 1
        shown("store", 0, 1000)
    lines = out.getvalue().splitlines()
    assert lines[0] == "obras.json: validate: 0/1 000 releases (0 %)"
    # One line at the start of each phase, one every five seconds, one at the end.
    assert lines[1] == "obras.json: validate: 500/1 000 releases (50 %), ~5 s left"
    assert lines[2] == "obras.json: validate: 1 000/1 000 releases (100 %)"
    assert lines[3] == "obras.json: store: 0/1 000 releases (0 %)"
    assert lines[4] == "obras.json: store: 0/1 000 releases (0 %) · done"
    assert len(lines) == 5


def test_unknown_totals_and_counting_up():
    out = io.StringIO()
    shown = TerminalProgress(out, "Demo", unit="steps", tty=False)
    with shown:
        shown.update("reading", done=0)
        shown.advance(3)
    assert out.getvalue().splitlines() == ["Demo: reading: 0 steps", "Demo: reading: 3 steps · done"]


def test_a_bar_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    out = Terminal()
    with terminal_progress(out, "Index [1]") as shown:
        shown("manabi", 5, 10)
        shown.stdout.write("a line above the bar")
    text = out.getvalue()
    assert "a line above the bar" in text and "Index [1] · manabi" in text and "5/10" in text


def test_both_calls_every_callback():
    heard = []
    call = both(lambda *a: heard.append(("a", *a)), None, lambda *a: heard.append(("b", *a)))
    call("store", 1, 2)
    assert heard == [("a", "store", 1, 2), ("b", "store", 1, 2)]


@pytest.mark.django_db
def test_search_reindex_writes_plain_lines_in_a_log(government):
    out = io.StringIO()
    call_command("search_reindex", stdout=out)
    text = out.getvalue()
    assert f"Search index: {government.slug}:" in text and "records" in text
    assert "Search index rebuilt for all governments" in text


@pytest.mark.django_db
def test_the_demo_writes_one_plain_line_per_step_in_a_log(monkeypatch):
    import dataclasses

    from minga.core.management.commands import demo
    from minga.core.registry import manifests

    def seed(government, *, now, stdout):
        stdout.write(f"  seeded {government.slug}")

    stubs = [dataclasses.replace(m, demo_seed=seed, demo_large_seed=None) for m in manifests()]
    monkeypatch.setattr(demo, "manifests", lambda: stubs)
    monkeypatch.setattr(demo, "search_reindex", lambda government: 0)
    monkeypatch.setattr(demo, "refresh_planner_statistics", lambda: None)
    out = io.StringIO()
    call_command("demo", quiet_credentials=True, stdout=out)
    lines = out.getvalue().splitlines()
    steps = len(demo.DEMO_GOVERNMENTS) * (len(stubs) + 1)
    first = stubs[0].key
    assert lines[0] == f"Demo: manabi · {first}: 0/{steps} steps (0 %)"
    assert lines[1] == "  seeded manabi"
    assert f"Demo: manta · search: {steps - 1}/{steps} steps" in "\n".join(lines)
    end = lines.index(f"Demo: all governments: {steps}/{steps} steps (100 %)")
    assert lines[end + 1] == f"Demo: all governments: {steps}/{steps} steps (100 %) · done"
    assert lines[end + 2].startswith("audit checkpoint") and "Demo data ready" in lines[-1]
