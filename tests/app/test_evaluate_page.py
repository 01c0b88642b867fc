"""The Evaluate page in Streamlit's AppTest: upload, metrics, threshold, errors, every tab."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sklearn.metrics as skm
from streamlit.testing.v1 import AppTest

from tests.shown import shown

from tests.conftest import binary_csv

ROOT = Path(__file__).resolve().parents[2]

HEADLINE = ["Accuracy", "Precision", "Recall", "F1", "Log loss", "ROC AUC", "Average precision", "MCC",
            "Balanced accuracy"]


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()


def _upload(at: AppTest, data: bytes, name: str = "preds.csv") -> AppTest:
    at.file_uploader(key="eval_upload").set_value((name, data, "text/csv")).run()
    return at


def _open(at: AppTest, tab: str) -> AppTest:
    """Select a results tab (only the open tab's content runs)."""
    at.session_state["eval_tab"] = tab
    return at.run()


def _table(at: AppTest, first_column: str) -> pd.DataFrame:
    """The dataframe on screen whose first column is ``first_column``."""
    tables = [d.value for d in at.dataframe if list(d.value.columns)[:1] == [first_column]]
    assert len(tables) == 1, [list(d.value.columns)[:3] for d in at.dataframe]
    return tables[0]


def _metrics(at: AppTest) -> dict[str, float]:
    return {m.label: float(m.value) for m in at.metric if m.value not in ("—",)}


def test_upload_shows_every_headline_metric_matching_sklearn():
    data = binary_csv(2000)
    at = _upload(_app(), data)
    assert not at.exception and not at.error
    shown = _metrics(at)
    assert set(HEADLINE) <= set(shown)
    frame = pd.read_csv(pd.io.common.BytesIO(data))
    y, s = frame["y_true"].to_numpy(), frame["score"].to_numpy()
    pred = (s >= 0.5).astype(int)
    assert shown["Accuracy"] == pytest.approx(skm.accuracy_score(y, pred), abs=5e-4)
    assert shown["F1"] == pytest.approx(skm.f1_score(y, pred), abs=5e-4)
    assert shown["ROC AUC"] == pytest.approx(skm.roc_auc_score(y, s), abs=5e-4)
    assert shown["Log loss"] == pytest.approx(skm.log_loss(y, s), abs=5e-4)
    assert shown["Average precision"] == pytest.approx(skm.average_precision_score(y, s), abs=5e-4)
    captions = " ".join(c.value for c in at.caption)
    assert "95% CI" in captions and "positive class" in captions


def test_threshold_slider_updates_threshold_metrics():
    data = binary_csv(1000, seed=3)
    at = _upload(_app(), data)
    before = _metrics(at)
    at.slider(key="eval_threshold").set_value(0.25).run()
    after = _metrics(at)
    frame = pd.read_csv(pd.io.common.BytesIO(data))
    pred = (frame["score"] >= 0.25).astype(int)
    assert after["Recall"] == pytest.approx(skm.recall_score(frame["y_true"], pred), abs=5e-4)
    assert after["Recall"] > before["Recall"]
    assert after["ROC AUC"] == before["ROC AUC"]  # threshold-free metrics stay


def test_bad_file_shows_a_clear_error_and_no_traceback():
    at = _upload(_app(), b"y_true,score\n1,0.9\n0,abc\n", "bad.csv")
    assert not at.exception
    assert len(at.error) == 1
    message = shown(at.error[0].value)
    assert "score" in message and "row 2" in message and "Fix:" in message


@pytest.mark.parametrize("sample", ["Breast cancer (binary, logistic regression)",
                                    "Digits (10 classes, logistic regression)", "Diabetes (regression, ridge)"])
def test_samples_render_without_errors(sample):
    at = _app()
    at.radio(key="eval_source").set_value("Try a sample").run()
    at.selectbox(key="eval_sample").set_value(sample).run()
    assert not at.exception and not at.error
    labels = [m.label for m in at.metric]
    assert ("MSE" in labels) if sample.startswith("Diabetes") else ("Accuracy" in labels)


def test_multiclass_per_class_table_and_misclassified_cells():
    at = _app()
    at.radio(key="eval_source").set_value("Try a sample").run()
    at.selectbox(key="eval_sample").set_value("Digits (10 classes, logistic regression)").run()
    table = _table(_open(at, "Per class"), "class")
    assert list(table["class"]) == [str(i) for i in range(10)]
    frame = pd.read_csv(ROOT / "evalcore/samples/digits.csv")
    pred = frame[[f"prob_{k}" for k in range(10)]].to_numpy().argmax(axis=1)
    expected = skm.precision_score(frame["y_true"], pred, average=None)
    np.testing.assert_allclose(table["precision"], expected, atol=1e-9)
    cells = _open(at, "Misclassified").selectbox(key="mis_cell")
    cells.set_value(cells.options[1]).run()
    shown = _table(at, "row")
    assert (shown["true"] != shown["predicted"]).all()


def test_manual_column_mapping_and_label_with_markup_is_text():
    data = b"gold,guess,conf\n<b>x</b>,<b>x</b>,0.9\nno,no,0.1\nno,<b>x</b>,0.7\n"
    at = _upload(_app(), data, "m.csv")
    assert len(at.error) == 1 and "true-label" in shown(at.error[0].value)
    key = [w.key for w in at.selectbox if w.key and w.key.startswith("map_true_")][0]
    at.selectbox(key=key).set_value("gold").run()
    pred_key = [w.key for w in at.selectbox if w.key and w.key.startswith("map_pred_")][0]
    at.selectbox(key=pred_key).set_value("guess").run()
    assert not at.exception
    assert _metrics(at)["Accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert all("<b>" not in m.value or "\\<b\\>" in m.value for m in at.markdown)


def test_downloads_are_formula_safe_and_valid_json():
    at = _open(_upload(_app(), binary_csv(500)), "Slices")
    at.selectbox(key="slice_col").set_value("site").run()
    slices = _table(at, "group")
    assert set(slices["group"]) == {"north", "south", "=cmd|' /C calc'!A0"}
    assert slices["rows"].sum() == 500
    from evalcore.export import frame_to_csv
    assert "'=cmd" in frame_to_csv(pd.DataFrame({"g": ["=cmd|' /C calc'!A0"]}))
    from evalcore.export import report_to_json
    from evalcore.metrics import evaluate
    doc = json.loads(report_to_json(evaluate([0, 1, 1], y_score=[0.2, 0.8, 0.4])))
    assert doc["metrics"]["roc_auc"]["value"] == 1.0


def test_scores_on_a_0_to_100_scale_warn_once_and_the_slider_shows_the_threshold_used():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    score = np.clip(rng.normal(40 + 20 * y, 15), 0.0001, 99.9997).round(4)  # a mid-range of 49.99985
    at = _upload(_app(), pd.DataFrame({"y_true": y, "score": score}).to_csv(index=False).encode())
    assert not at.exception
    warnings = [shown(w.value) for w in at.warning]
    assert len(warnings) == 1 and "outside [0, 1]" in warnings[0], warnings
    slider = at.slider(key="eval_threshold")
    rule = next(shown(c.value) for c in at.caption if "predictions:" in c.value)
    assert f">= {slider.value:g}" in rule or f"≥ {slider.value:g}" in rule, (slider.value, rule)
    assert "Calibration" not in [t.label for t in at.tabs]
    slider.set_value(62.5).run()
    rule = next(shown(c.value) for c in at.caption if "predictions:" in c.value)
    assert "62.5" in rule and "62.49" not in rule


def test_a_label_found_only_in_y_pred_is_warned_once():
    at = _upload(_app(), b"y_true,y_pred\na,a\nb,b\na,c\nb,b\n")
    warnings = [shown(w.value) for w in at.warning]
    assert len(warnings) == 1 and "'c'" in warnings[0], warnings


def test_probability_rows_not_summing_to_1_are_warned_once_and_the_task_is_the_readers():
    at = _upload(_app(), b"y_true,prob_a,prob_b,prob_c\na,0.5,0.2,0.1\nb,0.2,0.7,0.1\nc,0.1,0.1,0.8\na,0.6,0.3,0.1\n")
    assert not at.exception and not at.error
    warnings = [shown(w.value) for w in at.warning]
    assert len(warnings) == 1 and "do not sum to 1" in warnings[0], warnings
    rule = next(shown(c.value) for c in at.caption if "predictions:" in c.value)
    assert "argmax" in rule


def test_a_regression_report_states_no_classification_settings():
    """Averaging, zero_division and probability clipping mean nothing for regression: the line says rows and task."""
    at = _app()
    at.radio(key="eval_source").set_value("Try a sample").run()
    at.selectbox(key="eval_sample").set_value("Diabetes (regression, ridge)").run()
    line = next(shown(c.value) for c in at.caption if "task: regression" in shown(c.value))
    assert "averaging" not in line and "zero_division" not in line and "clipping" not in line, line


def test_sessions_uploading_the_same_file_share_one_parse_and_one_evaluation():
    from ui.cache import shared
    cache = shared()
    data = binary_csv(3000, seed=21)
    first = _upload(_app(), data, "shared.csv")
    before = cache.computed
    second = _upload(_app(), data, "shared.csv")
    assert cache.computed == before  # the second session computed nothing
    assert [m.value for m in second.metric] == [m.value for m in first.metric]
    _upload(_app(), binary_csv(3000, seed=22), "shared.csv")
    assert cache.computed == before + 2  # other bytes: a new table and a new evaluation


def test_misclassified_rows_show_padded_labels_as_text_and_the_download_holds_what_is_shown():
    data = b"y_true,y_pred,site\n cat,dog ,n\ndog ,dog ,s\n cat, cat,n\ndog , cat,\n"
    at = _open(_upload(_app(), data, "padded.csv"), "Misclassified")
    shown = _table(at, "row")
    # Chromium's grid drew padded Categorical cells as blanks: the table holds plain text
    assert not any(isinstance(t, pd.CategoricalDtype) for t in shown.dtypes)
    assert shown["y_true"].tolist() == [" cat", "dog "] and shown["true"].tolist() == ["cat", "dog"]
    from evalcore.predictions import read_predictions
    from ui.evaluate_panels import misclassified_rows
    p = read_predictions(data, name="padded.csv")
    prepared = p.prepare()
    pred = prepared.predicted_codes(None)
    full = misclassified_rows(p.frame, np.flatnonzero(pred != prepared.codes_true), list(prepared.classes),
                              prepared.codes_true, pred)
    assert list(full.columns) == ["row", "true", "predicted", "y_true", "y_pred", "site"]
    assert full.astype(str).values.tolist() == shown.astype(str).values.tolist()  # the download is the table
