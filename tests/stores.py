"""Run stores in the states a user meets: damaged files, rows with bad fields, a newer schema. Shared by the CLI,
page and store tests."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np

from evalcore.runs import FINISHED, Point, SqliteRunStore
from evalcore.runs.sqlite_store import SCHEMA_VERSION
from evalcore.training.config import Dropout, TrainConfig


def healthy(folder: Path, runs: int = 30) -> SqliteRunStore:
    """A store with ``runs`` finished training runs of 20 epochs each, checkpointed into the main file."""
    store = SqliteRunStore(folder)
    for i in range(runs):
        config = TrainConfig(dataset="wine", dropout=Dropout(enabled=bool(i % 2))).to_dict()
        run_id = store.create_run(f"run {i}", "train", config)
        store.log_points(run_id, [Point(f"epoch/{k}", e, e, 1 / (e + 1)) for e in range(20)
                                  for k in ("loss", "val_loss", "accuracy", "val_accuracy")])
        store.set_summary(run_id, {"test_accuracy": 0.9})
        store.set_status(run_id, FINISHED)
    with store.connection() as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return store


def truncated(folder: Path) -> Path:
    """The store file cut to half its size (a copy interrupted, a full disk)."""
    path = healthy(folder).path
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def garbage_in_the_middle(folder: Path) -> Path:
    """Random bytes written over the middle pages of the file (a disk or copy error)."""
    path = healthy(folder).path
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 8192] = np.random.default_rng(0).integers(0, 256, 8192, dtype=np.uint8).tobytes()
    path.write_bytes(bytes(data))
    return path


def not_a_database(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "runs.sqlite"
    path.write_text("these are my notes, not a database\n" * 100)
    return path


def newer_schema(folder: Path) -> Path:
    path = SqliteRunStore(folder).path
    with sqlite3.connect(path) as con:
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    return path


BAD_ROWS = {  # column -> stored value, each in a run of its own (written behind the store's back)
    "config": "{oops",
    "summary": "[1, 2]",
    "tags": "not a list",
    "created": "yesterday",
    "ended": 1e308,
    "status": "exploded",
    "kind": "notebook",
    "pid": "abc",
}


def with_bad_rows(folder: Path) -> SqliteRunStore:
    """A healthy store plus one run per bad field, a run whose strategy settings are not groups, a run whose
    ablation entry is damaged, and points whose values are text."""
    store = healthy(folder, runs=3)
    good = TrainConfig(dataset="wine").to_dict()
    with sqlite3.connect(store.path) as con:
        for column, value in BAD_ROWS.items():
            cur = con.execute("INSERT INTO runs (name, kind, status, config, created, summary) "
                              "VALUES (?, 'train', 'finished', ?, 1.7e9, '{}')", (f"bad {column}", json.dumps(good)))
            con.execute(f"UPDATE runs SET {column} = ? WHERE id = ?", (value, cur.lastrowid))
        odd = {**good, "dropout": 5, "l2": [1], "learning_rate": "fast", "ablation": {"group": 3}}
        cur = con.execute("INSERT INTO runs (name, kind, status, config, created, summary) VALUES "
                          "('odd settings', 'train', 'finished', ?, 1.7e9, ?)",
                          (json.dumps(odd), json.dumps({"test_accuracy": "high", "fit_seconds": "slow", "accuracy": 10**400})))
        con.execute("INSERT INTO points (run_id, key, step, epoch, value, wall) VALUES (?, 'epoch/loss', 'x', 0, "
                    "'abc', 0)", (cur.lastrowid,))
        cur = con.execute("INSERT INTO runs (name, kind, status, config, created) VALUES "
                          "('odd ablation', 'train', 'finished', ?, 1.7e9)",
                          (json.dumps({**good, "ablation": {"group": "g1", "variant": "l2", "seed": "x"}}),))
    return store


DAMAGED = {"truncated": truncated, "garbage in the middle": garbage_in_the_middle,
           "not a database": not_a_database, "newer schema": newer_schema}
