"""Run comparison helpers against pandas as the oracle, and the store's edits touching one run only."""

from __future__ import annotations

import json

import sqlite3

import numpy as np
import pandas as pd
import pytest

from evalcore.errors import InputError
from evalcore.runs import RUNNING, Point, SqliteRunStore
from evalcore.runs.compare import config_diff, ema, keep_for_display, moving_average, runs_table
from evalcore.runs.sqlite_store import MIGRATIONS, SCHEMA_VERSION
from evalcore.training.config import Dropout, TrainConfig


@pytest.mark.parametrize("weight", [0.0, 0.3, 0.6, 0.9])
def test_ema_is_pandas_adjusted_ewm(weight):
    values = np.random.default_rng(1).normal(size=50)
    values[[5, 6]] = np.nan
    expected = pd.Series(values).ewm(alpha=1 - weight, adjust=True, ignore_na=True).mean().to_numpy()
    np.testing.assert_allclose(ema(values, weight), expected, rtol=1e-12)


def test_moving_average_is_pandas_rolling_mean():
    values = np.random.default_rng(2).normal(size=40)
    values[7] = np.nan
    expected = pd.Series(values).rolling(5, min_periods=1).mean().to_numpy()
    np.testing.assert_allclose(moving_average(values, 5), expected, rtol=1e-12)


def test_display_thinning_keeps_first_last_best_and_extremes():
    values = np.random.default_rng(3).normal(size=10_000)
    values[4321] = -50.0   # the best loss
    values[777] = 40.0     # a spike
    keep = keep_for_display(values, 400, lower_is_better=True)
    assert len(keep) <= 402 and {0, 9_999, 4321, 777} <= set(keep.tolist())
    assert keep_for_display(values[:100], 400, True).tolist() == list(range(100))


def _store_with_runs(tmp_path):
    store = SqliteRunStore(tmp_path)
    a = store.create_run("a", "train", TrainConfig(dataset="wine").to_dict())
    b = store.create_run("b", "train", TrainConfig(dataset="wine", dropout=Dropout(enabled=True, rate=0.3)).to_dict())
    for run_id, losses in ((a, [0.9, 0.5, 0.7]), (b, [0.8, 0.6, 0.4])):
        store.set_status(run_id, RUNNING)
        store.log_points(run_id, [Point("epoch/val_loss", e, e, v) for e, v in enumerate(losses)]
                         + [Point("epoch/val_accuracy", e, e, 1 - v) for e, v in enumerate(losses)]
                         + [Point("epoch/loss", e, e, v) for e, v in enumerate(losses)])
        store.set_status(run_id, "finished")
    return store, a, b


def test_runs_table_has_best_and_last(tmp_path):
    store, a, b = _store_with_runs(tmp_path)
    table = runs_table(store).set_index("id")
    assert table.loc[a, "best val loss"] == 0.5 and table.loc[a, "last val loss"] == 0.7
    assert table.loc[a, "best val acc"] == pytest.approx(0.5) and table.loc[b, "epochs"] == 3
    assert table.loc[b, "dropout"] == "0.3" and table.loc[a, "dropout"] == "off"


def test_config_diff_shows_what_differs(tmp_path):
    store, a, b = _store_with_runs(tmp_path)
    diff = config_diff([store.run(a), store.run(b)], only_differences=True)
    assert diff.index.tolist() == ["dropout.enabled", "dropout.rate"]
    assert diff.loc["dropout.rate"].tolist()[1:] == ["(off)", "0.3"]


def test_edits_and_delete_touch_one_run_only(tmp_path):
    store, a, b = _store_with_runs(tmp_path)
    store.put_artifact(a, "predictions", b"x", "predictions.csv")
    store.rename(b, "  <script>alert(1)</script>  ")
    store.set_tags(b, ["best", " best ", "", "v2"])
    store.set_note(b, "lr too high?")
    run = store.run(b)
    assert (run.name, run.tags, run.note) == ("<script>alert(1)</script>", ("best", "v2"), "lr too high?")
    with pytest.raises(InputError, match="empty"):
        store.rename(b, "   ")
    before = store.series(b)
    store.delete_run(a)
    assert [r.id for r in store.runs()] == [b]
    assert not (tmp_path / "runs" / str(a)).exists() and store.artifacts(a) == {}
    after = store.series(b)
    assert before.keys() == after.keys() and all(np.array_equal(before[k].values, after[k].values) for k in after)
    with store.connection() as con:
        assert con.execute("SELECT COUNT(*) FROM points WHERE run_id = ?", (a,)).fetchone()[0] == 0


def test_an_active_run_cannot_be_deleted(tmp_path):
    store = SqliteRunStore(tmp_path)
    run_id = store.create_run("live", "train", {})
    with pytest.raises(InputError, match="stop it first"):
        store.delete_run(run_id)


def test_a_version_1_store_is_migrated_and_keeps_its_runs(tmp_path):
    with sqlite3.connect(tmp_path / "runs.sqlite") as con:
        for statement in MIGRATIONS[0].split(";"):
            if statement.strip():
                con.execute(statement)
        con.execute("INSERT INTO runs (name, kind, status, config, created) VALUES ('old', 'train', 'finished', "
                    "'{}', 0)")
        con.execute("PRAGMA user_version = 1")
    store = SqliteRunStore(tmp_path)
    assert store.schema_version() == SCHEMA_VERSION
    run = store.runs()[0]
    assert (run.name, run.tags, run.note) == ("old", (), "")


def test_export_and_import_round_trip_keeps_everything(tmp_path):
    from evalcore.runs.exchange import export_json, export_points_csv, export_runs_csv, import_runs
    store, a, b = _store_with_runs(tmp_path / "a")
    store.set_tags(b, ["=cmd|' /C calc'!A0", "v2"])
    store.set_summary(b, {"test_accuracy": 0.9})
    other = SqliteRunStore(tmp_path / "b")
    other.create_run("already here", "train", {})
    new = import_runs(other, export_json(store, [a, b]))
    assert len(new) == 2 and a not in new  # new ids
    for old_id, new_id in zip((a, b), new):
        old, imported = store.run(old_id), other.run(new_id)
        assert (imported.name, imported.config, imported.summary, imported.tags, imported.status, imported.created) \
            == (old.name, old.config, old.summary, old.tags, old.status, old.created)
        s_old, s_new = store.series(old_id), other.series(new_id)
        assert s_old.keys() == s_new.keys()
        for key in s_old:
            np.testing.assert_array_equal(s_old[key].values, s_new[key].values)
            np.testing.assert_array_equal(s_old[key].steps, s_new[key].steps)
    runs_csv = export_runs_csv(store, [a, b])
    assert "'=cmd" in runs_csv and "config.dropout.rate" in runs_csv  # formula text neutralised
    points = pd.read_csv(pd.io.common.StringIO(export_points_csv(store, [a, b])))
    assert len(points) == 18 and set(points["run"]) == {a, b}


def test_import_refuses_other_files(tmp_path):
    from evalcore.runs.exchange import import_runs
    store = SqliteRunStore(tmp_path)
    with pytest.raises(InputError, match="not valid JSON"):
        import_runs(store, b"\x00\x01")
    with pytest.raises(InputError, match="evalcore-runs"):
        import_runs(store, '{"runs": []}')
    assert store.runs() == []


def test_exports_of_runs_with_bad_fields(tmp_path):
    """The Runs page builds exports on click; here, every export of a store with damaged rows."""
    from evalcore.runs.exchange import export_json, export_points_csv, export_runs_csv, import_runs
    from tests import stores
    store = stores.with_bad_rows(tmp_path / "a")
    ids = [r.id for r in store.runs()]
    json.loads(export_json(store, ids))  # valid JSON: no NaN tokens
    export_runs_csv(store, ids)
    export_points_csv(store, ids)
    clean = [r.id for r in store.runs() if r.name.startswith("run ")]  # the healthy ones
    assert len(import_runs(SqliteRunStore(tmp_path / "b"), export_json(store, clean))) == len(clean)
