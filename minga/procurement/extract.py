"""From a compiled release (and the releases behind it) to the indexed columns of a process:
buyer, procedure, stage, amounts, dates, suppliers, item families, budget lines and the text
that full-text search matches."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from .ocds import amount_of, parse_date, release_sort_key
from .wordlists import index_text

INACTIVE = ("cancelled", "unsuccessful")


@dataclass
class Party:
    identifier: str
    name: str
    registered: dt.date | None = None  # the supplier's registration date, where the data gives it


@dataclass
class Extracted:
    columns: dict
    buyer: Party | None
    suppliers: list[tuple[Party, Decimal | None]] = field(default_factory=list)
    items: list[tuple[str, str]] = field(default_factory=list)  # (code, description)
    budget_lines: list[tuple[str, Decimal | None]] = field(default_factory=list)  # (year:partida, amount)


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value, limit: int) -> str:
    return str(value).strip()[:limit] if value not in (None, "") else ""


def _party_names(compiled: dict) -> dict[str, str]:
    return {str(p.get("id")): _text(p.get("name"), 400) for p in _list(compiled.get("parties")) if p.get("id")}


def registration_fields(text: str) -> tuple[str, ...]:
    """The keys of `parties[].details` that hold a supplier's registration date, from the
    government's setting (comma-separated; a dotted key reaches into nested objects)."""
    return tuple(part.strip() for part in str(text or "").replace(";", ",").split(",") if part.strip())


def _detail(details: dict, key: str):
    value = details
    for part in key.split("."):
        value = _dict(value).get(part)
    return value


def registrations(compiled: dict, fields: tuple[str, ...]) -> dict[str, dt.date]:
    """The registration date of each party whose details carry one, by party id: the first of
    `fields` that holds a date wins."""
    found = {}
    if not fields:
        return found
    for party in _list(compiled.get("parties")):
        identifier = _text(party.get("id"), 200)
        details = _dict(party.get("details"))
        if not identifier or not details:
            continue
        for key in fields:
            moment = parse_date(_detail(details, key))
            if moment is not None:
                found[identifier] = moment.date()
                break
    return found


def _party(reference, names: dict[str, str]) -> Party | None:
    reference = _dict(reference)
    identifier = _text(reference.get("id"), 200)
    name = _text(reference.get("name"), 400) or names.get(identifier, "")
    if not identifier and not name:
        return None
    return Party(identifier or name[:200], name or identifier)


def _buyer(compiled: dict, names: dict[str, str]) -> Party | None:
    found = _party(compiled.get("buyer"), names)
    if found:
        return found
    for party in _list(compiled.get("parties")):
        if "buyer" in (party.get("roles") or []):
            return _party(party, names)
    return None


def _sum(values) -> Decimal | None:
    found = [value for value in values if value is not None]
    return sum(found, Decimal(0)) if found else None


def stage_of(compiled: dict) -> str:
    tender = _dict(compiled.get("tender"))
    status = tender.get("status")
    contracts = [c for c in _list(compiled.get("contracts")) if c.get("status") not in INACTIVE]
    awards = [a for a in _list(compiled.get("awards")) if a.get("status") not in INACTIVE]
    if status == "cancelled" and not contracts:
        return "cancelled"
    if status == "unsuccessful" and not awards:
        return "unsuccessful"
    if contracts:
        if any(c.get("status") == "terminated" for c in contracts):
            return "complete"
        if any(_list(_dict(c.get("implementation")).get("transactions")) for c in contracts):
            return "implementation"
        return "contract"
    if awards:
        return "award"
    if tender:
        return "tender"
    return "planning"


def original_contract_amount(releases: list[dict]) -> Decimal | None:
    """The contracts' values as first published (before any amendment changed them)."""
    first: dict[str, Decimal] = {}
    for release in sorted(releases, key=release_sort_key):
        for contract in _list(release.get("contracts")):
            contract_id = str(contract.get("id"))
            value = amount_of(contract.get("value"))
            if contract_id not in first and value is not None:
                first[contract_id] = value
    return _sum(first.values())


def number_of_tenderers(compiled: dict) -> int | None:
    tender = _dict(compiled.get("tender"))
    count = tender.get("numberOfTenderers")
    if isinstance(count, int) and not isinstance(count, bool):
        return count
    details = _list(_dict(compiled.get("bids")).get("details"))
    if details:
        bidders = {
            str(_dict(t).get("id") or _dict(t).get("name")) for bid in details for t in bid.get("tenderers") or []
        }
        return len(bidders) or len(details)
    tenderers = _list(tender.get("tenderers"))
    return len(tenderers) if tenderers else None


def _budget_lines(compiled: dict, year: int | None) -> list[tuple[str, Decimal | None]]:
    budget = _dict(_dict(compiled.get("planning")).get("budget"))
    lines: dict[str, Decimal | None] = {}
    for part in _list(budget.get("budgetBreakdown")):
        code = _text(part.get("id"), 100)
        start = parse_date(_dict(part.get("period")).get("startDate"))
        line_year = start.year if start else year
        if code and line_year:
            lines[f"{line_year}:{code}"] = amount_of(part.get("amount"))
    if not lines:
        code = _text(budget.get("id"), 100)
        if code and year:
            lines[f"{year}:{code}"] = amount_of(budget.get("amount"))
    return list(lines.items())


def extract(compiled: dict, releases: list[dict], *, matcher, registration_keys: tuple[str, ...] = ()) -> Extracted:
    names = _party_names(compiled)
    registered = registrations(compiled, registration_keys)
    tender = _dict(compiled.get("tender"))
    planning = _dict(compiled.get("planning"))
    period = _dict(tender.get("tenderPeriod"))
    awards = [a for a in _list(compiled.get("awards")) if a.get("status") not in INACTIVE]
    contracts = [c for c in _list(compiled.get("contracts")) if c.get("status") not in INACTIVE]
    dates = [d for d in (parse_date(r.get("date")) for r in releases) if d is not None]
    tender_start = parse_date(period.get("startDate"))
    first_date = min(dates) if dates else parse_date(compiled.get("date"))
    # The year of a process is the year its tender opened, not of its planning release.
    tender_dates = [
        d for d in (parse_date(r.get("date")) for r in releases if "tender" in (r.get("tag") or [])) if d is not None
    ]
    year_source = tender_start or (min(tender_dates) if tender_dates else first_date)
    year = year_source.year if year_source else None
    award_dates = [d for d in (parse_date(a.get("date")) for a in awards) if d is not None]

    award_amount = _sum(amount_of(a.get("value")) for a in awards)
    contract_amount = _sum(amount_of(c.get("value")) for c in contracts)
    tender_amount = amount_of(tender.get("value"))
    budget_amount = amount_of(_dict(planning.get("budget")).get("amount"))
    amount = next((v for v in (contract_amount, award_amount, tender_amount) if v is not None), None)

    suppliers: dict[str, tuple[Party, Decimal | None]] = {}
    for award in awards:
        found = [p for p in (_party(ref, names) for ref in _list(award.get("suppliers"))) if p]
        value = amount_of(award.get("value"))
        share = (value / len(found)).quantize(Decimal("0.01")) if value is not None and found else None
        for party in found:
            party.registered = registered.get(party.identifier)
            previous = suppliers.get(party.identifier)
            total = share if previous is None else _sum([previous[1], share])
            suppliers[party.identifier] = (party, total)

    items: dict[str, str] = {}
    for item in _list(tender.get("items")) + [i for a in awards for i in _list(a.get("items"))]:
        classification = _dict(item.get("classification"))
        code = _text(classification.get("id"), 60)
        if code and code not in items:
            items[code] = _text(classification.get("description") or item.get("description"), 500)

    buyer = _buyer(compiled, names)
    method_details = _text(tender.get("procurementMethodDetails"), 300)
    ocid = _text(compiled.get("ocid"), 200)
    procedure = matcher.match(method_details, ocid)
    title = _text(tender.get("title") or planning.get("rationale"), 1000)
    description = _text(tender.get("description"), 20000)
    item_text = " ".join(
        _text(item.get("description"), 500)
        for item in _list(tender.get("items")) + [i for a in awards for i in _list(a.get("items"))]
    )
    supplier_text = " ".join(party.name for party, _ in suppliers.values())
    columns = {
        "ocid": ocid,
        "title": title,
        "description": description,
        "procedure": procedure,
        "method": _text(tender.get("procurementMethod"), 20),
        "method_details": method_details,
        "main_category": _text(tender.get("mainProcurementCategory"), 20),
        "stage": stage_of(compiled),
        "year": year,
        "date": max(dates) if dates else parse_date(compiled.get("date")),
        "tender_start": tender_start,
        "tender_end": parse_date(period.get("endDate")),
        "award_date": min(award_dates) if award_dates else None,
        "budget_amount": budget_amount,
        "tender_amount": tender_amount,
        "award_amount": award_amount,
        "contract_amount": contract_amount,
        "original_contract_amount": original_contract_amount(releases) if contracts else None,
        "amount": amount,
        "number_of_tenderers": number_of_tenderers(compiled),
        "supplier_names": "; ".join(party.name for party, _ in suppliers.values())[:5000],
        "search_text": index_text(" ".join([title, description, item_text, supplier_text, ocid.replace("-", " ")])),
    }
    return Extracted(
        columns=columns,
        buyer=buyer,
        suppliers=list(suppliers.values()),
        items=list(items.items()),
        budget_lines=_budget_lines(compiled, year),
    )
