"""The Runs page groups the selected runs: runs differing only by seed are one group with a mean curve and a t
band, and its results read mean ± half-width (n); grouping by a setting works the same way."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
from scipy import stats
from streamlit.testing.v1 import AppTest

from evalcore.runs import FINISHED, RUNNING, Point, SqliteRunStore
from evalcore.training.config import Dropout, TrainConfig

ROOT = Path(__file__).resolve().parents[2]


def _seed_runs(store: SqliteRunStore) -> dict[str, list[float]]:
    """Three seeds of the baseline and three of dropout on wine; returns each group's test accuracies."""
    rng = np.random.default_rng(0)
    accuracies: dict[str, list[float]] = {"baseline": [], "dropout": []}
    for name, config in (("baseline", TrainConfig(dataset="wine")),
                         ("dropout", TrainConfig(dataset="wine", dropout=Dropout(enabled=True)))):
        for seed in range(3):
            run_id = store.create_run(name, "train", config.replace(seed=seed).to_dict())
            store.set_status(run_id, RUNNING)
            losses = np.linspace(1.0, 0.3 if name == "dropout" else 0.5, 4) + rng.normal(0, 0.02, 4)
            store.log_points(run_id, [Point(f"epoch/{k}", e, e, float(v)) for e, v in enumerate(losses)
                                      for k in ("loss", "val_loss")])
            accuracy = float(0.9 + 0.03 * (name == "dropout") + rng.normal(0, 0.01))
            accuracies[name].append(accuracy)
            store.finish(run_id, FINISHED, {"accuracy": accuracy, "log_loss": 0.3})
    return accuracies


def _array(encoded) -> np.ndarray:
    """A Plotly JSON array: a list, or its typed-array form ({"dtype", "bdata": base64})."""
    if isinstance(encoded, dict):
        return np.frombuffer(base64.b64decode(encoded["bdata"]), dtype=encoded["dtype"])
    return np.asarray(encoded)


def _group_table(at: AppTest):
    (table,) = [d.value for d in at.dataframe if "group" in getattr(d.value, "columns", [])]
    return table


def test_runs_differing_only_by_seed_are_one_group_with_a_band_and_mean_plus_minus():
    accuracies = _seed_runs(SqliteRunStore())
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/runs.py").run()
    at.session_state["runs_table"] = {"selection": {"rows": list(range(6)), "columns": []}}
    at.run()
    at.selectbox(key="cmp_group").set_value("same settings (seeds pooled)").run()
    assert not at.exception
    table = _group_table(at).set_index("group")
    assert table["runs"].tolist() == [3, 3]
    for name, values in accuracies.items():
        (label,) = [g for g in table.index if g.split(" ", 1)[1].startswith(name)]
        half = stats.t.ppf(0.975, 2) * np.std(values, ddof=1) / np.sqrt(3)
        assert table.loc[label, "test accuracy"] == f"{np.mean(values):.4f} ± {half:.4f} (n=3)"
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    bands = [t for t in spec["data"] if t.get("fill") == "toself"]
    means = [t for t in spec["data"] if t.get("mode") == "lines+markers"]
    assert len(bands) == 2 and len(means) == 2
    for t in means:  # each group's mean curve is the mean of its three runs' validation losses, epoch by epoch
        (group,) = [g for g in table.index if g == t["name"]]
        assert _array(t["x"]).tolist() == [1, 2, 3, 4] and len(_array(t["y"])) == 4, group
    at.selectbox(key="cmp_group").set_value("dropout.enabled").run()
    assert sorted(_group_table(at)["group"]) == ["dropout.enabled = False",
                                                                         "dropout.enabled = True"]
