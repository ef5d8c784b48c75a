"""Serve the real portal in child processes: a temporary var/ directory with a migrated SQLite
database, the demo governments and collected static files, then gunicorn on a free port.

Shared by the browser journeys (tests/browser/) and the benchmarks (bench/run.py), so both
look at the portal exactly as `minga serve` runs it: gunicorn, WhiteNoise, DEBUG off."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SETTINGS = "minga.settings.dev"
# Variables of the calling environment that would point the child at another database, cache
# or settings module (pytest-django exports DJANGO_SETTINGS_MODULE=minga.settings.test).
_DROPPED = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "MINGA_VAR_DIR", "MINGA_DEBUG"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def portal_env(var_dir: Path, settings: str = DEFAULT_SETTINGS, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in _DROPPED}
    env.update(
        MINGA_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE=settings,
        MINGA_DEBUG="0",
        MINGA_LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")])),
    )
    env.update(extra or {})
    return env


def _minga(var_dir: Path, settings: str, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "minga.cli", *args],
        cwd=REPO,
        env=portal_env(var_dir, settings),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise RuntimeError(f"minga {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")


def prepare(var_dir: Path, settings: str = DEFAULT_SETTINGS) -> None:
    """Migrate a fresh SQLite database in var_dir, load the demo and collect static files."""
    var_dir.mkdir(parents=True, exist_ok=True)
    _minga(var_dir, settings, "migrate", "--noinput")
    _minga(var_dir, settings, "demo", "--quiet-credentials")
    _minga(var_dir, settings, "collectstatic", "--noinput")


class Gunicorn:
    """gunicorn serving the portal from var_dir on 127.0.0.1:port until stop()."""

    def __init__(
        self,
        var_dir: Path,
        *,
        port: int | None = None,
        workers: int = 2,
        settings: str = DEFAULT_SETTINGS,
        ready_path: str = "/g/manabi/",
        extra_args: tuple[str, ...] = (),
        extra_env: dict[str, str] | None = None,
    ):
        self.var_dir = var_dir
        self.port = port or free_port()
        self.workers = workers
        self.settings = settings
        self.ready_path = ready_path
        self.extra_args = extra_args
        self.extra_env = dict(extra_env or {})
        self.log_path = var_dir / f"gunicorn-{self.port}.log"
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> Gunicorn:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "minga.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                # gunicorn's control socket lives at one path per user: two servers (or a
                # developer's `minga serve`) would fight over it.
                "--no-control-socket",
                *self.extra_args,
            ],
            cwd=REPO,
            env=portal_env(self.var_dir, self.settings, self.extra_env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        url = self.base_url + self.ready_path
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{url} did not answer within {timeout:.0f} s:\n{self.log()}")

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def __enter__(self) -> Gunicorn:
        return self.start() if self.process is None else self

    def __exit__(self, *exc) -> None:
        self.stop()
