"""p95 of the Open Council's heaviest public pages against the bare view (issue 16: an act
page with 10 versions of 120 articles and its diff under 100 ms; a member's voting record over
four years, about 2,000 vote events, under 100 ms; the ratio to the bare view recorded).

Loads a council of nine members, one ordinance project with ``--versions`` versions of
``--articles`` articles each (every version changes, adds, removes and moves some articles),
and ``--sessions`` sessions over four years with ten voted agenda items each, every member
voting on each (2,000 vote events and 18,000 votes by default), in bulk, into a fresh database
(a temporary SQLite file, or the empty PostgreSQL database of --database-url). Then asks each
page through Django's test client (the whole middleware stack and the template, no network),
interleaved with the bare view of the same government (/g/<slug>/bench/bare/: tenancy,
sessions, locale, CSP and the rest, returning a constant), and reports p50/p95 per page, the
ratio of each p95 to the bare view's p95 and the queries of one request. The public page cache
is off, so every request renders.

    .venv/bin/python bench/council/pages.py
    .venv/bin/python bench/council/pages.py --database-url postgres://postgres@127.0.0.1:5432/minga_bench_council
    .venv/bin/python bench/council/pages.py --requests 20 --sessions 20   # a smoke run
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

GOAL_MS = 100

WORDS = [
    "el",
    "consejo",
    "provincial",
    "garantiza",
    "acceso",
    "público",
    "información",
    "datos",
    "abiertos",
    "participación",
    "ciudadana",
    "gobierno",
    "autónomo",
    "descentralizado",
    "ordenanza",
    "reglamento",
    "plazo",
    "días",
    "hábiles",
    "publicación",
    "portal",
    "institucional",
    "ciudadanía",
    "territorio",
    "parroquia",
    "cantón",
    "obra",
    "presupuesto",
    "rendición",
    "cuentas",
    "control",
    "social",
]


def _setup(database_url: str, var_dir: Path) -> None:
    os.environ["MINGA_VAR_DIR"] = str(var_dir)
    os.environ["MINGA_DEBUG"] = "0"
    os.environ["MINGA_PUBLIC_PAGE_CACHE_SECONDS"] = "0"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bench_settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from django.conf import settings
    from django.test.utils import override_settings

    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}).enable()


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _versions(rng: random.Random, versions: int, articles: int) -> list[list[tuple[str, str, str]]]:
    """Each version as (number, heading, body) articles; every version rewrites about a tenth of
    the articles, adds two, removes one and swaps two."""
    current = [(str(n), f"Objeto {n}", " ".join(_sentence(rng, 18) for _ in range(3))) for n in range(1, articles + 1)]
    result = [list(current)]
    for _ in range(versions - 1):
        current = list(current)
        for index in rng.sample(range(len(current)), max(1, len(current) // 10)):
            number, heading, body = current[index]
            current[index] = (number, heading, body + " " + _sentence(rng, 12))
        del current[rng.randrange(len(current))]
        a, b = rng.sample(range(len(current)), 2)
        current[a], current[b] = current[b], current[a]
        for _ in range(2):
            current.insert(rng.randrange(len(current)), ("", "Nuevo", _sentence(rng, 30)))
        # Renumber in reading order, as a consolidated text is.
        current = [(str(n), heading, body) for n, (_num, heading, body) in enumerate(current, start=1)]
        result.append(current)
    return result


def _load(*, versions: int, articles: int, sessions: int, seed: int):
    from minga.core.tenancy.scoping import government_scope
    from minga.core.testing import GovernmentFactory
    from minga.council.acts.models import Act, Unit, Version
    from minga.council.members.models import Council, Membership, Person
    from minga.council.sessions.models import AgendaItem, Session, Vote, VoteEvent

    rng = random.Random(seed)
    government = GovernmentFactory(
        name="Gobierno Provincial de Manabí", short_name="Manabí", slug="manabi", dpa_code="13"
    )
    today = dt.date.today()
    start = today - dt.timedelta(days=4 * 365)
    with government_scope(government):
        council = Council.objects.create(government=government, name="Consejo Provincial de Manabí", kind="provincial")
        people = [
            Person.objects.create(government=government, slug=f"consejero-{n}", name=f"Consejero {n}", party="Lista 1")
            for n in range(1, 10)
        ]
        for person in people:
            Membership.objects.create(
                government=government, council=council, person=person, role="member", starts_on=start
            )
        act = Act.objects.create(
            government=government,
            council=council,
            slug="po-2026-001",
            identifier="PO-2026-001",
            kind="ordinance",
            title="Ordenanza de transparencia y datos abiertos",
            stage="second_debate",
            stage_date=today,
        )
        units = []
        for number, articles_of in enumerate(_versions(rng, versions, articles), start=1):
            version = Version.objects.create(
                government=government, act=act, number=number, label=f"Texto {number}", dated=today
            )
            units.append(
                Unit(government=government, version=version, position=0, kind="preamble", body="Considerando.")
            )
            units += [
                Unit(
                    government=government,
                    version=version,
                    position=position,
                    kind="article",
                    number=num,
                    heading=heading,
                    body=body,
                )
                for position, (num, heading, body) in enumerate(articles_of, start=1)
            ]
        Unit.objects.bulk_create(units, batch_size=2000)

        events, votes = [], []
        step = (today - start) / sessions
        options = ["yes"] * 7 + ["no", "abstain", "absent"]
        session_rows = [
            Session(
                government=government,
                council=council,
                slug=f"sesion-{n}",
                kind="ordinary",
                number=f"{n:03d}",
                title=f"Sesión ordinaria n.º {n}",
                starts_at=dt.datetime.combine(start + step * n, dt.time(9, 0), tzinfo=dt.UTC),
                status="closed",
            )
            for n in range(1, sessions + 1)
        ]
        Session.objects.bulk_create(session_rows, batch_size=1000)
        items = [
            AgendaItem(
                government=government,
                session=session,
                position=position,
                title=f"Punto {position}: {_sentence(rng, 8)}",
                # The act is debated in six sessions, as an ordinance is (presented, committee,
                # two debates, objection, publication); the other items are other business.
                act=act if position == 1 and number % (sessions // 6 or 1) == 0 else None,
                outcome="approved",
            )
            for number, session in enumerate(Session.objects.order_by("pk"), start=1)
            for position in range(1, 11)
        ]
        AgendaItem.objects.bulk_create(items, batch_size=2000)
        for item in AgendaItem.objects.order_by("pk"):
            events.append(
                VoteEvent(
                    government=government,
                    item=item,
                    position=1,
                    motion=f"Aprobar el punto {item.position}",
                    result="passed",
                    act_id=item.act_id,
                )
            )
        VoteEvent.objects.bulk_create(events, batch_size=2000)
        for event_id in VoteEvent.objects.values_list("pk", flat=True):
            votes += [
                Vote(government=government, event_id=event_id, person=person, option=rng.choice(options))
                for person in people
            ]
        Vote.objects.bulk_create(votes, batch_size=5000)
    return government, act, people[0], len(events), len(votes)


def _record_url(government, person) -> str | None:
    """The member's voting record page, if the build has one."""
    from django.urls import NoReverseMatch

    from minga.core.testing import gov_url

    for name in ("council:member_votes", "council:member_record", "council:member_voting_record"):
        try:
            return gov_url(government, name, slug=person.slug)
        except NoReverseMatch:
            continue
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=10)
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--sessions", type=int, default=200, help="ten voted items each")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per page (after a warm-up)")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--database-url", default="", help="an empty PostgreSQL database; default: temporary SQLite")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="minga-bench-council-") as tmp:
        started = time.perf_counter()
        _setup(args.database_url, Path(tmp))
        government, act, person, event_count, vote_count = _load(
            versions=args.versions, articles=args.articles, sessions=args.sessions, seed=args.seed
        )
        loaded = time.perf_counter() - started
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from minga.core.testing import gov_url

        pages = {
            "bare view": f"/g/{government.slug}/bench/bare/",
            "act page (latest of 10 versions)": gov_url(government, "council:act_detail", slug=act.slug),
            "act diff (version 9 → 10)": gov_url(government, "council:act_diff", slug=act.slug)
            + f"?de={args.versions - 1}&a={args.versions}",
            "act diff (version 1 → 10)": gov_url(government, "council:act_diff", slug=act.slug)
            + f"?de=1&a={args.versions}",
            "member page": gov_url(government, "council:member_detail", slug=person.slug),
        }
        record = _record_url(government, person)
        if record:
            pages["member's voting record"] = record
        client = Client()
        queries = {}
        sizes = {}
        for name, url in pages.items():
            for _ in range(args.warmup):
                response = client.get(url)
                assert response.status_code == 200, (name, response.status_code)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            queries[name] = len(captured.captured_queries)
            sizes[name] = len(response.content)
        timings: dict[str, list[float]] = {name: [] for name in pages}
        for _ in range(args.requests):
            for name, url in pages.items():
                begin = time.perf_counter()
                client.get(url)
                timings[name].append((time.perf_counter() - begin) * 1000)

    def p95(values):
        return statistics.quantiles(values, n=20)[18] if len(values) >= 2 else values[0]

    bare = p95(timings["bare view"])
    report = {
        "date": dt.date.today().isoformat(),
        "database": "postgresql" if args.database_url else "sqlite",
        "versions": args.versions,
        "articles": args.articles,
        "vote_events": event_count,
        "votes": vote_count,
        "requests_per_page": args.requests,
        "load_seconds": round(loaded, 1),
        "pages": {
            name: {
                "p50_ms": round(statistics.median(values), 1),
                "p95_ms": round(p95(values), 1),
                "ratio_to_bare_p95": round(p95(values) / bare, 1),
                "queries": queries[name],
                "kilobytes": round(sizes[name] / 1024, 1),
            }
            for name, values in timings.items()
        },
    }
    print(
        f"Open Council pages, {report['database']}: {args.versions} versions × {args.articles} articles; "
        f"{event_count:,} vote events, {vote_count:,} votes; {args.requests} requests a page"
    )
    for name, row in report["pages"].items():
        print(
            f"  {name:<36} p50 {row['p50_ms']:>7} ms · p95 {row['p95_ms']:>7} ms · ×{row['ratio_to_bare_p95']:<6} "
            f"bare · {row['queries']:>3} queries · {row['kilobytes']} KB"
        )
    print(f"  goal: p95 < {GOAL_MS} ms for the act page, its diff and the voting record")
    results = REPO / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / f"council-pages-{report['database']}.json").write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
