"""End to end in headless Chromium: start a run and watch its curve grow, stop a second run, read the finished
run's confusion matrix; the Streamlit server's memory stays under 400 MB."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.e2e.server import CHROMIUM_ARGS, chromium_path, resident_mb, streamlit_server
from tests.waiting import wait_for

SERVER_MEMORY_BUDGET_MB = 400


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    # EVALCORE_STANDBY=1, as `make run` has it: the page keeps a worker ready, with TensorFlow imported
    with streamlit_server(home, {"EVALCORE_STANDBY": "1"}) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        pg = browser.new_page(viewport={"width": 1440, "height": 1300})
        pg.set_default_timeout(30_000)
        pg.goto(url + "/train")  # a deep link, first visitor after the server start
        pg.get_by_text("Train a model").wait_for()
        yield pg, url
        browser.close()


# _fullData: plotly.js's decoded traces (numpy arrays arrive as base64 typed-array specs in .data)
TRACES = """() => [...document.querySelectorAll('.js-plotly-plot')].map(p => ({
    title: (p.layout && p.layout.title && p.layout.title.text) || '',
    traces: (p._fullData || []).map(t => ({name: t.name, type: t.type, n: t.x ? Array.from(t.x).length : 0,
                                            z: t.z ? Array.from(t.z, row => Array.from(row)) : null}))}))"""


def chart(pg, title: str) -> dict | None:
    """The plotly chart with this title (Streamlit wraps titles in <b> tags)."""
    return next((c for c in pg.evaluate(TRACES) if re.sub(r"<[^>]+>", "", c["title"]) == title), None)


def epoch_points(pg, trace: str = "train") -> int:
    """Points of a trace of the Loss chart ('train': one per epoch; 'train, per batch': the batch line)."""
    loss = chart(pg, "Loss")
    found = next((t for t in (loss or {}).get("traces", []) if t["name"] == trace), None)
    return found["n"] if found else 0


def wait_until(predicate, timeout: float, what: str, pg):
    return wait_for(predicate, timeout, what, lambda: f"Page: {pg.inner_text('body')[:800]}")


def set_number(pg, label: str, value: int) -> None:
    box = pg.get_by_label(label, exact=True)
    box.fill(str(value))
    box.press("Enter")
    time.sleep(0.5)


def choose_dataset(pg, title: str) -> None:
    pg.get_by_test_id("stSelectbox").filter(has_text="Dataset").click()
    pg.get_by_role("option", name=title).click()
    time.sleep(0.5)


def test_watch_a_run_grow_stop_a_second_and_read_the_first_ones_confusion_matrix(session):
    pg, url = session
    choose_dataset(pg, "MNIST, 5,000 digits")
    set_number(pg, "Epochs", 8)
    set_number(pg, "Training rows (0 = all)", 1200)
    pg.get_by_role("button", name="Train", exact=True).click()
    pressed = time.time()
    wait_until(lambda: epoch_points(pg, "train, per batch") >= 1 or epoch_points(pg) >= 1, 60,
               "the first curve point", pg)
    first_point = time.time() - pressed
    wait_until(lambda: epoch_points(pg) >= 1, 60, "the first epoch point", pg)
    first_epoch = time.time() - pressed
    seen = {epoch_points(pg)}
    wait_until(lambda: seen.add(epoch_points(pg)) or len(seen) >= 3, 60, "the curve to grow", pg)
    assert sorted(seen)[-1] > sorted(seen)[0]
    print(f"\n[browser] Train pressed -> first curve point on screen {first_point:.1f} s, first epoch point "
          f"{first_epoch:.1f} s")
    expect(pg.get_by_text("Test-set evaluation")).to_be_visible(timeout=120_000)
    memory_after_first = resident_mb(url.pid)

    set_number(pg, "Epochs", 300)  # a second, long run: stop it
    pg.get_by_role("button", name="Train", exact=True).click()
    wait_until(lambda: "Running" in pg.inner_text("body") and epoch_points(pg) >= 1, 60,
               "the second run's first epoch", pg)
    memory_during = resident_mb(url.pid)
    pg.get_by_role("button", name="Stop", exact=True).click()
    expect(pg.get_by_text("was stopped after")).to_be_visible(timeout=60_000)
    assert epoch_points(pg) < 300

    pg.get_by_test_id("stSelectbox").filter(has_text="Run").click()
    pg.get_by_role("option", name="#1 · mnist · baseline").click()
    expect(pg.get_by_text("Finished")).to_be_visible(timeout=30_000)
    heatmap = wait_until(lambda: chart(pg, "Confusion matrix (cells: count, % of row)"), 30, "the confusion matrix", pg)
    z = next(t["z"] for t in heatmap["traces"] if t["type"] == "heatmap")
    assert len(z) == 10 and sum(map(sum, z)) == 1000  # the fixed 20% test split of 5,000 digits
    assert sum(z[i][i] for i in range(10)) > 700  # a real model: mostly on the diagonal
    memory_after = resident_mb(url.pid)
    print(f"[browser] Streamlit server memory: {memory_after_first:.0f} MB after a run, {memory_during:.0f} MB "
          f"during a run, {memory_after:.0f} MB at the end")
    assert max(memory_after_first, memory_during, memory_after) < SERVER_MEMORY_BUDGET_MB
