"""`minga serve`: collect static files and run the portal under gunicorn (the same server as
production, static files through WhiteNoise), with a background worker beside it so uploads get
loaded and scheduled refreshes run (`--no-worker` when the worker runs as its own service).

The worker is started first as a child process with `--stop-with-parent`; then this process
replaces itself with gunicorn (same process id), so when gunicorn stops, the worker notices and
stops too, and Ctrl+C in a terminal reaches both.

In development (settings.dev) the served address becomes MINGA_SITE_URL (links in e-mails) and
MINGA_DEMO_BASE_URL unless they are set, and the demo accounts are printed again after the
start-up lines, the last thing before the server's own log."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DatabaseError

from minga.core.mail import outbox_enabled, outbox_path

from .demo import demo_accounts, write_demo_accounts


def served_address(host: str, port: str) -> str:
    """The address a browser on this machine opens (a wildcard bind is reached on 127.0.0.1)."""
    if host in ("", "0.0.0.0", "::"):  # noqa: S104 - naming the wildcard, not binding to it
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class Command(BaseCommand):
    help = "Serve the portal with gunicorn on the given host and port, with a background worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--workers", default=os.environ.get("MINGA_WORKERS", "2"))
        parser.add_argument(
            "--no-worker", action="store_false", dest="worker", help="Do not start the background worker."
        )

    def handle(self, *args, host, port, workers, worker=True, **options):
        address = served_address(host, port)
        if settings.DEVELOPMENT:
            # Inherited by the worker and gunicorn: links in e-mails point at this address.
            os.environ.setdefault("MINGA_SITE_URL", address)
            os.environ.setdefault("MINGA_DEMO_BASE_URL", address)
        call_command("collectstatic", interactive=False, verbosity=0)
        if worker:
            subprocess.Popen(  # noqa: S603 - our own interpreter and entry point
                [sys.executable, "-m", "minga.cli", "worker", "--stop-with-parent", "--verbosity", "0"]
            )
            self.stdout.write("Background worker started (jobs and scheduled refreshes).")
        if outbox_enabled():
            self.stdout.write(
                f"E-mails are not sent: each is written to {outbox_path()}/ and listed at {address}/plataforma/correo/"
            )
        self.stdout.write(f"Minga at {address}/  (Ctrl+C to stop)")
        if settings.DEVELOPMENT:
            self.write_accounts()
        self.stdout.flush()
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        os.execv(  # noqa: S606 - replaces this process with gunicorn
            gunicorn,
            [
                gunicorn,
                "minga.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
                "--access-logfile",
                "-",
            ],
        )

    def write_accounts(self) -> None:
        """The demo accounts, if the demo was loaded: after every start-up line, where a person
        looks for them (gunicorn's own log follows)."""
        try:
            accounts = demo_accounts()
        except DatabaseError:  # not migrated yet: nothing to show
            return
        if accounts:
            write_demo_accounts(self.stdout, accounts)
