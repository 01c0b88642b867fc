"""The cache every session shares: one computation per key however many ask at once, and a bound in bytes."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from ui.shared_cache import SharedCache, size_of


def test_concurrent_asks_for_one_key_compute_it_once():
    cache = SharedCache(max_bytes=10**6)
    calls = []
    start = threading.Barrier(10)

    def compute():
        calls.append(1)
        time.sleep(0.2)  # long enough that every other thread asks while it runs
        return np.arange(10)

    results = [None] * 10

    def ask(i):
        start.wait()
        results[i] = cache.get("file", compute)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and cache.computed == 1
    assert all(r is results[0] for r in results)


def test_the_bound_drops_the_least_recently_used_and_never_keeps_a_value_bigger_than_itself():
    cache = SharedCache(max_bytes=2_500)
    a = cache.get("a", lambda: np.zeros(100))  # 800 bytes each
    cache.get("b", lambda: np.zeros(100))
    cache.get("a", lambda: None)  # a is now the most recent
    cache.get("c", lambda: np.zeros(100))
    cache.get("d", lambda: np.zeros(100))  # 3,200 > 2,500: b goes first
    assert cache.get("a", lambda: "recomputed") is a
    assert cache.get("b", lambda: "recomputed") == "recomputed"
    assert cache.bytes_used <= 2_500
    big = cache.get("big", lambda: np.zeros(1_000))
    assert big.size == 1_000 and cache.get("big", lambda: "again") == "again"


def test_a_failure_is_not_kept():
    cache = SharedCache(max_bytes=1_000)

    def fail():
        raise ValueError("bad file")

    with pytest.raises(ValueError):
        cache.get("k", fail)
    assert cache.get("k", lambda: 7) == 7


def test_sizes_count_arrays_once_and_frames_by_their_columns():
    import pandas as pd
    arr = np.zeros(1000)
    assert size_of((arr, arr, {"x": arr})) == 8000
    frame = pd.DataFrame({"a": np.zeros(100), "b": pd.Categorical(["x"] * 100)})
    assert size_of(frame) == 800 + 100 + frame["b"].cat.categories.memory_usage()
