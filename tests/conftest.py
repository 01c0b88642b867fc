"""Shared fixtures: an isolated EVALCORE_HOME and KERAS_HOME, and prediction files.

``tests/ray`` is collected only in a run that asks for it (``make test-ray``, which ``make test`` runs after this
suite): it needs a network namespace with only loopback, see ``tests/ray/conftest.py``.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

collect_ignore = [] if os.environ.get("EVALCORE_RAY_TESTS") == "1" else ["ray"]


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    monkeypatch.setenv("EVALCORE_HOME", str(tmp_path / "evalcore-home"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    # No standby training worker (an idle TensorFlow process per test home); the tests of the standby, and the
    # browser test of the Train page, turn it on.
    monkeypatch.setenv("EVALCORE_STANDBY", "0")


def binary_csv(n: int, seed: int = 0, with_group: bool = True) -> bytes:
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(int)
    score = np.clip(rng.normal(0.35 + 0.3 * y, 0.2), 0, 1).round(6)
    frame = pd.DataFrame({"y_true": y, "score": score})
    if with_group:
        frame["site"] = rng.choice(["north", "south", "=cmd|' /C calc'!A0"], n)
    return frame.to_csv(index=False).encode()
