"""Catalog search at scale: a scratch government with 10,000 published datasets (bulk-created,
then indexed by the core search service), and the time the server takes for /datos/ with a
text query, a facet filter and a sort, against a bare Django view on the same server.

Times are measured at the client on loopback, one request at a time after a warm-up, with the
public page cache off (every request runs the search; a cached page would measure the cache)."""

from __future__ import annotations

import json
import statistics
import sys
import time
import urllib.parse
import urllib.request

from bench.catalog import query as query_bench
from bench.catalog.common import child_env, environ, run_child
from bench.portal import Gunicorn

SLUG = "bench-busqueda"
SUBJECTS = [
    ("presupuesto", "Ejecución presupuestaria", "presupuesto"),
    ("obras", "Obras públicas", "obras"),
    ("contratacion", "Procesos de contratación", "contratacion"),
    ("movilidad", "Siniestros de tránsito", "movilidad"),
    ("turismo", "Llegadas de turistas", "turismo"),
    ("ambiente", "Calidad del agua potable", "ambiente"),
    ("gestion", "Trámites municipales", "gestion"),
    ("salud", "Atenciones en centros de salud", "salud"),
]
PLACES = [
    "Guayaquil",
    "Daule",
    "Milagro",
    "Samborondón",
    "Durán",
    "Playas",
    "Salitre",
    "Balzar",
    "Naranjal",
    "Yaguachi",
]
PUBLISHERS = ["Dirección Financiera", "Dirección de Obras Públicas", "Compras Públicas", "Dirección de Ambiente"]


def _child_populate(count: int) -> dict:
    import django

    django.setup()
    from django.db import transaction
    from django.utils.text import slugify

    from minga.catalog.datasets import selectors, services
    from minga.catalog.datasets.models import Dataset, Resource, Tag, Theme
    from minga.core.search.services import reindex
    from minga.core.tenancy.models import Government
    from minga.core.tenancy.scoping import government_scope
    from minga.core.tenancy.services import government_create

    government = Government.objects.filter(slug=SLUG).first()
    if government is None:
        government = government_create(
            actor=None, name="Gobierno Provincial de prueba", short_name="Prueba", slug=SLUG, level="province",
            dpa_code="09",
        )  # fmt: skip
    started = time.monotonic()
    with government_scope(government), transaction.atomic():
        existing = Dataset.objects.filter(government=government).count()
        if existing < count:
            services.licences_ensure_defaults(actor=None, government=government)
            licence = selectors.default_licence(government)
            themes = {}
            for order, (slug, name, _tag) in enumerate(SUBJECTS):
                themes[slug] = Theme.objects.get_or_create(
                    government=government, slug=slug, defaults={"name": name, "order": order, "dcat_theme": "GOVE"}
                )[0]
            tags = {
                year: Tag.objects.get_or_create(government=government, slug=str(year), defaults={"name": str(year)})[0]
                for year in range(2015, 2026)
            }
            datasets = []
            for number in range(existing, count):
                slug, subject, _tag = SUBJECTS[number % len(SUBJECTS)]
                place = PLACES[(number // len(SUBJECTS)) % len(PLACES)]
                year = 2015 + number % 11
                datasets.append(
                    Dataset(
                        government=government,
                        slug=f"{slug}-{slugify(place)}-{number}",
                        title=f"{subject} de {place} {year} ({number})",
                        summary=f"{subject} en {place} durante {year}: datos abiertos de la prefectura.",
                        description=f"Conjunto número {number}. {subject}, cantón {place}, año {year}.",
                        publisher=PUBLISHERS[number % len(PUBLISHERS)],
                        licence=licence,
                        frequency="ANNUAL" if number % 3 else "MONTHLY",
                        is_published=True,
                    )
                )
            Dataset.objects.bulk_create(datasets, batch_size=1000)
            created = list(Dataset.objects.filter(government=government).order_by("pk")[existing:])
            Dataset.themes.through.objects.bulk_create(
                [Dataset.themes.through(dataset_id=d.pk, theme_id=themes[d.slug.split("-")[0]].pk) for d in created],
                batch_size=2000,
            )
            Dataset.tags.through.objects.bulk_create(
                [
                    Dataset.tags.through(dataset_id=d.pk, tag_id=tags[2015 + int(d.slug.rsplit("-", 1)[1]) % 11].pk)
                    for d in created
                ],
                batch_size=2000,
            )
            Resource.objects.bulk_create(
                [
                    Resource(
                        government=government,
                        dataset=d,
                        title="Datos (CSV)",
                        kind=Resource.Kind.URL,
                        url=f"https://datos.example.org/{d.slug}.csv",
                        format="CSV" if d.pk % 4 else "XLSX",
                    )
                    for d in created
                ],
                batch_size=2000,
            )
    created_seconds = time.monotonic() - started
    started = time.monotonic()
    indexed = reindex(government)
    from minga.core.maintenance import refresh_planner_statistics

    analyze_seconds = refresh_planner_statistics()  # as the daily job would have by now
    return {
        "analyze_seconds": round(analyze_seconds, 1),
        "government": SLUG,
        "datasets": count,
        "create_seconds": round(created_seconds, 1),
        "index_seconds": round(time.monotonic() - started, 1),
        "indexed": indexed,
    }


URLS = [
    ("bare view", "/bench/bare/"),
    ("bare view in gov", f"/g/{SLUG}/bench/bare/"),
    ("list, no query", f"/g/{SLUG}/datos/"),
    ("q=presupuesto", f"/g/{SLUG}/datos/?q=presupuesto"),
    ("q=agua potable daule", f"/g/{SLUG}/datos/?q=agua+potable+daule"),
    ("q=obras + theme facet", f"/g/{SLUG}/datos/?q=obras&tema=obras"),
    ("q=contratación, sort by title", f"/g/{SLUG}/datos/?q=contrataci%C3%B3n&orden=titulo"),
    ("q=salud + tag facet, page 3", f"/g/{SLUG}/datos/?q=salud&etiqueta=2020&page=3"),
    # CKAN's package_search as harvesters and ckanapi call it
    (
        "ckan: newest first, page 3",
        f"/g/{SLUG}/api/3/action/package_search?rows=100&start=200&sort=metadata_modified+desc",
    ),
    (
        "ckan: q=presupuesto + 3 facets",
        f"/g/{SLUG}/api/3/action/package_search?q=presupuesto&rows=20"
        "&facet.field=%5B%22groups%22%2C%22tags%22%2C%22res_format%22%5D",
    ),
    ("ckan: q=obras, title sort", f"/g/{SLUG}/api/3/action/package_search?q=obras&sort=title_string+asc&rows=20"),
]


def timed(url: str, requests: int) -> list[float]:
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{url}: {response.status}")
        times.append((time.perf_counter() - started) * 1000)
    return times


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def run(count: int, *, requests: int, workers: int, rows: int) -> dict:
    var_dir = query_bench.prepare_portal(rows)
    env = child_env(var_dir, MINGA_BENCH_ROWS=str(rows))
    env["DJANGO_SETTINGS_MODULE"] = query_bench.SETTINGS
    print("  creating and indexing the datasets …", flush=True)
    setup = run_child("bench.catalog.search", ["populate", str(count)], env)
    results: dict = {"setup": setup, "requests": requests, "urls": {}}
    server = Gunicorn(var_dir, workers=workers, settings=query_bench.SETTINGS, ready_path=f"/g/{SLUG}/datos/")
    with environ(MINGA_PUBLIC_PAGE_CACHE_SECONDS="0"):
        server.start()
    with server:
        for label, path in URLS:
            url = server.base_url + path
            timed(url, max(5, requests // 10))
            times = timed(url, requests)
            results["urls"][label] = {
                "path": path,
                "p50_ms": round(statistics.median(times), 2),
                "p95_ms": round(_percentile(times, 0.95), 2),
                "max_ms": round(max(times), 2),
            }
            print(
                f"    {label:<32} p50 {results['urls'][label]['p50_ms']:7.1f} ms  p95 {results['urls'][label]['p95_ms']:7.1f} ms",
                flush=True,
            )
    return results


def table(results: dict) -> str:
    urls = results["urls"]
    bare = urls["bare view"]["p95_ms"]
    lines = [
        f"Catalog search, {results['setup']['datasets']} datasets: server time per request "
        f"({results['requests']} sequential requests per URL, page cache off)",
        "",
        "| request | p50 ms | p95 ms | p95 ÷ bare view p95 |",
        "|---|---:|---:|---:|",
    ]
    for label, row in urls.items():
        lines.append(
            f"| {label} `{row['path']}` | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | {row['p95_ms'] / bare:.1f} |"
        )
    return "\n".join(lines)


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "populate":
        print(json.dumps(_child_populate(int(sys.argv[2]))))
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
