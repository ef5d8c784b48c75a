"""Recomputing a tally with pabutools, the field's reference library: how anyone checks a
published result from its ``.pb`` file, and how the tests and the benchmark check this engine.

pabutools is a development dependency (its own dependencies include a proprietary solver the
platform does not ship), so this module imports it only when called::

    from pabutools.election import parse_pabulib
    from minga.participation.budgets.tally.pabulib import rule_from_meta
    from minga.participation.budgets.tally.reference import recompute

    instance, profile = parse_pabulib("presupuesto-participativo.pb")
    winners = recompute(instance, profile, rule_from_meta(instance.meta))

The file's META section states the rule's settings (``rule``, ``mes_utility``,
``tie_breaking``), which :func:`~.pabulib.rule_from_meta` reads back.
"""

from __future__ import annotations

from .election import Election
from .rules import Completion, Method, Rule, Utility


def recompute(instance, profile, rule: Rule) -> set[str]:
    """The ids of the projects pabutools funds under ``rule``, with the published tie-breaking."""
    from pabutools.election import Cardinality_Sat, Cost_Sat
    from pabutools.election.profile import AbstractApprovalProfile
    from pabutools.rules import (
        completion_by_rule_combination,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
    )

    approval = isinstance(profile, AbstractApprovalProfile)
    if not approval and rule.method is Method.EQUAL_SHARES and rule.utility is not Utility.POINTS:
        raise ValueError("cumulative ballots take the points utility")
    ties = tie_breaking(instance, profile)
    greedy_sat = Cost_Sat if approval else _points_cost_sat()
    greedy = {"sat_class": greedy_sat, "tie_breaking": ties}
    if rule.method is Method.GREEDY:
        outcome = greedy_utilitarian_welfare(instance, profile, **greedy)
    else:
        if rule.utility is Utility.COST:
            mes_sat = Cost_Sat
        elif rule.utility is Utility.APPROVAL:
            mes_sat = Cardinality_Sat
        else:
            from pabutools.election import Additive_Cardinal_Sat

            mes_sat = Additive_Cardinal_Sat
        mes = {"sat_class": mes_sat, "tie_breaking": ties}
        if rule.completion is Completion.NONE:
            outcome = method_of_equal_shares(instance, profile, **mes)
        else:
            outcome = completion_by_rule_combination(
                instance,
                profile,
                [method_of_equal_shares, greedy_utilitarian_welfare],
                [{**mes, "voter_budget_increment": 1}, greedy],
            )
    return {p.name for p in outcome}


def tie_breaking(instance, profile):
    """The published order as a pabutools ``TieBreakingRule``: more votes (points) first, then
    lower cost, then project id as text. The votes are counted from ``profile`` itself."""
    from pabutools.election.profile import AbstractApprovalProfile
    from pabutools.tiebreaking import TieBreakingRule

    score = {p.name: 0 for p in instance}
    approval = isinstance(profile, AbstractApprovalProfile)
    for ballot in profile:
        times = profile.multiplicity(ballot)
        for p in ballot:
            score[p.name] += times * (1 if approval else ballot[p])
    return TieBreakingRule(lambda inst, prof, p: (-score[p.name], p.cost, p.name))


def _points_cost_sat():
    """Satisfaction points × cost: pabutools' greedy divides by the cost, leaving the points."""
    from pabutools.election.satisfaction.additivesatisfaction import AdditiveSatisfaction

    class PointsCostSat(AdditiveSatisfaction):
        def __init__(self, instance, profile, ballot):
            super().__init__(instance, profile, ballot, lambda inst, prof, b, p, pre: b.get(p, 0) * p.cost)

    return PointsCostSat


def pabutools_election(election: Election, multiprofile: bool = True):
    """The same election as pabutools objects (instance, profile), built directly."""
    from pabutools.election import (
        ApprovalBallot,
        ApprovalProfile,
        CumulativeBallot,
        CumulativeProfile,
        Instance,
        Project,
    )

    from .election import BallotKind

    projects = {p.id: Project(p.id, p.cost) for p in election.projects}
    instance = Instance(projects.values(), budget_limit=election.budget)
    if election.rules.kind is BallotKind.CUMULATIVE:
        profile = CumulativeProfile(
            [CumulativeBallot({projects[i]: v for i, v in b.points.items()}) for b in election.ballots],
            instance=instance,
        )
    else:
        profile = ApprovalProfile([ApprovalBallot(projects[i] for i in b.points) for b in election.ballots])
    return instance, (profile.as_multiprofile() if multiprofile else profile)
