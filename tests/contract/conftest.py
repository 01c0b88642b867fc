"""The store backends the contract suite runs against: one entry per backend.

Each entry makes an empty store in a test's temporary folder, and breaks one (the backend's storage made
unusable: a damaged file, a server gone), so the suite can check that failures are StoreErrors. A backend that
needs a server (PostgreSQL) is skipped when none is configured.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from evalcore.runs import RunStore, SqliteRunStore


@dataclass(frozen=True)
class Backend:
    make: Callable[[Path], RunStore]          # an empty store
    break_it: Callable[[RunStore], None]      # make its storage unusable


def _damage_sqlite(store: RunStore) -> None:
    assert isinstance(store, SqliteRunStore)
    store.path.write_bytes(b"these are my notes, not a database\n" * 200)


BACKENDS = {
    "sqlite": Backend(lambda folder: SqliteRunStore(folder / "sqlite-store"), _damage_sqlite),
    # issue 10: "postgresql": Backend(make_postgres_store, stop_postgres_server),
}


@pytest.fixture(params=sorted(BACKENDS))
def backend(request) -> Backend:
    return BACKENDS[request.param]


@pytest.fixture
def store(backend, tmp_path) -> RunStore:
    return backend.make(tmp_path)
