"""The contracting search's filter, facet and sort columns, held in memory as arrays.

A prefecture publishes up to a million processes and a common word ("mantenimiento") matches
one in seven of them. Counting every facet and sorting the matches by date in SQL visits each
matching row of a table whose rows carry the compiled release, which took a second at that
size. Search engines keep such columns apart from the documents ("doc values"); here each web
process keeps, per government, one NumPy array per column (id, dates, amount, procedure,
status, year, buyer, raised flags: about 54 bytes a process), read once through a covering
index and kept until the government's content version changes (every import and every
official's change is an audited write that bumps it). With a thousand governments on one
platform, what all governments' columns, sort orders and kept words hold together is bounded
by bytes (PROCUREMENT_SEARCH_MEMORY_BYTES): the governments searched least recently are let
go, and read again at their next search. The database still finds the words
(procurement.wordlists) and the filters that live in other tables (supplier, item category, one
red flag); everything else is array arithmetic over the matches.

Semantics match the SQL they replace: a missing value never passes a comparison, dates are
compared by their calendar day in the portal's time zone, and a missing date or amount sorts
last in either direction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import connection
from django.utils import timezone

from minga.core.memo import MISSING, BudgetedMemo, ProcessMemo
from minga.core.ui.page_cache import content_version

from . import flags as indicators
from . import wordlists
from .models import ImportRun, ProcedureType, Process, ProcessItem, ProcessSupplier

# What a kept government costs beyond its arrays: the Python objects around them (the
# dataclass, its dictionaries and word memo, NumPy's array headers); tracemalloc counted about
# 6 kB more than the arrays when the demo's province was read.
OVERHEAD_BYTES = 8 * 1024
# One entry per government (its latest content version only), least recently searched out
# first once the kept governments' bytes pass PROCUREMENT_SEARCH_MEMORY_BYTES.
_memo = BudgetedMemo(budget=lambda: settings.PROCUREMENT_SEARCH_MEMORY_BYTES, size_of=lambda entry: entry[1].nbytes())

# (sort name, [(column, descending)]), ties broken by id: the search's orders.
SORT_KEYS = {
    "recientes": [("date", True), ("ids", True)],
    "antiguos": [("date", False), ("ids", False)],
    "monto-mayor": [("amount", True), ("ids", True)],
    "monto-menor": [("amount", False), ("ids", False)],
    "alertas": [("flag_count", True), ("date", True), ("ids", True)],
}

_EPOCH = {
    # Seconds since 1970 as a float (NaN when missing): exact to the microsecond on PostgreSQL,
    # to a few microseconds through SQLite's julianday().
    "sqlite": "(julianday({column}) - 2440587.5) * 86400.0",
    "postgresql": "extract(epoch from {column})::float8",
}
_REAL = {"sqlite": "CAST({column} AS REAL)", "postgresql": "{column}::float8"}
_JOIN = {"sqlite": "group_concat({value}, ',')", "postgresql": "string_agg(({value})::text, ',')"}


@dataclass
class Factor:
    """A column as codes into its distinct values, so a facet is one bincount."""

    values: np.ndarray
    codes: np.ndarray

    @classmethod
    def of(cls, column: np.ndarray) -> Factor:
        values, codes = np.unique(column, return_inverse=True)
        return cls(values, codes.astype(np.int32))

    def code_of(self, value) -> int | None:
        found = int(np.searchsorted(self.values, value))
        return found if found < len(self.values) and self.values[found] == value else None

    def counts(self, positions: np.ndarray | None) -> dict:
        codes = self.codes if positions is None else self.codes[positions]
        tally = np.bincount(codes, minlength=len(self.values))
        return {self.values[i].item(): int(tally[i]) for i in np.flatnonzero(tally)}


@dataclass
class ProcessColumns:
    ids: np.ndarray  # ascending
    date: np.ndarray
    award_date: np.ndarray
    amount: np.ndarray
    flag_count: np.ndarray
    procedure: Factor  # -1 for "not recognised"
    stage: Factor
    year: Factor  # 0 when unknown
    buyer: Factor  # 0 when unknown
    _orders: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    _all_counts: tuple[int, dict] | None = None
    # Each searched term's processes as a packed bit per position (125 kB per word for a million
    # processes), so that a repeated word costs neither its list from the database nor the
    # lookup of its ids; they live as long as these columns, i.e. one content version.
    _words: ProcessMemo = field(default_factory=lambda: ProcessMemo(maxsize=settings.PROCUREMENT_SEARCH_WORDS_KEPT))

    @classmethod
    def load(cls, government) -> ProcessColumns:
        # Each column comes back as one joined string parsed by NumPy: a million rows as
        # Python tuples would cost seconds. The aggregates of one pass stay aligned row by
        # row, whatever order the rows are visited in; the ids are sorted afterwards.
        vendor = connection.vendor
        epoch, real, join = _EPOCH[vendor], _REAL[vendor], _JOIN[vendor]
        missing = "'nan'" if vendor == "sqlite" else "'NaN'::float8"
        values = [
            "id",
            f"COALESCE({epoch.format(column='date')}, {missing})",
            f"COALESCE({epoch.format(column='award_date')}, {missing})",
            f"COALESCE({real.format(column='amount')}, {missing})",
            "COALESCE(procedure_id, -1)",
            "stage",  # a code of Process.Stage: never a comma
            "COALESCE(year, 0)",
            "COALESCE(buyer_id, 0)",
            "flag_count",
        ]
        sql = f"SELECT {', '.join(join.format(value=v) for v in values)} FROM procurement_process WHERE government_id = %s"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [government.pk])
            joined = cursor.fetchone()
        if joined[0] is None:
            joined = [""] * len(values)

        def numbers(text: str, dtype) -> np.ndarray:
            return np.fromstring(text, dtype=dtype, sep=",") if text else np.zeros(0, dtype=dtype)

        ids = numbers(joined[0], np.int64)
        order = np.argsort(ids, kind="stable")
        aligned = lambda text, dtype: numbers(text, dtype)[order]  # noqa: E731
        stages = np.array(joined[5].split(",") if joined[5] else [], dtype=str)[order]
        return cls(
            ids=ids[order],
            date=aligned(joined[1], np.float64),
            award_date=aligned(joined[2], np.float64),
            amount=aligned(joined[3], np.float64),
            procedure=Factor.of(aligned(joined[4], np.int64)),
            stage=Factor.of(stages),
            year=Factor.of(aligned(joined[6], np.int64)),
            buyer=Factor.of(aligned(joined[7], np.int64)),
            flag_count=aligned(joined[8], np.int64).astype(np.int32),
        )

    def __len__(self) -> int:
        return len(self.ids)

    def nbytes(self) -> int:
        """What these columns hold in memory: their arrays, the sort orders computed so far and
        the kept words' bits, plus the objects around them."""
        arrays = [self.ids, self.date, self.award_date, self.amount, self.flag_count]
        for factor in (self.procedure, self.stage, self.year, self.buyer):
            arrays += [factor.values, factor.codes]
        for order, rank in list(self._orders.values()):
            arrays += [order, rank]
        arrays += list(self._words.values())
        return OVERHEAD_BYTES + sum(array.nbytes for array in arrays)

    def positions_of(self, ids) -> np.ndarray:
        """Where these process ids are in the arrays (ids of other governments are dropped)."""
        ids = np.asarray(ids, dtype=np.int64)
        found = np.searchsorted(self.ids, ids)
        inside = found < len(self.ids)
        found, ids = found[inside], ids[inside]
        return found[self.ids[found] == ids]

    def words_mask(self, government, query: str) -> np.ndarray:
        """Which processes have every word of the query (none when it has no searchable word).
        Each word's bits are kept once read; on SQLite, a query with several words not yet
        kept asks FTS5 for all of them at once and keeps the result under the whole query."""
        terms = wordlists.query_terms(query)
        if not terms:
            return np.zeros(len(self), dtype=bool)
        whole = ("query", tuple(sorted(terms)))
        packed = {term: self._words.get(("word", term)) for term in terms}
        missing = [term for term, found in packed.items() if found is MISSING]
        if len(missing) > 1 and wordlists.words_intersected_by_the_database():
            every = self._words.get(whole)
            if every is MISSING:
                every = self._bits(wordlists.matching_ids(government, query, own=self.ids))
                self._words.set(whole, every)
                _memo.trim()
        else:
            for term, ids in wordlists.term_ids(government, missing, own=self.ids).items():
                packed[term] = self._bits(ids)
                self._words.set(("word", term), packed[term])
            if missing:
                _memo.trim()
            every = np.bitwise_and.reduce([packed[term] for term in terms])
        return np.unpackbits(every, count=len(self)).astype(bool)

    def word_counts(self, government, query: str) -> np.ndarray:
        """How many of the query's words each process has: what ranks the best partial
        matches when no process has them all. Each word's bits are kept as words_mask keeps
        them."""
        terms = wordlists.query_terms(query)
        counts = np.zeros(len(self), dtype=np.int16)
        if not terms:
            return counts
        packed = {term: self._words.get(("word", term)) for term in terms}
        missing = [term for term, found in packed.items() if found is MISSING]
        for term, ids in wordlists.term_ids(government, missing, own=self.ids).items():
            packed[term] = self._bits(ids)
            self._words.set(("word", term), packed[term])
        if missing:
            _memo.trim()
        for bits in packed.values():
            counts += np.unpackbits(bits, count=len(self)).astype(np.int16)
        return counts

    def _bits(self, ids) -> np.ndarray:
        inside = np.zeros(len(self), dtype=bool)
        inside[self.positions_of(ids)] = True
        return np.packbits(inside)

    # Facets -------------------------------------------------------------------------------------

    def facet_counts(self, positions: np.ndarray | None) -> tuple[int, dict[str, dict]]:
        """(total, counts per procedure, status, year and buyer) in the shape the facets
        expect: the missing procedure, year or buyer is None."""
        if positions is None and self._all_counts is not None:
            return self._all_counts
        counts = {
            "procedure": {(None if k == -1 else k): n for k, n in self.procedure.counts(positions).items()},
            "stage": self.stage.counts(positions),
            "year": {(None if k == 0 else k): n for k, n in self.year.counts(positions).items()},
            "buyer": {(None if k == 0 else k): n for k, n in self.buyer.counts(positions).items()},
        }
        found = (len(self) if positions is None else len(positions), counts)
        if positions is None:
            self._all_counts = found
        return found

    # Order --------------------------------------------------------------------------------------

    def _order(self, sort: str) -> tuple[np.ndarray, np.ndarray]:
        """(positions in this order, each position's rank in it), computed once per sort."""
        if sort not in self._orders:
            keys = []
            for name, descending in SORT_KEYS[sort]:
                column = getattr(self, name).astype(np.float64)
                missing = np.isnan(column)
                column = np.where(missing, 0.0, -column if descending else column)
                keys += [missing, column]  # missing last, whatever the direction
            # lexsort takes the most significant key last.
            order = np.lexsort(keys[::-1]) if len(self) else np.zeros(0, dtype=np.int64)
            rank = np.empty(len(order), dtype=np.int64)
            rank[order] = np.arange(len(order))
            self._orders[sort] = (order, rank)
            _memo.trim()
        return self._orders[sort]

    def ordered_ids(self, positions: np.ndarray | None, sort: str, start: int = 0, stop: int | None = None) -> list:
        """The ids of the selected processes from start to stop in the sort's order; only the
        first `stop` are ever sorted."""
        order, rank = self._order(sort)
        if positions is None:
            return self.ids[order[start:stop]].tolist()
        ranks = rank[positions]
        stop = len(ranks) if stop is None else min(stop, len(ranks))
        if start >= stop:
            return []
        if stop < len(ranks):
            ranks = np.partition(ranks, stop - 1)[:stop]
        ranks.sort()
        return self.ids[order[ranks[start:stop]]].tolist()


def columns_for(government) -> ProcessColumns:
    # The latest import is part of the key as well: the content version moves when a
    # transaction commits, and a search inside the importing transaction must see its rows.
    latest_import = ImportRun.objects.filter(government=government).order_by("-pk").values_list("pk", flat=True)[:1]
    version = (content_version(government), next(iter(latest_import), 0))
    key = (government.pk, connection.alias)
    found = _memo.get(key)
    if found is MISSING or found[0] != version:
        columns = ProcessColumns.load(government)
        _memo.set(key, (version, columns))
        return columns
    return found[1]


def _day_start(day: dt.date) -> float:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min)).timestamp()


def select(government, columns: ProcessColumns, params: dict[str, str], parse) -> np.ndarray | None:
    """The positions of the processes that pass every filter in `params` (already checked by
    ProcessQuery), or None for all of them. `parse` gives the checked value of a parameter."""
    if not params:
        return None
    keep = np.ones(len(columns), dtype=bool)

    def only(ids) -> None:
        inside = np.zeros(len(columns), dtype=bool)
        inside[columns.positions_of(ids)] = True
        keep[:] &= inside

    def equal(factor: Factor, value) -> None:
        code = factor.code_of(value)
        if code is None:
            keep[:] = False
        else:
            keep[:] &= factor.codes == code

    if params.get("q"):
        keep &= columns.words_mask(government, params["q"])
    if "comprador" in params:
        equal(columns.buyer, int(params["comprador"]))
    if "procedimiento" in params:
        code = params["procedimiento"]
        if code == "-":
            equal(columns.procedure, -1)
        else:
            pks = ProcedureType.objects.filter(government=government, code=code).values_list("pk", flat=True)
            wanted = [found for found in map(columns.procedure.code_of, pks) if found is not None]
            keep[:] &= np.isin(columns.procedure.codes, wanted)
    if "estado" in params:
        equal(columns.stage, params["estado"])
    if "anio" in params:
        equal(columns.year, int(params["anio"]))
    if "proveedor" in params:
        suppliers = ProcessSupplier.objects.for_government(government)
        only(suppliers.filter(supplier_id=int(params["proveedor"])).values_list("process_id", flat=True))
    if "categoria" in params:
        items = ProcessItem.objects.for_government(government)
        only(items.filter(code__startswith=params["categoria"]).values_list("process_id", flat=True))
    with np.errstate(invalid="ignore"):  # NaN (missing) compares False, as NULL does in SQL
        if "monto_min" in params:
            keep &= columns.amount >= float(parse("monto_min"))
        if "monto_max" in params:
            keep &= columns.amount <= float(parse("monto_max"))
        for name, column, after in (
            ("desde", columns.date, True),
            ("hasta", columns.date, False),
            ("adjudicado_desde", columns.award_date, True),
            ("adjudicado_hasta", columns.award_date, False),
        ):
            if name in params:
                day = parse(name)
                if after:
                    keep &= column >= _day_start(day)
                else:
                    keep &= column < _day_start(day + dt.timedelta(days=1))
    if "alerta" in params:
        keep &= columns.flag_count > 0
        code = params["alerta"]
        if code != "any":
            path = f"flags__{code}__state" if code in indicators.PROCESS_CODES else f"group_flags__{code}__state"
            only(
                Process.objects.filter(government=government, flag_count__gt=0, **{path: indicators.FIRED}).values_list(
                    "pk", flat=True
                )
            )
    return np.flatnonzero(keep)


def select_partial(government, columns: ProcessColumns, params: dict[str, str], parse) -> np.ndarray | None:
    """When a search of several words finds no process with all of them: the processes that
    pass the other filters and have the most of the words (at least one), else None."""
    query = params.get("q", "")
    if len(wordlists.query_terms(query)) < 2:
        return None
    others = {name: value for name, value in params.items() if name != "q"}
    rest = select(government, columns, others, parse)
    counts = columns.word_counts(government, query)
    if rest is not None:
        kept = np.zeros(len(columns), dtype=np.int16)
        kept[rest] = counts[rest]
        counts = kept
    best = int(counts.max()) if len(counts) else 0
    if best < 1:
        return None
    return np.flatnonzero(counts == best)
