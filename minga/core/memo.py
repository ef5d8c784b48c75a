"""Small per-process memories of answers that only change when a government's content does.

A hot public endpoint (a table's query API, say) would otherwise repeat the same database
lookups on every request. Keys carry the government's content version (bumped by every
audited write, see ``core.ui.page_cache``), so an official's change is seen by every process at
once; entries are only ever superseded, never edited. Tests clear them all between tests."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from typing import Any

_memos: weakref.WeakSet[ProcessMemo] = weakref.WeakSet()
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

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def clear_all() -> None:
    for memo in list(_memos):
        memo.clear()
