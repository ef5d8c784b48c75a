"""Participatory-budget votes with exactly-once on PostgreSQL: CLIENTS concurrent clients post
ballots (each for a different verified person, plus one repeat per client that must be
refused) to the real vote page served by gunicorn with several workers; side by side with a
bare Django view that inserts one row through the same middleware. After the run the rows are
counted: 0 lost (every accepted vote has its voter and ballot row), 0 duplicated.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/minga_bench_votes \\
        .venv/bin/python bench/participation/votes.py --clients 32 --people 6400 --workers 4

The database is emptied and migrated first (use one made for the benchmark)."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bench.portal import Gunicorn, portal_env  # noqa: E402

SETTINGS = "bench.participation.votes_settings"
SLUG = "bench-votos"

SETUP = r"""
import datetime as dt, json, sys
from django.contrib.sessions.backends.db import SessionStore
from django.test.utils import override_settings
from django.db import connection
from django.utils import timezone
from minga.core.tenancy.models import Government
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import GovernmentFactory, UserFactory, make_cedula
from minga.core.verification import keys
from minga.core.verification.models import Identity
from minga.participation.budgets import services
from minga.participation.processes import services as processes

people = int(sys.argv[1])
now = timezone.now()
government = Government.objects.filter(slug="manabi").first() or GovernmentFactory(slug="manabi", dpa_code="13")
with government_scope(government):
    process = processes.process_create(
        actor=None, government=government, title="Bench votos", slug="%(slug)s", kind="participatory_budget",
        starts_at=now - dt.timedelta(days=2), ends_at=now + dt.timedelta(days=2), is_published=True,
        settings={"verification_vote": "cedula"},
        phases=[{"title": "Votación", "description": "", "starts_at": now - dt.timedelta(days=1),
                 "ends_at": now + dt.timedelta(days=1), "features": ["vote"], "settings": {}}],
    )
    budget = services.budget_create(actor=None, government=government, process=process, title="Centro", slug="centro",
                                    amount=1000, now=now - dt.timedelta(days=2))
    ids = [services.project_create(actor=None, government=government, budget=budget, title=f"P{n}", cost=100 * n,
                                   now=now - dt.timedelta(days=2)).pk for n in range(1, 6)]
cookies = []
base = keys.hasher()
# The people sign in by session, never by password: hash their demo passwords the cheap way,
# or making 6,400 of them would take longer than the run.
fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
fast.enable()
for n in range(people):
    user = UserFactory()
    Identity.objects.create(cedula_hash=keys.cedula_hash(make_cedula(n), base=base), user=user, method="online",
                            created_at=now, linked_at=now)
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "minga.core.accounts.backends.AccountBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    cookies.append(session.session_key)
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_vote_peer (id bigserial primary key, note text)")
    cursor.execute("TRUNCATE bench_vote_peer")
print(json.dumps({"ids": ids, "sessions": cookies}))
""".replace("%(slug)s", SLUG)

COUNT = r"""
import json
from django.db import connection
with connection.cursor() as c:
    c.execute("SELECT count(*) FROM participation_budgetvoter")
    voters = c.fetchone()[0]
    c.execute("SELECT count(*) FROM participation_ballot")
    ballots = c.fetchone()[0]
    c.execute("SELECT count(*) FROM (SELECT budget_id, voter_hash FROM participation_budgetvoter GROUP BY 1, 2 HAVING count(*) > 1) d")
    duplicated = c.fetchone()[0]
    c.execute("SELECT count(*) FROM bench_vote_peer")
    peer = c.fetchone()[0]
print(json.dumps({"voters": voters, "ballots": ballots, "duplicated": duplicated, "peer": peer}))
"""


def manage(env, *args, stdin=None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "minga.cli", *args], cwd=REPO, env=env, input=stdin, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(result.stdout + result.stderr)
    return result.stdout


def shell(env, code: str, *argv: str) -> dict:
    import json

    script = Path(tempfile.mkstemp(suffix=".py")[1])
    script.write_text(code)
    try:
        out = subprocess.run(
            [sys.executable, str(script), *argv],
            cwd=REPO,
            env={**env, "PYTHONSTARTUP": ""},
            capture_output=True,
            text=True,
        )
    finally:
        script.unlink()
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def prelude() -> str:
    return f"import django, os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', '{SETTINGS}')\ndjango.setup()\n"


def client_for(base: str, session_key: str, path: str) -> tuple[requests.Session, str]:
    client = requests.Session()
    client.cookies.set("sessionid", session_key)
    page = client.get(base + path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    return client, token[1] if token else client.cookies.get("csrftoken", "")


VOTE_PATH = f"/g/manabi/participacion/{SLUG}/presupuestos/centro/"


def prepare(base: str, sessions: list[str], threads: int = 16) -> list[tuple[requests.Session, str]]:
    """One signed-in client per person with its CSRF token, read from the vote page (in
    parallel: 6,400 pages one after the other took minutes). The peer run reuses them."""
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda key: client_for(base, key, VOTE_PATH), sessions))


def run(base: str, prepared: list, ids: list[int], clients: int) -> dict:
    path = VOTE_PATH
    accepted = refused = errors = 0
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def worker(index: int):
        nonlocal accepted, refused, errors
        mine = prepared[index::clients]
        barrier.wait()
        for number, (client, token) in enumerate(mine):
            response = client.post(
                base + path,
                {"csrfmiddlewaretoken": token, "proyecto": [str(ids[number % len(ids)])]},
                headers={"Referer": base + path},
                allow_redirects=False,
            )
            with lock:
                if response.status_code == 302:
                    accepted += 1
                elif response.status_code == 400:
                    refused += 1
                else:
                    errors += 1
        client, token = mine[0]  # a repeat: must be refused
        response = client.post(
            base + path,
            {"csrfmiddlewaretoken": token, "proyecto": [str(ids[0])]},
            headers={"Referer": base + path},
            allow_redirects=False,
        )
        with lock:
            refused += response.status_code == 400
            errors += response.status_code not in (400, 302)

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, range(clients)))
    seconds = time.perf_counter() - started
    return {
        "accepted": accepted,
        "refused": refused,
        "errors": errors,
        "seconds": seconds,
        "per_second": accepted / seconds,
    }


def run_peer(base: str, prepared: list, clients: int, path: str = "/g/manabi/bench/insertar/") -> dict:
    done = 0
    lock = threading.Lock()

    def worker(index: int):
        nonlocal done
        for client, token in prepared[index::clients]:
            response = client.post(
                base + path, {"csrfmiddlewaretoken": token, "n": "x"}, headers={"Referer": base + path}
            )
            with lock:
                done += response.status_code == 200

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, range(clients)))
    seconds = time.perf_counter() - started
    return {"inserted": done, "seconds": seconds, "per_second": done / seconds}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--people", type=int, default=6400)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith("postgres"):
        print("Set DATABASE_URL to a PostgreSQL database made for the benchmark.", file=sys.stderr)
        return 2
    var = Path(tempfile.mkdtemp(prefix="minga-bench-votes-"))
    # With REDIS_URL the server caches (and reads sessions) from Redis, as a deployment does;
    # without it, from files on disk.
    extra = {
        "DATABASE_URL": database,
        **({"REDIS_URL": os.environ["REDIS_URL"]} if os.environ.get("REDIS_URL") else {}),
    }
    print(f"cache and sessions: {'Redis' if 'REDIS_URL' in extra else 'files on disk (no REDIS_URL)'}")
    env = portal_env(var, SETTINGS, extra)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    data = shell(env, prelude() + SETUP, str(args.people))
    server = Gunicorn(var, workers=args.workers, settings=SETTINGS, extra_env=extra).start()
    try:
        prepared = prepare(server.base_url, data["sessions"])
        votes = run(server.base_url, prepared, data["ids"], args.clients)
        peer = run_peer(server.base_url, prepared, args.clients)
        signed_in = run_peer(server.base_url, prepared, args.clients, "/g/manabi/bench/insertar-con-sesion/")
    finally:
        server.stop()
    counts = shell(env, prelude() + COUNT)
    lost = votes["accepted"] - min(counts["voters"], counts["ballots"])
    print(
        f"votes: {votes['accepted']} accepted, {votes['refused']} refused, {votes['errors']} errors, "
        f"{votes['per_second']:.0f} ballots/s with {args.clients} clients"
    )
    print(f"bare insert view: {peer['per_second']:.0f} rows/s; ratio {votes['per_second'] / peer['per_second']:.2f}")
    print(
        f"bare insert view reading the signed-in person: {signed_in['per_second']:.0f} rows/s; "
        f"ratio {votes['per_second'] / signed_in['per_second']:.2f}"
    )
    print(
        f"rows: {counts['voters']} voters, {counts['ballots']} ballots; lost {lost}, duplicated {counts['duplicated']}"
    )
    peers_ok = peer["inserted"] == len(prepared) and signed_in["inserted"] == len(prepared)
    if not peers_ok:
        print("a bare view refused some requests: its figure is not comparable", file=sys.stderr)
    ok = lost == 0 and counts["duplicated"] == 0 and counts["voters"] == counts["ballots"]
    return 0 if ok and peers_ok else 1


if __name__ == "__main__":
    sys.exit(main())
