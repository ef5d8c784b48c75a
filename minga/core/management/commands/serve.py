"""`minga serve`: collect static files and run the portal under gunicorn (the same server as
production, static files through WhiteNoise), with a background worker beside it so uploads get
loaded and scheduled refreshes run (`--no-worker` when the worker runs as its own service).

The worker is started first as a child process with `--stop-with-parent`; then this process
replaces itself with gunicorn (same process id), so when gunicorn stops, the worker notices and
stops too, and Ctrl+C in a terminal reaches both."""

import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


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
        call_command("collectstatic", interactive=False, verbosity=0)
        if worker:
            subprocess.Popen(  # noqa: S603 - our own interpreter and entry point
                [sys.executable, "-m", "minga.cli", "worker", "--stop-with-parent", "--verbosity", "0"]
            )
            self.stdout.write("Background worker started (jobs and scheduled refreshes).")
        self.stdout.write(f"Minga at http://{host}:{port}/  (Ctrl+C to stop)")
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
