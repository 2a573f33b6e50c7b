"""What the server keeps for every session: query results and chart figures.

Streamlit's `st.cache_data` pickles a result when it stores it and unpickles it at every read
(2 to 5 ms a table, a dozen reads a run); what is kept here is shared as it is. Callers get
either an object nobody changes (a figure) or a copy that costs nothing (a table, under
pandas' copy-on-write).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class Kept:
    """A least-recently-used store of at most `max_entries` values and, when `size` tells
    each value's size, at most `max_bytes` together."""

    def __init__(self, max_entries: int, max_bytes: int | None = None,
                 size: Callable[[object], int] | None = None):
        self.max_entries, self.max_bytes, self.size = max_entries, max_bytes, size
        self._values: OrderedDict = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], object]):
        """The value kept for `key`, else `make()` kept. Two sessions asking for a new key at
        once may both make it: the work is read-only, the last one is kept."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key][0]
        value = make()
        weight = self.size(value) if self.size else 0
        with self._lock:
            if key in self._values:
                self._bytes -= self._values.pop(key)[1]
            self._values[key] = (value, weight)
            self._bytes += weight
            while len(self._values) > self.max_entries or (
                    self.max_bytes is not None and self._bytes > self.max_bytes
                    and len(self._values) > 1):
                self._bytes -= self._values.popitem(last=False)[1][1]
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._values)
