"""The run store at scale: 1,000 runs of 100 epochs (4 series each, 400,000 points).

Run: make bench-runs   (or .venv/bin/python -m bench.runs_speed)
Measures, server side (AppTest runs the page in-process, as the Streamlit server would):
- the runs table: building it (store.runs + one summary query) and the Runs page run that draws it;
- comparing 10 runs: the page run with 10 rows selected (curves, settings, parallel coordinates).
- importing a 2,000,000-point export (the import cap), JSON text to committed rows.
Budgets: under 1 s each for the page; the import took 20 s before it was checked and written in one transaction.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.evaluate_speed import timed
from evalcore.runs import FINISHED, SqliteRunStore, keys
from evalcore.runs.compare import runs_table
from evalcore.training.config import Dropout, TrainConfig

ROOT = Path(__file__).resolve().parents[1]


def build(folder: str, runs: int = 1000, epochs: int = 100) -> SqliteRunStore:
    store = SqliteRunStore(folder)
    rng = np.random.default_rng(0)
    rows = []
    with store.connection() as con:
        con.execute("BEGIN")
        for i in range(runs):
            config = TrainConfig(dataset="digits", seed=i, dropout=Dropout(enabled=bool(i % 2))).to_dict()
            cur = con.execute("INSERT INTO runs (name, kind, status, config, created, started, ended, summary) "
                              "VALUES (?, 'train', ?, ?, ?, ?, ?, ?)",
                              (f"run {i}", FINISHED, __import__("json").dumps(config), 1e9 + i, 1e9 + i,
                               1e9 + i + 60, '{"accuracy": 0.9}'))
            run_id = cur.lastrowid
            loss = np.exp(-np.arange(epochs) / 30) + rng.normal(0, 0.02, epochs)
            for key, values in ((keys.epoch_key("loss"), loss), (keys.epoch_key("loss", True), loss + 0.1),
                                (keys.epoch_key("accuracy"), 1 - loss / 2),
                                (keys.epoch_key("accuracy", True), 0.95 - loss / 2)):
                rows += [(run_id, key, e, e, float(v), 1e9) for e, v in enumerate(values)]
        con.executemany("INSERT INTO points (run_id, key, step, epoch, value, wall) VALUES (?, ?, ?, ?, ?, ?)",
                        rows)
        con.execute("COMMIT")
    return store


def main() -> None:
    from streamlit.testing.v1 import AppTest
    with tempfile.TemporaryDirectory() as folder:
        t0 = time.perf_counter()
        store = build(folder)
        print(f"built 1,000 runs x 100 epochs (400,000 points) in {time.perf_counter() - t0:.1f} s")
        print(f"runs table (store.runs + summary query + frame): {timed(lambda: runs_table(store), 3):.3f} s")
        os.environ["EVALCORE_HOME"] = folder
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
        at.switch_page("pages/runs.py").run()

        def page(rows: list[int]) -> None:
            at.session_state["runs_table"] = {"selection": {"rows": rows, "columns": []}}
            at.run()
            assert not at.exception, at.exception

        print(f"Runs page run drawing the 1,000-row table: {timed(lambda: page([]), 3):.3f} s")
        print(f"Runs page run comparing 10 selected runs: {timed(lambda: page(list(range(10))), 3):.3f} s")
        text = _export_text()
        print(f"importing a 2,000,000-point export ({len(text) / 1e6:.0f} MB; checked, then one transaction): "
              f"{timed(lambda: _import(text), 3):.2f} s")


def _import(text: str) -> None:
    from evalcore.runs.exchange import import_runs
    with tempfile.TemporaryDirectory() as folder:
        import_runs(SqliteRunStore(folder), text)


def _export_text() -> str:
    """One run of two 1,000,000-point series (the cap is 2,000,000 points)."""
    import json
    n = 1_000_000
    series = {"step": list(range(n)), "epoch": [0] * n, "value": np.linspace(0, 1, n).tolist(), "wall": [1e9] * n}
    run = {"name": "big", "kind": "train", "status": "finished", "config": TrainConfig().to_dict(), "created": 1e9,
           "series": {keys.batch_key("loss"): series, keys.batch_key("accuracy"): series}}
    return json.dumps({"format": "evalcore-runs", "version": 1, "runs": [run]})


if __name__ == "__main__":
    main()
