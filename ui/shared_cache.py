"""A cache every session of the server shares: each value computed once per key, the total size bounded.

Ten sessions that open the same file ask for the same key; the first computes, the others wait for it and get
the same object. Values are dropped least recently used once their measured sizes pass the bound; a value
larger than the whole bound is returned but not kept. Failures are not kept either (the next ask tries again).

Example:
    >>> cache = SharedCache(max_bytes=100)
    >>> len(cache.get("a", lambda: b"x" * 60)), len(cache.get("a", lambda: b"other")), cache.computed
    (60, 60, 1)
    >>> _ = cache.get("b", lambda: b"y" * 60); sorted(cache._values)  # "a" dropped: 120 bytes > 100
    ['b']
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from contextlib import AbstractContextManager, nullcontext
from typing import Any, TypeVar

import cachetools
import numpy as np
import pandas as pd

T = TypeVar("T")


def size_of(value: Any, depth: int = 4) -> int:
    """Bytes held by arrays and frames inside ``value`` (dataclass fields, tuples, lists, dicts), at least 1.

    >>> size_of((np.zeros(10), {"a": np.zeros(5, np.int8)}))
    85
    """
    return max(1, _bytes(value, depth, set()))


def _bytes(value: Any, depth: int, seen: set[int]) -> int:
    if id(value) in seen or depth < 0:
        return 0
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        return int(value.nbytes) if value.base is None or id(value.base) not in seen else 0
    if isinstance(value, (pd.DataFrame, pd.Series)):
        usage = value.memory_usage(index=False, deep=False)
        return int(usage.sum()) if isinstance(usage, pd.Series) else int(usage)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return len(value)
    if isinstance(value, dict):
        return sum(_bytes(v, depth - 1, seen) for v in value.values())
    if isinstance(value, (tuple, list)):
        return sum(_bytes(v, depth - 1, seen) for v in value)
    fields = getattr(value, "__dataclass_fields__", None) or getattr(value, "__dict__", None)
    if fields:
        return sum(_bytes(getattr(value, name, None), depth - 1, seen) for name in fields)
    return 0


class SharedCache:
    """Values by key, computed once (concurrent asks for a key wait for the first), at most ``max_bytes`` kept."""

    def __init__(self, max_bytes: int, measure: Callable[[Any], int] = size_of) -> None:
        self.max_bytes = max_bytes
        self._values: cachetools.LRUCache = cachetools.LRUCache(maxsize=max_bytes, getsizeof=measure)
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self.computed = 0  # how many times a value was computed (a miss), for tests and the load benchmark

    def get(self, key: Hashable, compute: Callable[[], T],
            around: Callable[[], AbstractContextManager] = nullcontext) -> T:
        """The value for ``key``, computing it with ``compute()`` if no session has; a miss (computing, or
        waiting for another session's computation) runs inside ``around()``, such as a spinner."""
        with self._lock:
            if key in self._values:
                return self._values[key]
            key_lock = self._computing.setdefault(key, threading.Lock())
        with around(), key_lock:
            with self._lock:
                if key in self._values:
                    return self._values[key]
            try:
                value = compute()
                self.computed += 1
                with self._lock:
                    try:
                        self._values[key] = value
                    except ValueError:  # larger than the whole cache: used once, not kept
                        pass
                return value
            finally:
                with self._lock:
                    self._computing.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    @property
    def bytes_used(self) -> int:
        return int(self._values.currsize)

    def __len__(self) -> int:
        return len(self._values)
