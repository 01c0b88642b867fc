"""Fuzzing the import: any edit of any field of a valid export (types, sizes, NaN, huge numbers, hostile text)
either imports runs that every reader handles, or is refused with an InputError that leaves the store unchanged."""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalcore.errors import InputError
from evalcore.runs import FINISHED, Point, SqliteRunStore
from evalcore.runs.compare import config_diff, runs_table, settings_and_results
from evalcore.runs.exchange import export_json, export_runs_csv, import_runs
from evalcore.training.config import Dropout, TrainConfig


def _valid_export() -> dict:
    store = SqliteRunStore(tempfile.mkdtemp())
    run_id = store.create_run("r", "train", TrainConfig(dataset="wine", dropout=Dropout(enabled=True)).to_dict())
    store.log_points(run_id, [Point("epoch/loss", e, e, 0.5) for e in range(3)])
    store.set_summary(run_id, {"test_accuracy": 0.9, "classes": ["a", "b"]})
    store.set_tags(run_id, ["t"])
    store.set_status(run_id, FINISHED)
    evaluation = store.create_run("e", "evaluation", {"file": "p.csv", "task": "binary", "rows": 3,
                                                      "classes": ["a", "b"], "positive_class": "b",
                                                      "threshold": 0.5, "prediction_rule": "score >= 0.5"})
    store.set_status(evaluation, FINISHED)
    return json.loads(export_json(store, [run_id, evaluation]))


BASE = _valid_export()


def _paths(value, prefix=()) -> list[tuple]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value[:3]):
            out += _paths(v, (*prefix, i))
    return out


PATHS = [p for p in _paths(BASE) if p]
leaves = st.one_of(st.none(), st.booleans(), st.integers(-(10**30), 10**30), st.floats(allow_nan=True),
                   st.sampled_from([math.inf, -math.inf, 1e308, -1.0, 0, 2**53 + 1, 10**400, -(10**400)]),
                   st.text(max_size=30), st.sampled_from(["x" * 300, "![i](http://h/x.png) <b>", "yesterday"]))
values = st.recursive(leaves, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=8)


def _set(doc, path, value):
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


def _snapshot(store: SqliteRunStore) -> list:
    with store.connection() as con:
        return [con.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in ("runs", "points")]


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.sampled_from(PATHS), values), min_size=1, max_size=3))
def test_any_edit_is_imported_cleanly_or_refused_without_a_trace(edits):
    doc = json.loads(json.dumps(BASE))
    for path, value in edits:
        try:
            _set(doc, path, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier edit replaced a parent of this path
    text = json.dumps(doc)
    store = SqliteRunStore(Path(tempfile.mkdtemp()))
    before = _snapshot(store)
    try:
        ids = import_runs(store, text)
    except InputError as exc:
        assert "Fix:" in str(exc) and len(str(exc)) < 1000
        assert _snapshot(store) == before
        return
    runs = [store.run(i) for i in ids]
    assert all(not r.problems for r in runs), [r.problems for r in runs]
    table = runs_table(store)
    from evalcore.__main__ import main  # the CLI's listing reads every field too
    os.environ["EVALCORE_HOME"] = str(store.folder)  # restored by the test's own home fixture
    assert main(["runs"]) == 0
    config_diff(runs)
    settings_and_results([r for r in runs if r.kind == "train"], table)
    export_runs_csv(store, ids)
    again = SqliteRunStore(Path(tempfile.mkdtemp()))
    assert len(import_runs(again, export_json(store, ids))) == len(ids)  # what was imported exports again
    for r in runs:
        if r.kind == "train":
            TrainConfig.from_dict(r.config).validate()
