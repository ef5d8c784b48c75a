"""Red flags with their data coverage. Every indicator gives each process one of four states:
fired (with the figures that made it fire), clear, no data (the published data does not allow
computing it: "sin datos"), or not applicable (the rule does not concern this kind of process).

Per-process indicators are computed when the compiled record changes; the indicators that
compare a process with others (splitting, emergency share, supplier concentration) are
recomputed for the whole government after every import. Thresholds are per-government module
settings; the values used are stored with each result, so a page shows exactly why."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minga.core.registry import module_settings

from .procedures import WORKS_THRESHOLD_COEFFICIENTS, coefficients_by_procedure

FIRED, CLEAR, NO_DATA, NOT_APPLICABLE = "fired", "clear", "no_data", "not_applicable"
COMPETITIVE_METHODS = ("open", "selective")
VALID_BIDS = ("valid", "qualified")


@dataclass(frozen=True)
class Indicator:
    code: str
    name: object
    description: object
    source: object  # Cardinal or local
    needs: object  # the data it needs


INDICATORS = (
    Indicator(
        "R018",
        _("Single bid received"),
        _("Only one bidder took part in a competitive procedure."),
        _("Cardinal (Open Contracting Partnership)"),
        _("the number of bidders (tender.numberOfTenderers, bids or tenderers)"),
    ),
    Indicator(
        "R003",
        _("Short submission period"),
        _("The time to submit bids was shorter than the minimum set for the procedure."),
        _("Cardinal (Open Contracting Partnership)"),
        _("the tender period's start and end dates"),
    ),
    Indicator(
        "R035",
        _("All except the winning bid disqualified"),
        _("Every bid but the winner's was disqualified."),
        _("Cardinal (Open Contracting Partnership)"),
        _("the bids with their status (bids.details)"),
    ),
    Indicator(
        "R036",
        _("Lowest bid disqualified"),
        _("The cheapest bid was disqualified in a procedure decided on price."),
        _("Cardinal (Open Contracting Partnership)"),
        _("the bids with their amounts and status (bids.details)"),
    ),
    Indicator(
        "FRAC",
        _("Possible splitting of ínfima cuantía purchases"),
        _(
            "Ínfima cuantía purchases of the same item family from the same supplier, within a short "
            "period, add up to more than the ínfima cuantía threshold."
        ),
        _("Local indicator"),
        _("supplier, item classification, date and amount, and the PIE of the year"),
    ),
    Indicator(
        "EMER",
        _("High share of emergency contracting"),
        _("Emergency procedures make up a large share of what the buyer contracted in the year."),
        _("Local indicator"),
        _("the amounts of the buyer's processes in the year"),
    ),
    Indicator(
        "CONC",
        _("Supplier concentration"),
        _("One supplier received a large share of what the buyer awarded in the year."),
        _("Local indicator"),
        _("the awarded suppliers and amounts"),
    ),
    Indicator(
        "AMEND",
        _("Large amendments"),
        _("The contracted amount grew by more than the allowed share of the original contract."),
        _("Local indicator"),
        _("the contract value as first published and as it stands"),
    ),
    Indicator(
        "NEWSUP",
        _("Award to a newly registered supplier"),
        _(
            "The supplier was registered as a state supplier shortly before the award (or after it): a company "
            "created for one contract is a warning sign."
        ),
        _("Local indicator"),
        _("the supplier's registration date (parties.details) and the award date"),
    ),
    Indicator(
        "THRESH",
        _("Procedure above its legal threshold"),
        _(
            "The process used a direct or lower-tier procedure (ínfima cuantía, menor cuantía, cotización, "
            "direct consultancy, short list) although its amount is above that procedure's upper limit."
        ),
        _("Local indicator"),
        _("the procedure type with its threshold coefficient, the PIE of the year and the tender or awarded amount"),
    ),
    Indicator(
        "BUDGET",
        _("Award above the certified budget"),
        _("The awarded amount is higher than the budget certified for the process."),
        _("Local indicator"),
        _("the certified amount of the budget line, or planning.budget.amount"),
    ),
)
BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
PROCESS_CODES = ("R018", "R003", "R035", "R036", "AMEND", "BUDGET")
# The indicators that read more than the process itself (other processes, the supplier records,
# the PIE of the year) are recomputed for the whole government after every import.
GROUP_CODES = ("FRAC", "EMER", "CONC", "NEWSUP", "THRESH")

DEFAULTS = {
    "r003_min_days": 15,
    "r003_days_by_procedure": "cotizacion=7, licitacion=10, licitacion-seguros=10",
    "splitting_window_days": 30,
    "item_family_digits": 5,
    "emergency_share_percent": 10,
    "concentration_percent": 40,
    "concentration_min_processes": 5,
    "amendment_percent": 25,
    "new_supplier_days": 90,
    "supplier_registration_keys": "registrationDate",
    "works_threshold_coefficients": WORKS_THRESHOLD_COEFFICIENTS,
}


def thresholds(government) -> dict:
    found = dict(DEFAULTS)
    found.update({k: v for k, v in module_settings(government, "procurement").items() if k in DEFAULTS})
    return found


def days_by_procedure(text: str) -> dict[str, int]:
    found = {}
    for part in str(text or "").replace(";", ",").split(","):
        code, sep, days = part.partition("=")
        if sep and days.strip().isdigit():
            found[code.strip()] = int(days.strip())
    return found


def _state(state: str, **values) -> dict:
    return {"state": state, "values": {k: _plain(v) for k, v in values.items()}}


def _plain(value):
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _is_competitive(columns: dict) -> bool:
    procedure = columns.get("procedure")
    if procedure is not None:
        return bool(procedure.is_competitive)
    return columns.get("method") in COMPETITIVE_METHODS


def single_bid(columns: dict) -> dict:
    if not _is_competitive(columns):
        return _state(NOT_APPLICABLE)
    count = columns.get("number_of_tenderers")
    if count is None:
        return _state(NO_DATA)
    if count == 1:
        return _state(FIRED, bidders=count)
    return _state(CLEAR, bidders=count)


def short_period(columns: dict, limits: dict) -> dict:
    if not _is_competitive(columns):
        return _state(NOT_APPLICABLE)
    start, end = columns.get("tender_start"), columns.get("tender_end")
    if start is None or end is None:
        return _state(NO_DATA)
    procedure = columns.get("procedure")
    by_procedure = days_by_procedure(limits["r003_days_by_procedure"])
    minimum = by_procedure.get(procedure.code, limits["r003_min_days"]) if procedure else limits["r003_min_days"]
    days = (end - start).days
    return _state(FIRED if days < minimum else CLEAR, days=days, minimum=minimum)


def _bids(compiled: dict) -> list[dict]:
    return _list(_dict(compiled.get("bids")).get("details"))


def _winners(compiled: dict) -> set[str]:
    return {
        str(_dict(s).get("id") or _dict(s).get("name"))
        for award in _list(compiled.get("awards"))
        if award.get("status") not in ("cancelled", "unsuccessful")
        for s in award.get("suppliers") or []
    }


def _bidders(bid: dict) -> set[str]:
    return {str(_dict(t).get("id") or _dict(t).get("name")) for t in bid.get("tenderers") or []}


def all_but_winner_disqualified(compiled: dict, columns: dict) -> dict:
    if not _is_competitive(columns):
        return _state(NOT_APPLICABLE)
    bids = [bid for bid in _bids(compiled) if bid.get("status")]
    winners = _winners(compiled)
    if len(bids) < 2 or not winners:
        return _state(NO_DATA)
    valid = [bid for bid in bids if bid["status"] in VALID_BIDS]
    disqualified = [bid for bid in bids if bid["status"] == "disqualified"]
    fired = len(valid) == 1 and bool(_bidders(valid[0]) & winners) and len(disqualified) >= 1
    return _state(FIRED if fired else CLEAR, bids=len(bids), disqualified=len(disqualified))


def lowest_bid_disqualified(compiled: dict, columns: dict) -> dict:
    if not _is_competitive(columns):
        return _state(NOT_APPLICABLE)
    criteria = _dict(compiled.get("tender")).get("awardCriteria")
    if criteria and criteria not in ("priceOnly", "lowestCost"):
        return _state(NOT_APPLICABLE)
    priced = []
    for bid in _bids(compiled):
        value = _dict(bid.get("value")).get("amount")
        if bid.get("status") and isinstance(value, int | float) and not isinstance(value, bool):
            priced.append((Decimal(str(value)), bid["status"]))
    if len(priced) < 2:
        return _state(NO_DATA)
    lowest, status = min(priced, key=lambda item: item[0])
    return _state(FIRED if status == "disqualified" else CLEAR, lowest=lowest, bids=len(priced))


def large_amendment(columns: dict, limits: dict) -> dict:
    current, original = columns.get("contract_amount"), columns.get("original_contract_amount")
    if current is None and columns.get("stage") not in ("contract", "implementation", "complete"):
        return _state(NOT_APPLICABLE)
    if current is None or not original:
        return _state(NO_DATA)
    growth = (current - original) * 100 / original
    fired = growth > Decimal(limits["amendment_percent"])
    return _state(
        FIRED if fired else CLEAR, original=original, current=current, growth=growth, limit=limits["amendment_percent"]
    )


def award_above_budget(columns: dict, certified: Decimal | None) -> dict:
    award = columns.get("award_amount")
    if award is None:
        return _state(NOT_APPLICABLE)
    if certified is not None:
        reference, source = certified, "certified"
    elif columns.get("budget_amount") is not None:
        reference, source = columns["budget_amount"], "planning"
    else:
        return _state(NO_DATA)
    return _state(FIRED if award > reference else CLEAR, award=award, reference=reference, source=source)


def process_flags(compiled: dict, columns: dict, limits: dict, certified: Decimal | None) -> dict:
    return {
        "R018": single_bid(columns),
        "R003": short_period(columns, limits),
        "R035": all_but_winner_disqualified(compiled, columns),
        "R036": lowest_bid_disqualified(compiled, columns),
        "AMEND": large_amendment(columns, limits),
        "BUDGET": award_above_budget(columns, certified),
    }


# Indicators across processes ---------------------------------------------------------------


@dataclass
class Row:
    """What the group indicators need of one process."""

    pk: int
    buyer_id: int | None
    year: int | None
    date: dt.datetime | None
    amount: Decimal | None
    is_infima: bool
    is_emergency: bool
    supplier_ids: tuple[int, ...]
    family: str
    award_amount: Decimal | None
    award_date: dt.datetime | None = None
    tender_amount: Decimal | None = None
    category: str = ""
    procedure_code: str = ""  # empty when the procedure type was not recognised
    coefficient: Decimal | None = None  # the procedure's upper limit as a share of the PIE


def splitting(
    rows: list[Row], limits: dict, pie_by_year: dict[int, Decimal], coefficient: Decimal | None
) -> dict[int, dict]:
    results: dict[int, dict] = {}
    window = dt.timedelta(days=int(limits["splitting_window_days"]))
    groups: dict[tuple, list[Row]] = defaultdict(list)
    for row in rows:
        if not row.is_infima:
            results[row.pk] = _state(NOT_APPLICABLE)
            continue
        pie = pie_by_year.get(row.year) if row.year else None
        if not (row.supplier_ids and row.family and row.date and row.amount is not None and pie and coefficient):
            results[row.pk] = _state(NO_DATA)
            continue
        groups[(row.buyer_id, row.supplier_ids[0], row.family)].append(row)
    for members in groups.values():
        members.sort(key=lambda r: r.date)
        start, total = 0, Decimal(0)
        fired: dict[int, tuple] = {}
        for end, row in enumerate(members):
            total += row.amount
            while members[start].date < row.date - window:
                total -= members[start].amount
                start += 1
            limit = (coefficient * pie_by_year[row.year]).quantize(Decimal("0.01"))
            if end > start and total > limit:
                for member in members[start : end + 1]:
                    previous = fired.get(member.pk)
                    if previous is None or total > previous[1]:
                        fired[member.pk] = (end - start + 1, total, limit)
        for row in members:
            if row.pk in fired:
                count, total_found, limit = fired[row.pk]
                results[row.pk] = _state(
                    FIRED,
                    count=count,
                    total=total_found,
                    threshold=limit,
                    days=int(limits["splitting_window_days"]),
                    family=row.family,
                )
            else:
                results[row.pk] = _state(CLEAR, days=int(limits["splitting_window_days"]))
    return results


def emergency_share(rows: list[Row], limits: dict) -> dict[int, dict]:
    totals: dict[tuple, Decimal] = defaultdict(Decimal)
    emergency: dict[tuple, Decimal] = defaultdict(Decimal)
    for row in rows:
        if row.amount is not None and row.buyer_id and row.year:
            totals[(row.buyer_id, row.year)] += row.amount
            if row.is_emergency:
                emergency[(row.buyer_id, row.year)] += row.amount
    limit = Decimal(limits["emergency_share_percent"])
    results = {}
    for row in rows:
        if not row.is_emergency:
            results[row.pk] = _state(NOT_APPLICABLE)
            continue
        key = (row.buyer_id, row.year)
        if row.amount is None or not row.buyer_id or not row.year or not totals.get(key):
            results[row.pk] = _state(NO_DATA)
            continue
        share = emergency[key] * 100 / totals[key]
        results[row.pk] = _state(FIRED if share > limit else CLEAR, share=share, limit=int(limit), year=row.year)
    return results


def concentration(rows: list[Row], limits: dict) -> dict[int, dict]:
    totals: dict[tuple, Decimal] = defaultdict(Decimal)
    counts: dict[tuple, int] = defaultdict(int)
    by_supplier: dict[tuple, Decimal] = defaultdict(Decimal)
    for row in rows:
        if row.award_amount is None or not row.buyer_id or not row.year or not row.supplier_ids:
            continue
        key = (row.buyer_id, row.year)
        totals[key] += row.award_amount
        counts[key] += 1
        share = row.award_amount / len(row.supplier_ids)
        for supplier in row.supplier_ids:
            by_supplier[(*key, supplier)] += share
    limit = Decimal(limits["concentration_percent"])
    minimum = int(limits["concentration_min_processes"])
    results = {}
    for row in rows:
        key = (row.buyer_id, row.year)
        if row.award_amount is None or not row.supplier_ids or not row.buyer_id or not row.year:
            results[row.pk] = _state(NOT_APPLICABLE if row.award_amount is None and not row.supplier_ids else NO_DATA)
            continue
        if counts[key] < minimum or not totals[key]:
            results[row.pk] = _state(CLEAR, processes=counts[key], minimum=minimum, limit=int(limit))
            continue
        top = max(by_supplier[(*key, supplier)] for supplier in row.supplier_ids)
        share = top * 100 / totals[key]
        results[row.pk] = _state(FIRED if share > limit else CLEAR, share=share, limit=int(limit), year=row.year)
    return results


def new_supplier(rows: list[Row], registered: dict[int, dt.date | None], limits: dict) -> dict[int, dict]:
    """NEWSUP: an awarded supplier registered less than `new_supplier_days` before the award
    (or after it). A process whose supplier's registration date is unknown is "no data", never
    clear: the coverage of this indicator is the share of awarded processes whose suppliers'
    dates are known."""
    window = int(limits["new_supplier_days"])
    results = {}
    for row in rows:
        if not row.supplier_ids:
            results[row.pk] = _state(NOT_APPLICABLE)
            continue
        dates = [registered.get(supplier) for supplier in row.supplier_ids]
        known = [day for day in dates if day is not None]
        if row.award_date is None or not known:
            results[row.pk] = _state(NO_DATA)
            continue
        # The calendar day of the award in the portal's time zone, as the process page shows it.
        awarded = (
            timezone.localtime(row.award_date).date() if timezone.is_aware(row.award_date) else row.award_date.date()
        )
        newest = max(known)
        days = (awarded - newest).days
        if days < window:
            results[row.pk] = _state(FIRED, days=days, window=window, registered=newest, awarded=awarded)
        elif len(known) < len(dates):
            results[row.pk] = _state(NO_DATA)  # another supplier of the award may be new
        else:
            results[row.pk] = _state(CLEAR, days=days, window=window, registered=newest, awarded=awarded)
    return results


def above_threshold(rows: list[Row], limits: dict, pie_by_year: dict[int, Decimal]) -> dict[int, dict]:
    """THRESH: a procedure with an upper limit (coefficient × PIE of the year) used for a process
    whose amount exceeds it. The amount is the tender value (the presupuesto referencial, by
    which the law chooses the procedure); where no tender value is published (common in ínfima
    cuantía), the awarded amount. Works use the works coefficients where they differ."""
    works = coefficients_by_procedure(limits["works_threshold_coefficients"])
    limits_by: dict[tuple, Decimal] = {}
    results = {}
    for row in rows:
        if not row.procedure_code:
            results[row.pk] = _state(NO_DATA)
            continue
        coefficient = row.coefficient
        if row.category == "works" and row.procedure_code in works:
            coefficient = works[row.procedure_code]
        if coefficient is None:
            results[row.pk] = _state(NOT_APPLICABLE)
            continue
        amount, source = (row.tender_amount, "tender") if row.tender_amount is not None else (row.award_amount, "award")
        pie = pie_by_year.get(row.year) if row.year else None
        if amount is None or pie is None:
            results[row.pk] = _state(NO_DATA)
            continue
        limit = limits_by.get((coefficient, row.year))
        if limit is None:
            limit = limits_by[(coefficient, row.year)] = (coefficient * pie).quantize(Decimal("0.01"))
        results[row.pk] = _state(
            FIRED if amount > limit else CLEAR, amount=amount, limit=limit, source=source, year=row.year
        )
    return results


def count_fired(*flag_maps: dict) -> int:
    return sum(1 for flags in flag_maps for result in flags.values() if result.get("state") == FIRED)


# Explanations -------------------------------------------------------------------------------


def explain(code: str, result: dict) -> str:
    """Why the indicator is in this state, with its figures and thresholds, in the language of
    the request."""
    from django.utils.formats import date_format, number_format
    from django.utils.translation import gettext

    from minga.core.templatetags.minga import usd as format_usd

    state, values = result.get("state"), result.get("values", {})
    if state == NO_DATA:
        return gettext("Not computable: the published data lacks %(needs)s.") % {"needs": BY_CODE[code].needs}
    if state == NOT_APPLICABLE:
        return gettext("Does not apply to this kind of process.")

    def usd(key):
        return format_usd(values.get(key, "0"))

    def pct(key):
        return number_format(Decimal(str(values.get(key, "0"))), decimal_pos=1, use_l10n=True) + " %"

    def day(key):
        """A stored ISO date as the page's language writes dates (25/06/2016)."""
        try:
            return date_format(dt.date.fromisoformat(str(values.get(key))[:10]), "SHORT_DATE_FORMAT")
        except ValueError:
            return values.get(key)

    def count(value):
        return number_format(value, use_l10n=True, force_grouping=True)

    if code == "R018":
        return gettext("Bidders: %(count)s (the flag fires with exactly one).") % {"count": values.get("bidders")}
    if code == "R003":
        return gettext("Submission period: %(days)s days; minimum for this procedure: %(minimum)s days.") % values
    if code == "R035":
        return (
            gettext("%(disqualified)s of %(bids)s bids disqualified; the flag fires when only the winner's remains.")
            % values
        )
    if code == "R036":
        return gettext("Lowest of %(bids)s bids: %(lowest)s.") % {"bids": values.get("bids"), "lowest": usd("lowest")}
    if code == "AMEND":
        return gettext("Contracted %(original)s at first, %(current)s now: %(growth)s more; limit %(limit)s %%.") % {
            "original": usd("original"),
            "current": usd("current"),
            "growth": pct("growth"),
            "limit": values.get("limit"),
        }
    if code == "BUDGET":
        source = (
            gettext("certified in the budget line")
            if values.get("source") == "certified"
            else gettext("budgeted in planning")
        )
        return gettext("Awarded %(award)s against %(reference)s %(source)s.") % {
            "award": usd("award"),
            "reference": usd("reference"),
            "source": source,
        }
    if code == "FRAC":
        if state == CLEAR:
            return gettext("No group of purchases within %(days)s days exceeds the threshold.") % values
        return gettext(
            "%(count)s ínfima cuantía purchases of family %(family)s from this supplier within %(days)s days "
            "add up to %(total)s, above the threshold of %(threshold)s."
        ) % {**values, "total": usd("total"), "threshold": usd("threshold")}
    if code == "EMER":
        return gettext(
            "Emergency procedures: %(share)s of the buyer's contracting in %(year)s; limit %(limit)s %%."
        ) % {
            "share": pct("share"),
            "year": values.get("year"),
            "limit": values.get("limit"),
        }
    if code == "NEWSUP":
        dates = {"registered": day("registered"), "awarded": day("awarded")}
        if values.get("days", 0) < 0:
            return gettext(
                "The supplier's registration date (%(registered)s) is %(after)s days after the award "
                "(%(awarded)s); the flag fires under %(window)s days."
            ) % {**values, **dates, "after": count(-values["days"])}
        return gettext(
            "The supplier was registered on %(registered)s, %(days)s days before the award (%(awarded)s); "
            "the flag fires under %(window)s days."
        ) % {**values, **dates, "days": count(values["days"])}
    if code == "THRESH":
        source = gettext("tender value") if values.get("source") == "tender" else gettext("awarded amount")
        return gettext("Amount (%(source)s) %(amount)s against this procedure's limit of %(limit)s in %(year)s.") % {
            "source": source,
            "amount": usd("amount"),
            "limit": usd("limit"),
            "year": values.get("year"),
        }
    if code == "CONC":
        if "share" not in values:
            return (
                gettext("The buyer has %(processes)s awarded processes in the year; at least %(minimum)s are needed.")
                % values
            )
        return gettext("This supplier received %(share)s of the buyer's awards in %(year)s; limit %(limit)s %%.") % {
            "share": pct("share"),
            "year": values.get("year"),
            "limit": values.get("limit"),
        }
    return ""
