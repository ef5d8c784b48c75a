"""Query API under load: Minga's /api/v1/datos/recursos/<id>/datos/ against Datasette serving
the same rows from a SQLite file with the same indexes, wrk on loopback.

Minga: the portal with `minga demo --large`, gunicorn (2 sync workers, as bench/run.py), DEBUG
off. Datasette: the loaded table copied into its own SQLite file (the same typed values and
indexes, without Minga's folded-text helper columns), served by `datasette serve`, once as it
comes and once at its best (`--immutable`, `_nocount=1&_nofacet=1&_nosuggest=1`)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench.catalog.common import REPO, WORK, child_env, run_child
from bench.portal import Gunicorn, free_port

SETTINGS = "bench.catalog.settings"
DATASETTE_SETTINGS = ["--setting", "sql_time_limit_ms", "60000"]  # a full-table GROUP BY is no error


def _minga(var_dir: Path, rows: int, *args: str) -> None:
    env = child_env(var_dir, MINGA_BENCH_ROWS=str(rows))
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS
    subprocess.run([sys.executable, "-m", "minga.cli", *args], cwd=REPO, env=env, check=True, capture_output=True)


def prepare_portal(rows: int) -> Path:
    """A portal with the demo and its large table, built once per row count."""
    var_dir = WORK / f"portal-{rows}"
    stamp = var_dir / ".ready"
    if stamp.exists():
        # Built by an earlier run: bring its database and static files up to the code.
        _minga(var_dir, rows, "migrate", "--noinput")
        _minga(var_dir, rows, "collectstatic", "--noinput")
        return var_dir
    var_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    _minga(var_dir, rows, "migrate", "--noinput")
    _minga(var_dir, rows, "demo", "--quiet-credentials", "--large")
    _minga(var_dir, rows, "collectstatic", "--noinput")
    stamp.write_text(f"{time.monotonic() - started:.0f} s")
    return var_dir


def _child_info() -> dict:
    import django

    django.setup()
    from minga.catalog import demo_large
    from minga.catalog.datasets.models import Dataset
    from minga.catalog.tables import selectors as table_selectors
    from minga.core.tenancy.scoping import scopes_disabled

    with scopes_disabled():
        resource = Dataset.objects.get(slug=demo_large.SLUG).resources.get()
        table = table_selectors.resource_table(resource)
        return {
            "resource": resource.pk,
            "government": resource.government.slug,
            "sql_name": table.sql_name,
            "rows": table.row_count,
            "columns": [{"name": c.name, "type": str(c.type), "indexed": c.indexed} for c in table.columns],
        }


def table_info(var_dir: Path, rows: int) -> dict:
    env = child_env(var_dir, MINGA_BENCH_ROWS=str(rows))
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS
    return run_child("bench.catalog.query", ["info"], env)


def prepare_datasette_db(var_dir: Path, info: dict) -> Path:
    """Minga's loaded rows and indexes in a file of their own, table ``contratos``."""
    path = var_dir / "datasette.db"
    if path.exists():
        return path
    partial = path.with_suffix(".part")
    partial.unlink(missing_ok=True)
    types = {"integer": "INTEGER", "decimal": "REAL", "boolean": "INTEGER"}
    columns = info["columns"]
    conn = sqlite3.connect(partial)
    try:
        conn.execute("ATTACH DATABASE ? AS store", [str(var_dir / "datastore.sqlite3")])
        definition = ", ".join(f'"{c["name"]}" {types.get(c["type"], "TEXT")}' for c in columns)
        conn.execute(f"CREATE TABLE contratos (_id INTEGER PRIMARY KEY, {definition})")
        names = ", ".join(f'"{c["name"]}"' for c in columns)
        conn.execute(f'INSERT INTO contratos (_id, {names}) SELECT _id, {names} FROM store."{info["sql_name"]}"')  # noqa: S608
        conn.commit()
        for c in columns:
            if c["indexed"]:
                conn.execute(f'CREATE INDEX "contratos_{c["name"]}" ON contratos ("{c["name"]}")')
        conn.commit()
    finally:
        conn.close()
    partial.replace(path)
    return path


class Datasette:
    def __init__(self, bin_dir: Path, db: Path, *, immutable: bool, log: Path):
        self.port = free_port()
        self.args = [str(bin_dir / "datasette"), "serve", "--port", str(self.port), *DATASETTE_SETTINGS]
        self.args += ["--immutable", str(db)] if immutable else [str(db)]
        self.log = log
        self.process = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def command(self) -> str:
        return " ".join(["datasette", *self.args[1:-1], Path(self.args[-1]).name])

    def __enter__(self):
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(self.args, stdout=log, stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                with urllib.request.urlopen(self.base_url + "/-/versions.json", timeout=5) as response:
                    if response.status == 200:
                        return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"datasette exited: {self.log.read_text()[-2000:]}") from None
                time.sleep(0.2)
        raise RuntimeError("datasette did not answer")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=15)


QUERIES = {
    # (a) a filtered, sorted page of 100 rows: contracts awarded since 1 January 2024, oldest first
    "page": {
        "minga": "?fecha_de_adjudicacion__gte=2024-01-01&_sort=fecha_de_adjudicacion&_limit=100",
        "datasette": "?fecha_de_adjudicacion__gte=2024-01-01&_sort=fecha_de_adjudicacion&_size=100",
    },
    # (b) a group-by aggregate over the whole table: contracts and amount per canton
    "group": {
        "minga": "?_group_by=canton&_agg=count,sum:monto_adjudicado_usd",
        "sql": "select canton, count(*) as count, sum(monto_adjudicado_usd) as sum_monto_adjudicado_usd "
        "from contratos group by canton order by canton limit 101",
        # the same query with the plan Minga chooses (a table scan instead of an index walk)
        "sql_tuned": "select canton, count(*) as count, sum(monto_adjudicado_usd) as sum_monto_adjudicado_usd "
        "from contratos not indexed group by canton order by canton limit 101",
    },
}
BEST = "&_nocount=1&_nofacet=1&_nosuggest=1"


def targets(minga_url: str, resource: int, government: str, ds_default: str, ds_best: str) -> dict:
    api = f"{minga_url}/g/{government}/api/v1/datos/recursos/{resource}/datos/"
    page, group = QUERIES["page"], QUERIES["group"]
    sql = urllib.parse.urlencode({"sql": group["sql"]})
    tuned = urllib.parse.urlencode({"sql": group["sql_tuned"]})
    return {
        "page": [
            ("Minga", api + page["minga"]),
            ("Minga, _total=false", api + page["minga"] + "&_total=false"),
            ("Datasette best", f"{ds_best}/datasette/contratos.json{page['datasette']}{BEST}"),
            ("Datasette default", f"{ds_default}/datasette/contratos.json{page['datasette']}"),
        ],
        "group": [
            ("Minga", api + group["minga"]),
            ("Datasette best", f"{ds_best}/datasette.json?{sql}"),
            ("Datasette default", f"{ds_default}/datasette.json?{sql}"),
            ("Datasette best, tuned SQL", f"{ds_best}/datasette.json?{tuned}"),
        ],
    }


def check(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=120) as response:
        return {"status": response.status, "bytes": len(response.read())}


def run(rows: int, *, bin_dir: Path, args, measure, workers: int = 2) -> dict:
    print("  preparing the portal (migrate, demo, demo --large) …", flush=True)
    var_dir = prepare_portal(rows)
    info = table_info(var_dir, rows)
    db = prepare_datasette_db(var_dir, info)
    results: dict = {"table": info, "queries": QUERIES}
    with (
        Gunicorn(var_dir, workers=workers, settings=SETTINGS) as minga,
        Datasette(bin_dir, db, immutable=False, log=var_dir / "datasette-default.log") as default,
        Datasette(bin_dir, db, immutable=True, log=var_dir / "datasette-best.log") as best,
    ):
        results["servers"] = {
            "minga": f"gunicorn minga.wsgi:application --workers {workers} (settings {SETTINGS}, DEBUG off)",
            "datasette_default": default.command,
            "datasette_best": best.command,
        }
        for name, urls in targets(
            minga.base_url, info["resource"], info["government"], default.base_url, best.base_url
        ).items():
            for label, url in urls:
                results.setdefault("responses", {})[f"{name}: {label}"] = {"url": url, **check(url)}
            print(f"  {name} …", flush=True)
            results[name] = measure(urls, args)
    return results


def table(summary: dict, title: str) -> str:
    """Markdown: req/s, p50, p99 and the ratio of req/s to each Datasette configuration."""
    peers = [label for label in ("Datasette best", "Datasette default") if label in summary]
    lines = [
        title,
        "",
        "| server | req/s | p50 ms | p99 ms | " + " | ".join(f"÷ {p}" for p in peers) + " | errors |",
        "|---|---:|---:|---:|" + "---:|" * len(peers) + "---:|",
    ]
    for label, row in summary.items():
        ratios = " | ".join(f"{row['rps'] / summary[p]['rps']:.2f}" if summary[p]["rps"] else "n/a" for p in peers)
        lines.append(
            f"| {label} | {row['rps']:.1f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | {ratios} | {row['errors']} |"
        )
    return "\n".join(lines)


def main() -> int:
    if sys.argv[1:] == ["info"]:
        print(json.dumps(_child_info()))
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
