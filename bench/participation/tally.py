"""Method of Equal Shares with completion on 100,000 approval ballots over 60 projects: Minga's
tally engine against pabutools, the field's reference library, in the same run, on the same
election, with the same outcome asserted (`.venv/bin/python bench/participation/tally.py`).

The election is generated with a fixed seed and looks like a city's: six districts plus
city-wide projects, projects of very unequal popularity, costs from 20,000 to 1,500,000 USD
(log-normal, in thousands), ballots of one to ten projects (most voters choose three to six, four
times likelier in their own district or city-wide), a budget of 8,000,000 USD. The rule is the
one a process publishes: MES with cost utilities, Add1 (shares raised one dollar at a time until
the outcome is exhaustive) and greedy-by-votes completion, ties by votes, cost, id.

pabutools recomputes it the way an auditor would: from Minga's `.pb` export, parsed with
`parse_pabulib_from_string`, collapsed with `as_multiprofile()` (its documented speed-up) and
counted with `completion_by_rule_combination` (`reference.recompute`). Reading the file and
building the profile are timed apart from the count."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from bench.run import RESULTS, machine  # noqa: E402
from minga.participation.budgets.tally import Ballot, Election, Project, Rule, tally, to_pabulib  # noqa: E402


def generate(voters: int, projects: int, seed: int, budget: int) -> Election:
    rng = np.random.default_rng(seed)
    districts = 6
    district = rng.integers(-1, districts, size=projects)  # -1: city-wide
    popularity = rng.lognormal(0, 0.8, size=projects)
    costs = np.clip(rng.lognormal(np.log(180_000), 0.8, size=projects), 20_000, 1_500_000) // 1000 * 1000
    home = rng.integers(0, districts, size=voters)
    lengths = np.clip(rng.poisson(4, size=voters) + 1, 1, 10)
    weights = []
    for d in range(districts):
        w = popularity * np.where((district == d) | (district == -1), 4.0, 0.4)
        weights.append(w / w.sum())
    ids = [str(i + 1) for i in range(projects)]
    ballots = []
    for v in range(voters):
        chosen = rng.choice(projects, size=lengths[v], replace=False, p=weights[home[v]])
        ballots.append(Ballot.approval(f"voter-{v:06}", [ids[i] for i in sorted(chosen)]))
    return Election(
        budget=budget,
        projects=tuple(Project(ids[i], int(costs[i]), name=f"Proyecto {ids[i]}") for i in range(projects)),
        ballots=tuple(ballots),
        meta={"description": "Benchmark", "unit": "Generated city", "instance": str(seed)},
    )


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=60)
    parser.add_argument("--budget", type=int, default=8_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--skip-pabutools", action="store_true", help="time Minga alone")
    args = parser.parse_args()

    print(f"machine: {machine()}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    rule = Rule.equal_shares()
    print(
        f"election: {args.voters:,} approval ballots, {args.projects} projects, budget {args.budget:,}, seed {args.seed}"
    )
    election, gen_wall, _ = timed(lambda: generate(args.voters, args.projects, args.seed, args.budget))
    print(f"  generated and validated in {gen_wall:.1f} s")

    _, compile_wall, compile_cpu = timed(lambda: election.profile)
    distinct = len(election.profile.multiplicity)
    outcome, ours_wall, ours_cpu = timed(lambda: tally(election, rule))
    summary = outcome.equal_shares
    print(f"  {distinct:,} distinct ballots; Add1 raised each share {summary.increments} times ({summary.stopped})")
    print(f"  funded {len(outcome.selected)} projects for {outcome.spent:,} ({summary.mes_spent:,} by MES)")
    text, export_wall, _ = timed(lambda: to_pabulib(election, rule, outcome))

    rows = [
        ("Minga: compile ballots", compile_wall, compile_cpu),
        ("Minga: tally (MES + Add1 + completion, explained)", ours_wall, ours_cpu),
        ("Minga: write .pb", export_wall, None),
    ]
    result = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_before": os.getloadavg(),
        "args": vars(args),
        "distinct_ballots": distinct,
        "increments": summary.increments,
        "selected": list(outcome.selected),
        "minga": {"compile": compile_wall, "tally": ours_wall, "tally_cpu": ours_cpu, "export": export_wall},
    }
    if not args.skip_pabutools:
        from pabutools.election.pabulib import parse_pabulib_from_string

        from minga.participation.budgets.tally.pabulib import rule_from_meta
        from minga.participation.budgets.tally.reference import recompute

        (instance, profile), parse_wall, _ = timed(lambda: parse_pabulib_from_string(text))
        multi, multi_wall, _ = timed(profile.as_multiprofile)
        theirs, pabu_wall, pabu_cpu = timed(lambda: recompute(instance, multi, rule_from_meta(instance.meta)))
        same = theirs == set(outcome.selected)
        rows += [
            ("pabutools: parse .pb", parse_wall, None),
            ("pabutools: as_multiprofile", multi_wall, None),
            ("pabutools: count (same rule)", pabu_wall, pabu_cpu),
        ]
        result["pabutools"] = {
            "parse": parse_wall,
            "multiprofile": multi_wall,
            "count": pabu_wall,
            "count_cpu": pabu_cpu,
        }
        result["same_outcome"] = same
        print(f"  same outcome as pabutools: {same}")
        if not same:
            print(f"  Minga: {sorted(outcome.selected)}\n  pabutools: {sorted(theirs)}", file=sys.stderr)
    print()
    print("| step | wall s | CPU s |")
    print("|---|---:|---:|")
    for label, wall, cpu in rows:
        print(f"| {label} | {wall:.2f} | {'' if cpu is None else f'{cpu:.2f}'} |")
    if "pabutools" in result:
        print(f"\ncount, pabutools ÷ Minga: {pabu_wall / ours_wall:.0f}× wall, {pabu_cpu / ours_cpu:.0f}× CPU")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"participation-tally-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(result, indent=2))
    print(f"raw figures: {out.relative_to(REPO)}")
    return 0 if result.get("same_outcome", True) else 1


if __name__ == "__main__":
    raise SystemExit(main())
