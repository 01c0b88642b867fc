"""End to end in headless Chromium: select two runs on the Runs page, read the overlaid chart and the paired
difference table of their test predictions."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import expect, sync_playwright

from evalcore.runs import FINISHED, RUNNING, Point, SqliteRunStore
from evalcore.training.config import Dropout, TrainConfig
from tests.e2e.grid import select_runs
from tests.e2e.server import CHROMIUM_ARGS, chromium_path, streamlit_server
from tests.e2e.test_train_browser import chart
from tests.waiting import wait_for


def _two_runs(home) -> SqliteRunStore:
    """Two finished runs on the same 200 test rows; B is right more often."""
    store = SqliteRunStore(home)
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    for name, config, skill in (("baseline", TrainConfig(dataset="breast_cancer"), 0.7),
                                ("dropout", TrainConfig(dataset="breast_cancer", dropout=Dropout(enabled=True)),
                                 0.9)):
        run_id = store.create_run(name, "train", config.to_dict())
        store.set_status(run_id, RUNNING)
        losses = np.linspace(0.7, 0.3 if skill > 0.8 else 0.45, 5)
        store.log_points(run_id, [Point(f"epoch/{k}", e, e, v) for e, v in enumerate(losses)
                                  for k in ("loss", "val_loss")])
        right = rng.random(200) < skill
        p1 = np.where(right == (y == 1), rng.uniform(0.6, 1.0, 200), rng.uniform(0.0, 0.4, 200))
        frame = pd.DataFrame({"y_true": y.astype(str), "y_pred": (p1 >= 0.5).astype(int).astype(str),
                              "prob_0": 1 - p1, "prob_1": p1})
        store.put_artifact(run_id, "predictions", frame.to_csv(index=False).encode(), "predictions.csv")
        store.set_summary(run_id, {"test_accuracy": float(np.mean((p1 >= 0.5) == (y == 1)))})
        store.set_status(run_id, FINISHED)
    return store


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    _two_runs(home)
    with streamlit_server(home) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        pg = browser.new_page(viewport={"width": 1440, "height": 1300})
        pg.set_default_timeout(30_000)
        pg.goto(url + "/runs")
        pg.get_by_text("Runs", exact=True).first.wait_for()
        yield pg
        browser.close()


def test_select_two_runs_read_the_overlay_and_the_difference_table(page):
    select_runs(page, (1, 2))
    def both_runs():  # the heading shows before plotly has redrawn the chart for the second run: wait for it
        found = chart(page, "Loss: validation")
        return found if found and {"#1 baseline", "#2 dropout"} <= {t["name"] for t in found["traces"]} else None

    overlay = wait_for(both_runs, 30, "the overlaid chart of both runs",
                       lambda: str(chart(page, "Loss: validation")))
    assert all(t["n"] == 5 for t in overlay["traces"] if t["name"] in ("#1 baseline", "#2 dropout"))
    expect(page.get_by_text("Test-set predictions: #2 against #1")).to_be_visible()
    # the heading shows before the paired panel under it has been drawn: wait for the tests' lines
    def paired_tests():
        body = page.inner_text("body")
        return body if "DeLong's test" in body else None

    text = wait_for(paired_tests, 30, "the paired tests under the heading")
    assert re.search(r"McNemar's test of equal accuracy .*p = [0-9.e-]+", text)
    assert "DeLong's test of equal ROC AUC ('1' against the rest)" in text
    table = page.get_by_test_id("stTable").filter(has_text="Accuracy")
    expect(table).to_be_visible()
    cells = [[c.strip() for c in tr.locator("th, td").all_inner_texts()] for tr in table.locator("tr").all()]
    rows = {r[0]: r for r in cells if r}
    accuracy = rows["Accuracy"]
    a, b, diff = float(accuracy[1]), float(accuracy[2]), float(accuracy[3])
    assert diff == pytest.approx(b - a, abs=1e-4) and b > a  # B (dropout) is right more often
    assert "paired multinomial bootstrap" in accuracy[-1]
    assert "DeLong (paired)" in rows["ROC AUC (1 vs rest)"][-1]
