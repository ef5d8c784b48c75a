"""The election in pabulib's ``.pb`` format, so anyone can recompute the result.

The format (Faliszewski et al., "Participatory Budgeting: Data, Tools, and Analysis",
arXiv:2305.11035) is a semicolon-separated text file in three sections, each followed by its
header row: ``META`` (key;value), ``PROJECTS`` (project_id;cost;name;category;target;votes;
selected) and ``VOTES`` (voter_id;vote, and points on cumulative ballots). pabutools'
``parse_pabulib`` reads it; :mod:`.reference` recomputes the outcome from what it reads.

Voters are anonymised: the ballots are sorted by their content and numbered 1, 2, 3…, so a row
says nothing about who cast it or when. A knapsack ballot is pabulib's approval ballot with a
``max_sum_cost``. Beyond pabulib's own META keys the file states the rule's settings:
``mes_utility``, ``tie_breaking`` and ``increment_per_voter``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from .election import Ballot, BallotKind, BallotRules, Election, InvalidElection, Problem, Project
from .outcome import Outcome
from .rules import Completion, Method, Rule, Utility

_DESCRIPTIVE = ("description", "country", "unit", "subunit", "instance", "date_begin", "date_end")
_DESCRIPTIVE += ("language", "currency", "comment")

#: The value of the ``tie_breaking`` META key: the published order.
TIE_BREAKING_META = "more_votes,lower_cost,project_id"


def to_pabulib(election: Election, rule: Rule, outcome: Outcome | None = None) -> str:
    """The ``.pb`` text of ``election`` counted under ``rule``; with ``outcome``, the PROJECTS
    section also carries each project's votes and whether it was selected."""
    kind = election.rules.kind
    meta: dict[str, object] = {
        "description": election.meta.get("description", ""),
        "country": election.meta.get("country", "Ecuador"),
        "unit": election.meta.get("unit", ""),
    }
    if election.meta.get("subunit"):
        meta["subunit"] = election.meta["subunit"]
    meta["instance"] = election.meta.get("instance", "")
    meta["num_projects"] = len(election.projects)
    meta["num_votes"] = election.voter_count
    meta["budget"] = election.budget
    meta["vote_type"] = "cumulative" if kind is BallotKind.CUMULATIVE else "approval"
    meta["rule"] = rule.pabulib_rule
    for key in ("date_begin", "date_end", "language", "currency", "comment"):
        if election.meta.get(key):
            meta[key] = election.meta[key]
    rules = election.rules
    meta["min_length"] = rules.min_projects
    if rules.max_projects is not None:
        meta["max_length"] = rules.max_projects
    if kind is BallotKind.KNAPSACK:
        meta["max_sum_cost"] = election.budget if rules.max_cost is None else rules.max_cost
        if rules.min_cost:
            meta["min_sum_cost"] = rules.min_cost
    if kind is BallotKind.CUMULATIVE:
        if rules.total_points is not None:
            meta["max_sum_points"] = rules.total_points
        if rules.min_total_points:
            meta["min_sum_points"] = rules.min_total_points
        if rules.max_points is not None:
            meta["max_points"] = rules.max_points
    if rule.method is Method.EQUAL_SHARES:
        meta["mes_utility"] = str(rule.utility)
        if rule.completion is Completion.ADD1_GREEDY:
            meta["increment_per_voter"] = 1
    meta["tie_breaking"] = TIE_BREAKING_META

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    out.write("META\n")
    writer.writerow(["key", "value"])
    for key, value in meta.items():
        writer.writerow([key, _clean(value)])

    out.write("PROJECTS\n")
    header = ["project_id", "cost", "name", "category", "target"]
    if outcome is not None:
        header += ["votes", "selected"]
    writer.writerow(header)
    selected = set(outcome.selected) if outcome is not None else set()
    profile = election.profile
    for i, p in enumerate(election.projects):
        row = [p.id, p.cost, _clean(p.name) or "None", _clean(p.category) or "None", _clean(p.target) or "None"]
        if outcome is not None:
            row += [profile.total_points[i], int(p.id in selected)]
        writer.writerow(row)

    out.write("VOTES\n")
    channels = any(b.channel for b in election.ballots)
    cumulative = kind is BallotKind.CUMULATIVE
    header = ["voter_id"] + (["voting_method"] if channels else []) + ["vote"] + (["points"] if cumulative else [])
    writer.writerow(header)
    position = {p.id: i for i, p in enumerate(election.projects)}
    rows = []
    for ballot in election.ballots:
        chosen = sorted(ballot.points, key=position.__getitem__)
        content = (
            ",".join(chosen),
            ",".join(str(ballot.points[c]) for c in chosen) if cumulative else "",
            _clean(ballot.channel),
        )
        rows.append(content)
    rows.sort(key=lambda r: ([position[c] for c in r[0].split(",") if c], r[1], r[2]))
    for number, (vote, points, channel) in enumerate(rows, start=1):
        row = [number] + ([channel or "None"] if channels else []) + [vote] + ([points] if cumulative else [])
        writer.writerow(row)
    return out.getvalue()


def _clean(value: object) -> str:
    """One line, no leading or trailing spaces (pabutools reads line by line and strips)."""
    return " ".join(str(value).split())


def from_pabulib(text: str) -> tuple[Election, Rule | None]:
    """An election (and the rule its META declares, when it declares one this engine counts)
    from ``.pb`` text. Costs and the budget must be whole amounts."""
    meta: dict[str, str] = {}
    projects: list[Project] = []
    ballots: list[Ballot] = []
    section, header = "", []
    rows = csv.reader(text.lstrip("\ufeff").splitlines(), delimiter=";")
    for row in rows:
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if row[0].strip().lower() in ("meta", "projects", "votes"):
            section, header = row[0].strip().lower(), [h.strip() for h in next(rows)]
            continue
        if section == "meta":
            meta[row[0].strip()] = row[1].strip() if len(row) > 1 else ""
            continue
        record = {
            key: (value.strip() if value.strip().lower() != "none" else "")
            for key, value in zip(header, row, strict=False)
        }
        if section == "projects":
            projects.append(
                Project(
                    id=record["project_id"],
                    cost=_whole(record["cost"], "cost"),
                    name=record.get("name", ""),
                    category=record.get("category", record.get("categories", "")),
                    target=record.get("target", record.get("targets", "")),
                )
            )
        elif section == "votes":
            chosen = [c.strip() for c in record.get("vote", "").split(",") if c.strip()]
            voter, channel = record.get("voter_id", str(len(ballots) + 1)), record.get("voting_method", "")
            if meta.get("vote_type") == "cumulative":
                points = [_whole(x, "points") for x in record.get("points", "").split(",") if x.strip()]
                ballots.append(Ballot.cumulative(voter, dict(zip(chosen, points, strict=True)), channel=channel))
            else:
                ballots.append(Ballot.approval(voter, chosen, channel=channel))
    vote_type = meta.get("vote_type", "approval")
    if vote_type not in ("approval", "cumulative"):
        raise InvalidElection([Problem("unsupported_vote_type", {"vote_type": vote_type})])
    rules = _rules(meta)
    election = Election(
        budget=_whole(meta.get("budget", "0"), "budget"),
        projects=tuple(projects),
        ballots=tuple(ballots),
        rules=rules,
        meta={k: meta[k] for k in _DESCRIPTIVE if k in meta},
    )
    return election, rule_from_meta(meta)


def _rules(meta: Mapping[str, str]) -> BallotRules:
    def number(key: str) -> int | None:
        return _whole(meta[key], key) if meta.get(key) else None

    if meta.get("vote_type") == "cumulative":
        return BallotRules(
            kind=BallotKind.CUMULATIVE,
            min_projects=number("min_length") or 0,
            max_projects=number("max_length"),
            total_points=number("max_sum_points"),
            min_total_points=number("min_sum_points") or 0,
            max_points=number("max_points"),
        )
    knapsack = bool(meta.get("max_sum_cost"))
    return BallotRules(
        kind=BallotKind.KNAPSACK if knapsack else BallotKind.APPROVAL,
        min_projects=number("min_length") or 0,
        max_projects=number("max_length"),
        max_cost=number("max_sum_cost"),
        min_cost=number("min_sum_cost") or 0,
    )


def rule_from_meta(meta: Mapping[str, str]) -> Rule | None:
    """The rule a ``.pb`` file declares: ``greedy``, ``equalshares`` or ``equalshares/add1``
    (with ``mes_utility``; cost unless stated, points on cumulative ballots). None for others."""
    declared = meta.get("rule", "")
    if declared == "greedy":
        return Rule.greedy()
    if declared not in ("equalshares", "equalshares/add1"):
        return None
    default = "points" if meta.get("vote_type") == "cumulative" else "cost"
    completion = Completion.ADD1_GREEDY if declared == "equalshares/add1" else Completion.NONE
    return Rule.equal_shares(utility=Utility(meta.get("mes_utility", default)), completion=completion)


def _whole(text: str, what: str) -> int:
    """A whole amount: "1500", "1500.0" and "1500,0" are read; "1500.5" is refused."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise InvalidElection([Problem("not_a_number", {"field": what, "value": text})]) from None
    if not value.is_finite() or value != value.to_integral_value():
        raise InvalidElection([Problem("not_whole", {"field": what, "value": text})])
    return int(value)
