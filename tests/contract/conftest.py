"""The store backends the contract suite runs against: one entry per backend.

Each entry makes an empty store in a test's temporary folder, and breaks one (the backend's storage made
unusable: a damaged file, a dropped database), so the suite can check that failures are StoreErrors. PostgreSQL
is a real server (``tests/postgres.py``), started on first use and stopped at the session's end; each store is a
database of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlparse

import pytest

from evalcore.runs import RunStore, SqliteRunStore, open_store
from tests.postgres import SERVER


@dataclass(frozen=True)
class Backend:
    make: Callable[[Path], RunStore]          # an empty store
    break_it: Callable[[RunStore], None]      # make its storage unusable


def _damage_sqlite(store: RunStore) -> None:
    assert isinstance(store, SqliteRunStore)
    store.path.write_bytes(b"these are my notes, not a database\n" * 200)


def _make_postgres(folder: Path) -> RunStore:
    return open_store(SERVER.address(SERVER.new_database()))


def _drop_postgres(store: RunStore) -> None:
    SERVER.drop_database(urlparse(store.uri).path.lstrip("/"))


BACKENDS = {
    "sqlite": Backend(lambda folder: SqliteRunStore(folder / "sqlite-store"), _damage_sqlite),
    "postgresql": Backend(_make_postgres, _drop_postgres),
}


@pytest.fixture(scope="session", autouse=True)
def postgres_server():
    """The test server (started on first use) is stopped when the session ends."""
    yield SERVER
    SERVER.stop()


@pytest.fixture(params=sorted(BACKENDS))
def backend(request) -> Backend:
    return BACKENDS[request.param]


@pytest.fixture
def store(backend, tmp_path) -> RunStore:
    return backend.make(tmp_path)
