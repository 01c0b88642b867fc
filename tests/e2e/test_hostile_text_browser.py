"""In a real browser, user text that carries Markdown and HTML shows as text: no image is fetched, no link or
bold is made. A class label, a run name and a run's error point images at a local server that counts requests."""

from __future__ import annotations

import http.server
import threading
import time

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import expect, sync_playwright

from evalcore.runs import FAILED, FINISHED, Point, SqliteRunStore
from evalcore.training.config import TrainConfig
from tests.e2e.grid import select_runs
from tests.e2e.server import CHROMIUM_ARGS, chromium_path, free_port, streamlit_server


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (the http.server name)
        _Counter.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def trap():
    server = http.server.HTTPServer(("127.0.0.1", free_port()), _Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    yield (f"![t](http://127.0.0.1:{port}/md.png) **B** <img src=http://127.0.0.1:{port}/html.png> "
           f"[l](http://127.0.0.1:{port}/l) $x^2$ :smile:")
    server.shutdown()


def _store(home, hostile: str) -> None:
    store = SqliteRunStore(home)
    config = TrainConfig(dataset="wine").to_dict()
    for name in (hostile, "plain"):
        run_id = store.create_run(name, "train", config)
        store.log_points(run_id, [Point(f"epoch/{k}", e, e, 0.5 + e / 10) for e in range(3)
                                  for k in ("loss", "val_loss", "accuracy", "val_accuracy")])
        store.set_status(run_id, FINISHED)
    failed = store.create_run("failed run", "train", config)
    store.set_status(failed, FAILED, error=hostile)


def _assert_plain(pg, hostile: str) -> None:
    pg.wait_for_load_state("networkidle")  # every request the page made has gone out (and failed, or not)
    time.sleep(0.5)
    assert _Counter.hits == [], _Counter.hits
    port = hostile.split("127.0.0.1:")[1].split("/")[0]
    assert pg.locator(f"img[src*='127.0.0.1:{port}']").count() == 0
    assert pg.locator(f"a[href*='127.0.0.1:{port}']").count() == 0
    assert pg.locator(".katex").count() == 0
    assert "**B**" in pg.inner_text("body")


def test_hostile_text_is_shown_as_text_everywhere(tmp_path, trap):
    hostile = trap
    home = tmp_path / "home"
    _store(home, hostile)
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"y_true": rng.choice([hostile, "no"], 300), "score": rng.random(300).round(4)})
    upload = tmp_path / "predictions.csv"
    frame.to_csv(upload, index=False)
    with streamlit_server(home) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        pg = browser.new_page(viewport={"width": 1400, "height": 1200})
        pg.set_default_timeout(30_000)
        pg.goto(url)
        pg.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(upload))
        expect(pg.get_by_test_id("stMetricLabel").filter(has_text="ROC AUC")).to_be_visible()
        expect(pg.get_by_text("Decision threshold", exact=False)).to_be_visible()
        _assert_plain(pg, hostile)
        pg.goto(url + "/train")
        expect(pg.get_by_text("failed:", exact=False)).to_be_visible()
        _assert_plain(pg, hostile)
        pg.goto(url + "/runs")
        select_runs(pg, (2, 3))  # newest first: the plain run and the hostile one
        _assert_plain(pg, hostile)
        assert pg.locator(".js-plotly-plot a").count() == 0  # no link in a chart's legend
        browser.close()
