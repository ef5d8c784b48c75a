"""Small per-process memories of answers that only change when a government's content does.

A hot public endpoint (a table's query API, say) would otherwise repeat the same database
lookups on every request. Keys carry the government's content version (bumped by every
audited write, see ``core.ui.page_cache``), so an official's change is seen by every process at
once; entries are only ever superseded, never edited. Tests clear them all between tests."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

_memos: weakref.WeakSet[ProcessMemo | BudgetedMemo] = weakref.WeakSet()
MISSING = object()


class ProcessMemo:
    """A bounded mapping, least recently used out first; safe across threads."""

    def __init__(self, maxsize: int = 512) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        _memos.add(self)

    def get(self, key) -> Any:
        with self._lock:
            value = self._items.get(key, MISSING)
            if value is not MISSING:
                self._items.move_to_end(key)
            return value

    def set(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)

    def values(self) -> list:
        with self._lock:
            return list(self._items.values())

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class BudgetedMemo:
    """A mapping bounded by the bytes its values hold rather than by their number, least
    recently used out first: for per-government structures whose size goes from a few
    kilobytes (a parish) to tens of megabytes (a prefecture with a million records), where a
    count would either waste memory or evict small entries for nothing.

    `size_of(value)` gives a value's bytes; it is asked again by `trim()`, so values that grow
    after they were stored (kept words, sort orders) are counted as they are. The entry used
    last always stays, even alone above the budget: the request that needs it is running.
    `budget()` is read on each trim, so the setting can change under tests."""

    def __init__(self, budget: Callable[[], int], size_of: Callable[[Any], int]) -> None:
        self.budget, self.size_of = budget, size_of
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        _memos.add(self)

    def get(self, key) -> Any:
        with self._lock:
            value = self._items.get(key, MISSING)
            if value is not MISSING:
                self._items.move_to_end(key)
            return value

    def set(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
        self.trim()

    def trim(self) -> None:
        """Drop the least recently used entries until the rest fit the budget."""
        with self._lock:
            budget = self.budget()
            sizes = {key: self.size_of(value) for key, value in self._items.items()}
            total = sum(sizes.values())
            while total > budget and len(self._items) > 1:
                key, _value = self._items.popitem(last=False)
                total -= sizes[key]

    def total(self) -> int:
        with self._lock:
            return sum(self.size_of(value) for value in self._items.values())

    def recency(self) -> list:
        """The keys, least recently used first."""
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def clear_all() -> None:
    for memo in list(_memos):
        memo.clear()
