"""The Method of Equal Shares, exact and fast enough for a city.

The outcome is the one pabutools' ``method_of_equal_shares`` computes in exact rational
arithmetic with the published tie-breaking order, round by round; the tests run both on many
elections. How it stays fast:

* identical ballots are counted once, with their number (``Profile``);
* a voter's money is the share, minus ρ × satisfaction for each project they paid in full,
  or nothing once they paid all they had. So the run keeps, per ballot, which rounds it paid
  in full and whether it is drained: an exact sum of money is an integer sum per round times
  that round's exact ρ, a handful of fractions;
* each round's candidates are priced in floating point with NumPy, each price per unit of
  satisfaction (ρ) with an error bound; the voters' money is also kept as floats, which only
  ever differ from the exact amounts by rounding (the bought project's ρ is always exact);
* a decision the floats cannot take for certain (two candidates closer than their bounds,
  which is every tie, or supporters holding almost exactly a project's cost, or a voter holding
  almost exactly a price) is taken in exact arithmetic;
* as in pabutools, a project's last ρ is a lower bound for later rounds (ρ never falls while
  money is only spent), so each round looks only at the projects that could still be best.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .election import Election
from .greedy import tie_key
from .rules import Utility

_EPS = 2.220446049250313e-16
_REL = 1e-9  # decisions closer than this (relative) are taken in exact arithmetic
_BAND = 1e-9  # a voter's money this close to a price is compared exactly


@dataclass(frozen=True)
class Purchase:
    """A project bought in a round, from the exact replay."""

    project: int
    round: int  # 1-based
    rho: Fraction  # price per unit of satisfaction
    supporters: int  # voters who approved it (or gave it points)
    full_payers: int  # paid rho × their satisfaction
    partial_payers: int  # had less, paid all they had left
    empty_handed: int  # had nothing left
    money_before: Fraction  # what its supporters had left before it was bought


class _Supporters:
    """Per project: its supporting distinct ballots, their number of voters and satisfaction."""

    def __init__(self, election: Election, utility: Utility):
        prof = election.profile
        self.costs = prof.costs
        self.m = len(prof.multiplicity)
        self.idx = prof.supporters
        self.n_i = [prof.multiplicity[s] for s in prof.supporters]
        self.n_f = [n.astype(np.float64) for n in self.n_i]
        self.s_i: list[np.ndarray] = []
        self.constant: list[int | None] = []  # the one satisfaction every supporter has, if so
        for p, (supp, pts) in enumerate(zip(prof.supporters, prof.points, strict=True)):
            if utility is Utility.POINTS:
                sat = pts
            elif utility is Utility.COST:
                sat = np.full(len(supp), prof.costs[p], dtype=np.int64)
            else:
                sat = np.ones(len(supp), dtype=np.int64)
            self.s_i.append(sat)
            same = len(sat) and bool((sat == sat[0]).all())
            self.constant.append(int(sat[0]) if same else None)
        self.s_f = [s.astype(np.float64) for s in self.s_i]
        self.ns_f = [n * s for n, s in zip(self.n_f, self.s_f, strict=True)]
        self.total = [int((n * s).sum()) for n, s in zip(self.n_i, self.s_i, strict=True)]
        self.voters = [int(n.sum()) for n in self.n_i]
        self.varying = any(c is None for c, v in zip(self.constant, self.voters, strict=True) if v)


@dataclass
class _Price:
    """An exact ρ in the run's current units: ``num / (den × scale)``, with the supporting
    ballots that cannot pay it in full and those whose money is exactly the price."""

    num: int
    scale: int
    poor: np.ndarray
    equal: np.ndarray

    def less_than(self, other: _Price) -> bool:
        return self.num * other.scale < other.num * self.scale

    def same(self, other: _Price) -> bool:
        return self.num * other.scale == other.num * self.scale


class Run:
    """One run of MES with a given share per voter.

    Exact money is kept over one common denominator ``den``: every amount is an integer
    numerator, ``paid_num[j]`` is round j's ρ times ``den``, and a voter's money is
    ``share_num`` minus ``paid_num[j]`` × satisfaction for each round j they paid in full.
    Buying a project multiplies ``den`` by the integer denominator of its ρ."""

    def __init__(self, election: Election, sup: _Supporters, share: Fraction, record: bool = False):
        self.election = election
        self.sup = sup
        self.share = share
        self.share_f = float(share)
        self.record = record
        # floats: within self.error of the exact money
        self.money = np.full(sup.m, self.share_f)
        self.error = 4 * _EPS * self.share_f
        # exact: drained ballots, and per round who paid in full
        self.den = share.denominator
        self.share_num = share.numerator
        self.paid_num: list[int] = []
        self.drained = np.zeros(sup.m, dtype=bool)
        n_projects = len(sup.costs)
        self.full = np.zeros((n_projects, sup.m), dtype=bool)
        self.sat = np.zeros((n_projects, sup.m), dtype=np.int64) if sup.varying else None
        self.scale = np.zeros(n_projects, dtype=np.int64)
        self.rho: list[Fraction] = []
        self.selected: list[int] = []
        self.purchases: list[Purchase] = []  # recorded runs only
        self.paid: list[np.ndarray] = []  # recorded runs: per round, what each supporting ballot paid
        self._decide()

    # -- exact money ---------------------------------------------------------------------------------

    def _paid_sums(self, ballots: np.ndarray, voters: np.ndarray) -> list[int]:
        """Per round: the satisfaction ``ballots`` paid ρ for in full, times their voters."""
        k = len(self.paid_num)
        if not k or not len(ballots):
            return []
        full = self.full[:k, ballots]
        if self.sat is None:
            return [int(c) * int(f) for c, f in zip((full @ voters).tolist(), self.scale[:k].tolist(), strict=True)]
        return (full * self.sat[:k, ballots] @ voters).tolist()

    def _sum_num(self, ballots: np.ndarray, voters: np.ndarray) -> int:
        """Exact money of ``ballots`` (each counted ``voters`` times), times ``den``."""
        live = ~self.drained[ballots]
        ballots, voters = ballots[live], voters[live]
        found = int(voters.sum()) * self.share_num
        for paid, c in zip(self.paid_num, self._paid_sums(ballots, voters), strict=False):
            found -= paid * c
        return found

    def _value_num(self, ballot: int) -> int:
        return self._sum_num(np.array([ballot]), np.array([1], dtype=np.int64))

    def total(self, ballots: np.ndarray, voters: np.ndarray) -> Fraction:
        """Exact money of ``ballots`` (each counted ``voters`` times)."""
        return Fraction(self._sum_num(ballots, voters), self.den)

    def money_left(self, p: int) -> Fraction:
        """What p's supporters have left, exactly."""
        return self.total(self.sup.idx[p], self.sup.n_i[p])

    def spent_on(self, p: int) -> dict[int, float]:
        """How much p's supporters paid towards each project bought (recorded runs; floats, for
        display)."""
        X, n = self.sup.idx[p], self.sup.n_f[p]
        found: dict[int, float] = {}
        dense = np.zeros(self.sup.m, dtype=np.float64)
        for w, paid in zip(self.selected, self.paid, strict=True):
            Y = self.sup.idx[w]
            dense[Y] = paid
            amount = float((n * dense[X]).sum())
            dense[Y] = 0.0
            if amount > 0:
                found[w] = amount
        return found

    def exact_rho(self, p: int, estimate: float | None = None) -> _Price | None:
        """Exact ρ of p; None when its supporters cannot pay for it together. ``estimate`` is
        this round's float ρ when the floats already found p clearly affordable."""
        sup = self.sup
        X, n_i, s_i, s_f = sup.idx[p], sup.n_i[p], sup.s_i[p], sup.s_f[p]
        cost, total_sat = sup.costs[p], sup.total[p]
        v = self.money[X]
        if estimate is None:
            available_f = float((sup.n_f[p] * v).sum())
            margin = 1e-7 * max(available_f, cost)
            if available_f < cost - margin or (
                available_f <= cost + margin and self._sum_num(X, n_i) < cost * self.den
            ):
                return None
            estimate = self._float_rho(p, v)[0]
        rho_f = estimate
        drained = self.drained[X]
        band = max(_BAND * self.share_f, 64 * self.error)
        poor = (v < rho_f * s_f * (1 - 1e-6) - band) | drained
        for _ in range(2 * len(X) + 4):
            # ρ = num / (den × scale)
            num = cost * self.den - self._sum_num(X[poor], n_i[poor])
            scale = total_sat - int((n_i[poor] * s_i[poor]).sum())
            price_f = num / (self.den * scale) * s_f if scale > 0 else np.full(len(X), math.inf)
            width = np.maximum(band, _BAND * price_f)
            # whoever the floats cannot place for certain is compared exactly
            changed = False
            for b in np.flatnonzero(poor & ~drained & (v >= price_f - width)).tolist():
                if self._value_num(int(X[b])) * scale >= num * int(s_i[b]):
                    poor[b] = False
                    changed = True
            if changed:
                continue
            rest = ~poor
            new = rest & (v < price_f - width)
            equal = []
            for b in np.flatnonzero(rest & (np.abs(v - price_f) <= width)).tolist():
                mine, price = self._value_num(int(X[b])) * scale, num * int(s_i[b])
                if mine < price:
                    new[b] = True
                elif mine == price:
                    equal.append(b)
            if not new.any():
                return _Price(num, scale, poor, np.asarray(equal, dtype=np.int64))
            poor |= new
        raise AssertionError("no consistent price found")  # pragma: no cover

    # -- the rounds ---------------------------------------------------------------------------------

    def _float_rho(self, p: int, v: np.ndarray) -> tuple[float, float, float]:
        """ρ of p in floats (pabutools' "poor/rich" iteration: those who cannot pay the price
        pay all they have, the others share the rest), with the poor's contribution and the
        rest's total satisfaction; a denominator of 0 or less means the floats cannot tell."""
        sup = self.sup
        cost, total_sat = sup.costs[p], sup.total[p]
        s, nv, ns = sup.s_f[p], sup.n_f[p] * v, sup.ns_f[p]
        rho, contrib, denominator = cost / total_sat, 0.0, float(total_sat)
        count = 0
        for _ in range(len(v) + 2):
            poor = v < rho * s
            now = int(np.count_nonzero(poor))
            if now == count:
                break
            count = now
            contrib = float(nv[poor].sum())
            denominator = total_sat - float(ns[poor].sum())
            if denominator <= 0:
                break
            rho = (cost - contrib) / denominator
        return rho, contrib, denominator

    def _estimate(self, p: int) -> tuple[str, float, float]:
        """("ok", ρ, error bound), ("unaffordable", …) or ("unsure", …) in floats."""
        sup = self.sup
        X = sup.idx[p]
        v = self.money[X]
        cost, voters = sup.costs[p], sup.voters[p]
        available = float((sup.n_f[p] * v).sum())
        rounding = 8 * (len(X) + 4) * _EPS
        slack = 2 * (voters * self.error + rounding * max(available, cost)) + _REL * cost
        if available < cost - slack:
            return "unaffordable", math.inf, 0.0
        if available <= cost + slack:
            return "unsure", 0.0, math.inf
        rho, contrib, denominator = self._float_rho(p, v)
        if denominator <= 0:
            return "unsure", 0.0, math.inf
        bound = 2 * (voters * self.error + rounding * (cost + contrib)) / denominator + 4 * _EPS * rho
        return "ok", rho, max(bound, _REL * rho)

    def _decide(self) -> None:
        sup, election = self.sup, self.election
        alive = [p for p in range(len(sup.costs)) if sup.total[p] > 0]
        lower = dict.fromkeys(alive, 0.0)
        while alive:
            alive.sort(key=lower.__getitem__)
            best_upper = math.inf
            evaluated: list[tuple[int, float, float, float]] = []  # project, ρ, lower, upper
            known: dict[int, _Price] = {}
            for p in list(alive):
                if lower[p] > best_upper:
                    break
                status, rho, bound = self._estimate(p)
                if status == "unsure":
                    found = self.exact_rho(p)
                    if found is None:
                        status = "unaffordable"
                    else:
                        known[p] = found
                        rho = found.num / (self.den * found.scale)
                        bound = 4 * _EPS * rho
                if status == "unaffordable":
                    alive.remove(p)
                    continue
                lower[p] = rho - bound
                evaluated.append((p, rho, rho - bound, rho + bound))
                best_upper = min(best_upper, rho + bound)
            if not evaluated:
                break
            candidates = [(p, rho) for p, rho, lo, _ in evaluated if lo <= best_upper]
            priced: dict[int, _Price] = {}
            for p, rho in candidates:
                found = known.get(p) or self.exact_rho(p, rho)
                if found is None:  # pragma: no cover - the floats said it was affordable
                    alive.remove(p)
                else:
                    priced[p] = found
            if not priced:  # pragma: no cover
                continue
            best = next(iter(priced.values()))
            for found in priced.values():
                if found.less_than(best):
                    best = found
            winner = min((p for p in priced if priced[p].same(best)), key=lambda i: tie_key(election, i))
            self._buy(winner, priced[winner])
            alive.remove(winner)

    def _buy(self, p: int, price: _Price) -> None:
        """Every supporter pays ρ × satisfaction, or all they have left if that is less."""
        sup = self.sup
        X, n_i = sup.idx[p], sup.n_i[p]
        poor, equal = price.poor, price.equal
        k = len(self.paid_num)
        rho = Fraction(price.num, self.den * price.scale)
        full = ~poor
        if self.record:
            was_drained = self.drained[X]
            self.purchases.append(
                Purchase(
                    project=p,
                    round=k + 1,
                    rho=rho,
                    supporters=sup.voters[p],
                    full_payers=int(n_i[full].sum()),
                    partial_payers=int(n_i[poor & ~was_drained].sum()),
                    empty_handed=int(n_i[was_drained].sum()),
                    money_before=self.total(X, n_i),
                )
            )
        price_f = float(rho) * sup.s_f[p]
        v = self.money[X]
        if self.record:
            self.paid.append(np.where(full, price_f, v))
        # the new common denominator
        self.den *= price.scale
        self.share_num *= price.scale
        self.paid_num = [paid * price.scale for paid in self.paid_num]
        self.paid_num.append(price.num)
        self.full[k, X[full]] = True
        if self.sat is None:
            self.scale[k] = sup.constant[p]
        else:
            self.sat[k, X] = sup.s_i[p]
        gone = X[poor]
        self.drained[gone] = True
        self.drained[X[equal]] = True
        self.money[X] = np.maximum(v - price_f, 0.0)
        self.money[gone] = 0.0
        self.money[X[equal]] = 0.0
        self.error += 4 * _EPS * self.share_f
        self.rho.append(rho)
        self.selected.append(p)


@dataclass(frozen=True)
class Iterated:
    """MES with Add1: the run kept, how many units were added to each share, and why it stopped."""

    run: Run
    increments: int
    stopped: str  # "exhaustive" | "next_overspends" | "plain" (no completion asked)
    next_cost: int | None  # cost of the first run that overspent ("next_overspends")


def iterate(election: Election, utility: Utility, add1: bool) -> Iterated:
    """MES, and with ``add1`` pabutools' ``voter_budget_increment=1``: raise every share by one
    unit until the outcome leaves no supported project that still fits (kept) or costs more than
    the budget (the previous one is kept; the first run never overspends, each voter spending
    at most the budget's equal share)."""
    sup = _Supporters(election, utility)
    costs = sup.costs
    budget = election.budget
    base = Fraction(budget, election.voter_count)
    supported = [p for p in range(len(costs)) if sup.total[p] > 0]
    if not add1:
        return Iterated(Run(election, sup, base, record=True), 0, "plain", None)
    k = 0
    while True:
        current = Run(election, sup, base + k)
        spent = sum(costs[p] for p in current.selected)
        if spent > budget:
            return Iterated(Run(election, sup, base + k - 1, record=True), k - 1, "next_overspends", spent)
        chosen = set(current.selected)
        if all(p in chosen or costs[p] > budget - spent for p in supported):
            return Iterated(Run(election, sup, base + k, record=True), k, "exhaustive", None)
        k += 1
