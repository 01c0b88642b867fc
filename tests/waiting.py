"""Polling helper for tests that wait on another process (a worker, a browser)."""

from __future__ import annotations

import time
from typing import Callable, TypeVar

T = TypeVar("T")


def wait_for(predicate: Callable[[], T], timeout: float, what: str, describe: Callable[[], str] = lambda: "") -> T:
    """Poll ``predicate`` every 0.1 s until it returns something truthy; fail naming ``what`` after ``timeout``."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}. {describe()}")
