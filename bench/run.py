"""Requests per second of Minga's public pages as a ratio of a bare Django view, and the
scale-out check of two app processes behind nginx. Run with `make bench`.

Everything runs here, side by side in one run: a temporary SQLite demo database, gunicorn
serving it with the demo settings (DEBUG off, same middleware), wrk as the load generator on
loopback. Each URL is measured `--rounds` times, alternating the order, and the median is
reported. The load generator shares the machine's cores with the server, for every URL alike,
so the ratios are the figures to compare; absolute numbers depend on the machine."""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.portal import Gunicorn, free_port, prepare  # noqa: E402

SETTINGS = "bench.bench_settings"
BARE = "/bench/bare/"
BARE_IN_GOVERNMENT = "/g/manabi/bench/bare/"
BARE_LABEL = "bare view"  # the peer of the goal: same middleware, no template, no query
BARE_GOV_LABEL = "bare view in gov"  # the same, plus the government lookup and tenancy scope
PAGES = [
    ("government home", "/g/manabi/"),
    ("org chart", "/g/manabi/institucion/organigrama/"),
]
GOAL = 0.5
RESULTS = REPO / "bench" / "results"  # ignored by git


# wrk ------------------------------------------------------------------------------------------

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(url: str, *, threads: int, connections: int, duration: int) -> dict:
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 60,
    ).stdout
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "errors": 0,
    }
    for percentile in ("50", "99"):
        result[f"p{percentile}_ms"] = _ms(re.search(rf"^\s+{percentile}%\s+(\S+)", out, re.M).group(1))
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        result["errors"] += int(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        result["errors"] += sum(int(n) for n in match.groups())
    return result


def measure(targets: list[tuple[str, str]], args) -> dict[str, dict]:
    """targets: (label, url). Warm up each, then `rounds` rounds, alternating the order."""
    for _, url in targets:
        wrk(url, threads=args.threads, connections=args.connections, duration=args.warmup)
    runs: dict[str, list[dict]] = {label: [] for label, _ in targets}
    for round_number in range(args.rounds):
        ordered = targets if round_number % 2 == 0 else list(reversed(targets))
        for label, url in ordered:
            # The 1-minute load average before each run shows whether something else was busy.
            load = os.getloadavg()[0]
            result = wrk(url, threads=args.threads, connections=args.connections, duration=args.duration)
            result["load_before"] = load
            runs[label].append(result)
            print(
                f"  round {round_number + 1}: {label:<28} {result['rps']:>8.1f} req/s  (load before {load:.2f})",
                flush=True,
            )
    summary = {}
    for label, url in targets:
        results = runs[label]
        summary[label] = {
            "url": url,
            "rps": statistics.median(r["rps"] for r in results),
            "rps_runs": [r["rps"] for r in results],
            "load_before_runs": [r["load_before"] for r in results],
            "p50_ms": statistics.median(r["p50_ms"] for r in results),
            "p99_ms": statistics.median(r["p99_ms"] for r in results),
            "errors": sum(r["errors"] for r in results),
        }
    return summary


def table(summary: dict[str, dict], baselines: list[str], title: str) -> str:
    """Markdown table; one ratio column per baseline (req/s of the row / req/s of the baseline)."""
    ratio_heads = "".join(f" {'÷ ' + b:>{max(8, len(b) + 2)}} |" for b in baselines)
    ratio_rules = "".join(f"{'-' * (max(8, len(b) + 2) + 1)}:|" for b in baselines)
    lines = [
        title,
        "",
        f"| {'page':<28} | {'req/s (median)':>14} | {'p50 ms':>7} | {'p99 ms':>7} |{ratio_heads} {'errors':>6} |",
        f"|{'-' * 30}|{'-' * 15}:|{'-' * 8}:|{'-' * 8}:|{ratio_rules}{'-' * 7}:|",
    ]
    for label, row in summary.items():
        ratios = "".join(f" {row['rps'] / summary[b]['rps']:>{max(8, len(b) + 2)}.2f} |" for b in baselines)
        lines.append(
            f"| {label:<28} | {row['rps']:>14.1f} | {row['p50_ms']:>7.1f} | {row['p99_ms']:>7.1f} |{ratios} {row['errors']:>6} |"
        )
    return "\n".join(lines)


# nginx ----------------------------------------------------------------------------------------

NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {root}/nginx.pid;
error_log {root}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {root}/body;
  proxy_temp_path {root}/proxy;
  fastcgi_temp_path {root}/fastcgi;
  uwsgi_temp_path {root}/uwsgi;
  scgi_temp_path {root}/scgi;
  upstream minga {{
{servers}
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://minga;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      add_header X-Upstream $upstream_addr always;
    }}
  }}
}}
"""


class Nginx:
    def __init__(self, root: Path, backends: list[int]):
        self.root = root
        self.port = free_port()
        root.mkdir(parents=True, exist_ok=True)
        servers = "\n".join(f"    server 127.0.0.1:{port};" for port in backends)
        self.conf = root / "nginx.conf"
        self.conf.write_text(NGINX_CONF.format(root=root, servers=servers, port=self.port))
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            ["nginx", "-p", str(self.root), "-c", str(self.conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        url = f"http://127.0.0.1:{self.port}/g/manabi/"
        for _ in range(100):
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"nginx exited: {self.process.stderr.read().decode()}") from None
                time.sleep(0.1)
        raise RuntimeError("nginx did not answer")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=10)


def check_stateless(base_url: str, requests: int = 20) -> dict:
    """Sign in once through nginx as a demo citizen, then load the account page repeatedly:
    round-robin sends the requests to both app processes, and every one must see the
    session (it lives in the shared database, not in a process)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = f"{base_url}/g/manabi/cuenta/ingresar/"
    opener.open(login, timeout=10).read()
    token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "email": "ciudadania1@demo.minga.ec", "password": "minga-demo-2026"}
    ).encode()
    request = urllib.request.Request(login, data=form, headers={"Referer": login})
    opener.open(request, timeout=10).read()
    served_by: dict[str, int] = {}
    signed_in = 0
    for _ in range(requests):
        with opener.open(f"{base_url}/g/manabi/cuenta/", timeout=10) as response:
            upstream = response.headers.get("X-Upstream", "?")
            served_by[upstream] = served_by.get(upstream, 0) + 1
            signed_in += response.status == 200 and "/cuenta/ingresar/" not in response.geturl()
    return {"requests": requests, "signed_in": signed_in, "served_by": served_by}


def scale_out(var_dir: Path, args) -> dict[str, dict]:
    """The same page through nginx, with one gunicorn process behind it and then two (one
    worker each, so the only difference is the number of stateless app processes)."""
    page = "/g/manabi/"
    summary = {}
    with (
        Gunicorn(var_dir, workers=1, settings=SETTINGS) as first,
        Gunicorn(var_dir, workers=1, settings=SETTINGS) as second,
        Nginx(var_dir / "nginx-one", [first.port]) as one,
        Nginx(var_dir / "nginx-two", [first.port, second.port]) as two,
    ):
        summary.update(
            measure(
                [
                    ("nginx -> 1 app process", f"http://127.0.0.1:{one.port}{page}"),
                    ("nginx -> 2 app processes", f"http://127.0.0.1:{two.port}{page}"),
                ],
                args,
            )
        )
        summary["stateless check"] = check_stateless(f"http://127.0.0.1:{two.port}")
    return summary


# main -----------------------------------------------------------------------------------------


def check_pages(base_url: str, targets: list[tuple[str, str]]) -> None:
    for label, path in targets:
        with urllib.request.urlopen(base_url + path, timeout=10) as response:
            if response.status != 200:
                raise SystemExit(f"{label} ({path}) answered {response.status}")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per URL and round")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up load per URL")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--no-scale-out", action="store_true", help="skip the nginx scale-out measurement")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk not found: install it (Debian: apt-get install wrk)", file=sys.stderr)
        return 2

    print(f"machine: {machine()}")
    print(
        f"load: wrk -t{args.threads} -c{args.connections} -d{args.duration}s, {args.rounds} rounds; "
        f"gunicorn --workers {args.workers}"
    )
    report: dict = {"date": dt.date.today().isoformat(), "machine": machine(), "args": vars(args)}
    with tempfile.TemporaryDirectory(prefix="minga-bench-") as tmp:
        var_dir = Path(tmp)
        prepare(var_dir, SETTINGS)
        targets = [(BARE_LABEL, BARE), (BARE_GOV_LABEL, BARE_IN_GOVERNMENT), *PAGES]
        with Gunicorn(var_dir, workers=args.workers, settings=SETTINGS) as server:
            check_pages(server.base_url, targets)
            summary = measure([(label, server.base_url + path) for label, path in targets], args)
        report["pages"] = summary
        print()
        print(
            table(
                summary,
                [BARE_LABEL, BARE_GOV_LABEL],
                "Pages as a ratio of bare Django views (same server and middleware)",
            )
        )
        below = [label for label, _ in PAGES if summary[label]["rps"] / summary[BARE_LABEL]["rps"] < GOAL]
        print(f"goal (÷ {BARE_LABEL}) >= {GOAL}: " + ("met" if not below else "NOT met for " + ", ".join(below)))

        if args.no_scale_out:
            pass
        elif shutil.which("nginx") is None:
            print("\nscale-out skipped: nginx not found (Debian: apt-get install nginx)")
        else:
            print("\nscale-out: /g/manabi/ through nginx")
            scale = scale_out(var_dir, args)
            report["scale_out"] = scale
            print()
            stateless = scale.pop("stateless check")
            print(table(scale, ["nginx -> 1 app process"], "Scale-out: the same page, one vs two app processes"))
            print(
                f"\nstateless check: signed in once, then {stateless['requests']} requests for the account page: "
                f"{stateless['signed_in']} saw the session; served by {stateless['served_by']}"
            )
            scale["stateless check"] = stateless
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"bench-{dt.datetime.now():%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2))
    print(f"\nraw figures: {out.relative_to(REPO)}")
    return 0  # a measurement, not a test: the figures and the goal line are the output


if __name__ == "__main__":
    sys.exit(main())
