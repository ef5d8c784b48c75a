"""Repeats the outside probe's load and sign-in tests against the real portal: gunicorn (the
server of `minga serve`) with the demo data, the cache in Redis (or on disk with --cache file).

1. Rate limit: CLIENTS parallel clients ask an API endpoint as fast as they can while the
   anonymous limit is 120 a minute; counts the 200 and 429 answers.
2. Parallel guesses: 30 clients post a wrong password for one account at the same moment from
   one address; counts the answers evaluated (200, wrong password) and refused (429). Then the
   right password from that address and from another one (127.0.0.2).

    .venv/bin/python bench/throttle/run.py                       # Redis at redis://127.0.0.1:6379/5
    .venv/bin/python bench/throttle/run.py --cache file
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bench.portal import Gunicorn, prepare  # noqa: E402

SETTINGS = "bench.throttle.settings"
API = "/g/manabi/api/v1/gobierno/"
LOGIN = "/g/manabi/cuenta/ingresar/"
ACCOUNT = "ciudadania1@demo.minga.ec"
PASSWORD = "minga-demo-2026"  # noqa: S105 - the demo accounts' password (printed by `minga demo`)


class FromAddress(HTTPAdapter):
    """Connect from another loopback address, so the server sees another client IP."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def session(address: str | None = None) -> requests.Session:
    client = requests.Session()
    if address:
        client.mount("http://", FromAddress(address))
    return client


def rate_limit(base: str, clients: int, seconds: float) -> dict:
    barrier = threading.Barrier(clients)
    deadline = [0.0]

    def client(_):
        statuses = []
        with session() as http:
            barrier.wait()
            if not deadline[0]:
                deadline[0] = time.monotonic() + seconds
            while time.monotonic() < deadline[0]:
                statuses.append(http.get(base + API, timeout=30).status_code)
        return statuses

    with ThreadPoolExecutor(max_workers=clients) as pool:
        every = [status for statuses in pool.map(client, range(clients)) for status in statuses]
    return {"requests": len(every), "200": every.count(200), "429": every.count(429)}


def _login_form(http: requests.Session, base: str) -> str:
    page = http.get(base + LOGIN, timeout=30).text
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _post_login(http: requests.Session, base: str, token: str, password: str) -> int:
    data = {"csrfmiddlewaretoken": token, "email": ACCOUNT, "password": password}
    return http.post(
        base + LOGIN, data=data, headers={"Referer": base + LOGIN}, allow_redirects=False, timeout=60
    ).status_code


def guesses(base: str, attempts: int) -> dict:
    barrier = threading.Barrier(attempts)

    def guess(n):
        with session() as http:
            token = _login_form(http, base)
            barrier.wait()
            return _post_login(http, base, token, f"no-es-la-clave-{n}")

    with ThreadPoolExecutor(max_workers=attempts) as pool:
        statuses = list(pool.map(guess, range(attempts)))
    result = {"attempts": attempts, "evaluated (200)": statuses.count(200), "refused (429)": statuses.count(429)}
    for label, address in (("right password, same address", None), ("right password, other address", "127.0.0.2")):
        with session(address) as http:
            result[label] = _post_login(http, base, _login_form(http, base), PASSWORD)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", choices=("redis", "file"), default="redis")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10, help="how long the API clients ask")
    parser.add_argument("--attempts", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--var-dir", type=Path, help="reuse a prepared demo directory")
    args = parser.parse_args()

    import os

    if args.cache == "redis":
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()  # this database holds only the run's counters
        os.environ["MINGA_BENCH_REDIS_URL"] = args.redis_url
    os.environ["MINGA_API_ANON_RATE"] = "120/min"
    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="minga-bench-throttle-"))
    if not (var_dir / "minga.sqlite3").exists():
        print(f"preparing the demo in {var_dir} …", flush=True)
        prepare(var_dir, SETTINGS)
    if args.cache == "file":
        import shutil

        shutil.rmtree(var_dir / "cache", ignore_errors=True)
    with Gunicorn(var_dir, workers=args.workers, settings=SETTINGS) as server:
        limited = rate_limit(server.base_url, args.clients, args.seconds)
        print(f"API, limit 120/min, {args.clients} clients for {args.seconds:g} s: {limited}", flush=True)
        login = guesses(server.base_url, args.attempts)
        print(f"sign-in, {args.attempts} parallel wrong passwords: {login}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
