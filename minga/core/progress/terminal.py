"""Progress of a management command that takes more than a few seconds: a bar on a terminal
(rich), plain lines in a log (a file, a pipe, systemd's journal).

    with terminal_progress(self.stdout, "Importing", unit="releases") as shown:
        shown("reading", done=0, total=None)        # also a progress callback
        shown.advance(1)                            # one more done
        shown.stdout.write("a line of the command") # above the bar on a terminal

Plain lines are written at each change of phase, at most every ``interval`` seconds in
between, and once at the end, so a log gets a few lines, not one per row."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import contextmanager

PLAIN_INTERVAL_SECONDS = 5.0


def _is_tty(stream) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def _count(value: int) -> str:
    return f"{value:,}".replace(",", " ")


class _ConsoleLines:
    """A ``stdout`` whose lines are printed above the bar instead of through it."""

    def __init__(self, console):
        self.console = console

    def write(self, message: str = "", style_func=None, ending: str = "\n") -> None:
        self.console.print(message.rstrip("\n"), markup=False, highlight=False)

    def flush(self) -> None:
        pass


class TerminalProgress:
    def __init__(
        self,
        stdout,
        description: str,
        *,
        unit: str = "rows",
        tty: bool | None = None,
        interval: float = PLAIN_INTERVAL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.out = stdout
        self.description, self.unit = description, unit
        self.tty = _is_tty(stdout) if tty is None else tty
        self.interval, self.clock = interval, clock
        self.phase, self.done, self.total = "", 0, None
        self.phase_started = self.last_line = None
        self.stdout = stdout
        self._bar = self._task = None

    # The bar -----------------------------------------------------------------------------------

    def __enter__(self) -> TerminalProgress:
        if self.tty:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TaskProgressColumn,
                TextColumn,
                TimeRemainingColumn,
            )

            console = Console(file=getattr(self.out, "_out", self.out))
            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TaskProgressColumn(),
                TimeRemainingColumn(),
                console=console,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._bar.start()
            self._task = self._bar.add_task(_escape(self.description), total=None)
            self.stdout = _ConsoleLines(console)
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
        elif exc_type is None and self.last_line is not None:
            self._line(final=True)

    # What the work reports ------------------------------------------------------------------

    def __call__(self, phase: str, done: int, total: int | None = None) -> None:
        self.update(phase, done=done, total=total)

    def update(self, phase: str = "", *, done: int | None = None, total: int | None = None) -> None:
        new_phase = bool(phase) and phase != self.phase
        if new_phase:
            self.phase, self.phase_started = phase, self.clock()
        if done is not None:
            self.done = done
        if total is not None or new_phase:
            self.total = total
        self._show(new_phase)

    def advance(self, count: int = 1) -> None:
        self.done += count
        self._show(False)

    def _show(self, new_phase: bool) -> None:
        if self._bar is not None:
            label = f"{self.description} · {self.phase}" if self.phase else self.description
            self._bar.update(self._task, description=_escape(label), completed=self.done, total=self.total)
            return
        now = self.clock()
        if new_phase or self.last_line is None or now - self.last_line >= self.interval:
            self._line()

    def _line(self, *, final: bool = False) -> None:
        self.last_line = self.clock()
        if self.out is None:  # a caller with nowhere to write
            return
        parts = [self.description]
        if self.phase:
            parts.append(self.phase)
        figures = _count(self.done)
        if self.total is not None:
            figures = f"{figures}/{_count(self.total)} {self.unit}"
            if self.total:
                figures += f" ({min(100, self.done * 100 // self.total)} %)"
        else:
            figures = f"{figures} {self.unit}"
        left = self._seconds_left()
        if left is not None and not final:
            figures += f", ~{_duration(left)} left"
        text = f"{': '.join(parts)}: {figures}{' · done' if final else ''}"
        # A command's stdout (Django's OutputWrapper) ends each line itself; a plain stream does not.
        self.out.write(text if hasattr(self.out, "ending") else text + "\n")

    def _seconds_left(self) -> int | None:
        if not self.total or self.done <= 0 or self.phase_started is None or self.done >= self.total:
            return None
        elapsed = self.clock() - self.phase_started
        if elapsed <= 0:
            return None
        return round((self.total - self.done) * elapsed / self.done)


def _escape(text: str) -> str:
    """File names may hold brackets, which rich would read as markup."""
    from rich.markup import escape

    return escape(text)


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


@contextmanager
def terminal_progress(stdout, description: str, **options):
    """A ``TerminalProgress`` for the length of the block (the bar is removed at its end)."""
    shown = TerminalProgress(stdout, description, **options)
    with shown:
        yield shown


def both(*callbacks):
    """One progress callback that calls several (a record for the back office and the terminal)."""
    callbacks = [callback for callback in callbacks if callback is not None]

    def call(phase: str, done: int, total: int | None = None) -> None:
        for callback in callbacks:
            callback(phase, done, total)

    return call
