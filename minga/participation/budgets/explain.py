"""The results page's sentences: why each project won or lost, from the explanation the tally
engine stored with the outcome (reason keys and numbers, never prose), in the visitor's
language."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from minga.core.ui.numbers import format_money, format_number


def usd(value) -> str:
    return "USD " + format_money(Decimal(str(value)))


def _greedy_turn(turn: dict, cost) -> str:
    if turn["remaining_before"] >= cost:
        return _(
            "In the ranking by votes it was number %(rank)d; %(left)s were left when its turn came, enough for "
            "its cost, and %(after)s after it."
        ) % {"rank": turn["rank"], "left": usd(turn["remaining_before"]), "after": usd(turn["remaining_after"])}
    return _(
        "In the ranking by votes it was number %(rank)d; when its turn came only %(left)s were left, less than its "
        "cost of %(cost)s."
    ) % {"rank": turn["rank"], "left": usd(turn["remaining_before"]), "cost": usd(cost)}


def _short(short: dict, titles: dict[str, str]) -> str:
    spent = short.get("spent_on") or []
    text = _("Its %(n)s supporters had %(left)s left of their shares at the end, %(gap)s short of its cost.") % {
        "n": format_number(short["supporters"]),
        "left": usd(short["money_left"]),
        "gap": usd(short["shortfall"]),
    }
    if spent:
        parts = [f"{titles.get(pid, pid)} ({usd(amount)})" for pid, amount in spent[:3]]
        text += " " + _("Their money had gone to: %(list)s.") % {"list": "; ".join(parts)}
    return text


def reasons(project: dict, titles: dict[str, str]) -> list[str]:
    """Sentences for one project of ``Outcome.to_dict()["projects"]``."""
    reason = project["reason"]
    cost = project["cost"]
    found: list[str] = []
    if reason == "funded_by_votes":
        found.append(_("Funded: it fitted in what the budget had left, in the order of votes."))
        found.append(_greedy_turn(project["greedy"], cost))
    elif reason == "did_not_fit":
        found.append(_("Not funded: it did not fit in what the budget had left when its turn came."))
        found.append(_greedy_turn(project["greedy"], cost))
    elif reason == "bought_by_supporters":
        bought = project["bought"]
        found.append(
            _(
                "Funded in round %(round)d of the Method of Equal Shares: its %(n)s supporters paid for it together "
                "from their equal shares."
            )
            % {"round": bought["round"], "n": format_number(bought["supporters"])}
        )
        found.append(
            _(
                "Each supporter paid at most %(price)s; %(full)s paid that in full, %(partial)s paid all they had "
                "left, %(empty)s had nothing left. Together they had %(before)s before."
            )
            % {
                "price": usd(bought["price"]),
                "full": format_number(bought["full_payers"]),
                "partial": format_number(bought["partial_payers"]),
                "empty": format_number(bought["empty_handed"]),
                "before": usd(bought["money_before"]),
            }
        )
    elif reason == "funded_in_completion":
        found.append(
            _("Funded in the completion: after the Method of Equal Shares, the money left was filled by votes.")
        )
        if project.get("short"):
            found.append(_short(project["short"], titles))
        if project.get("greedy"):
            found.append(_greedy_turn(project["greedy"], cost))
    elif reason == "supporters_ran_out":
        found.append(_("Not funded: its supporters did not have enough money left in their shares."))
        found.append(_short(project["short"], titles))
        if project.get("greedy"):
            found.append(_greedy_turn(project["greedy"], cost))
    elif reason == "no_supporters":
        found.append(_("Not funded: nobody voted for it."))
    return found


def summary(outcome: dict) -> list[str]:
    """The count as a whole."""
    rule = outcome.get("rule") or {}
    lines = []
    if rule.get("method") == "greedy":
        lines.append(
            _(
                "Greedy by votes: projects in order of votes (ties: the cheaper first, then the lower number); "
                "each is funded if it still fits in what is left."
            )
        )
    else:
        shares = outcome.get("equal_shares") or {}
        lines.append(
            _(
                "Method of Equal Shares: the budget is split equally among the %(voters)s voters (%(share)s each); "
                "a project is bought when its supporters can pay for it together, the one costing each of them "
                "least first."
            )
            % {"voters": format_number(outcome["voters"]), "share": usd(shares.get("share", 0))}
        )
        if shares.get("increments"):
            lines.append(
                _(
                    "Completion: the shares were raised by USD 1 at a time, %(n)d times (to %(share)s), while no "
                    "raise overspent the budget; what was then left was filled in order of votes."
                )
                % {"n": shares["increments"], "share": usd(shares["final_share"])}
            )
        lines.append(
            _("Spent by equal shares: %(mes)s; in the completion by votes: %(rest)s.")
            % {"mes": usd(shares.get("mes_spent", 0)), "rest": usd(shares.get("completion_spent", 0))}
        )
    lines.append(
        _("Spent: %(spent)s of %(budget)s.") % {"spent": usd(outcome["spent"]), "budget": usd(outcome["budget"])}
    )
    return lines
