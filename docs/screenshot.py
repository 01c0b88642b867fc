"""Take the README screenshots in headless Chromium: the Evaluate page on the breast-cancer sample
(docs/evaluate.png), the Train page during a live run (docs/train.png) and the Runs page comparing two real
runs (docs/runs.png).

Run: .venv/bin/python -m docs.screenshot
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.e2e.server import CHROMIUM_ARGS, chromium_path, streamlit_server

DOCS = Path(__file__).parent


def evaluate(page, url: str) -> None:
    page.goto(url)
    page.get_by_test_id("stRadioGroup").get_by_text("Try a sample").click()
    page.get_by_test_id("stMetric").first.wait_for()
    page.get_by_role("tab", name="ROC & PR").click()
    time.sleep(2)
    page.screenshot(path=str(DOCS / "evaluate.png"), full_page=False)


def train(page, url: str) -> None:
    page.goto(url + "/train")
    page.get_by_text("Train a model").wait_for()
    for toggle in ("Dropout", "Learning-rate schedule"):
        page.get_by_text(toggle, exact=True).click()
        time.sleep(0.5)
    box = page.get_by_label("Hold for epochs", exact=True)
    box.fill("4")
    box.press("Enter")
    time.sleep(0.5)
    page.get_by_role("button", name="Train", exact=True).click()
    deadline = time.time() + 120
    while time.time() < deadline:  # a live run, well under way
        done = re.search(r"Running · epoch (\d+)/15", page.inner_text("body"))
        if done and int(done.group(1)) >= 8:
            break
        time.sleep(0.2)
    page.get_by_text("Train a model").scroll_into_view_if_needed()
    page.screenshot(path=str(DOCS / "train.png"), full_page=False)


def runs(page, url: str, home: str) -> None:
    """Two real runs on a small training set (baseline and dropout), compared on the Runs page."""
    env = {**os.environ, "EVALCORE_HOME": home, "KERAS_HOME": str(Path(home) / "keras"), "TF_CPP_MIN_LOG_LEVEL": "2"}
    for extra in ([], ["--dropout"]):
        subprocess.run([sys.executable, "-m", "evalcore", "train", "--dataset", "mnist", "--train-size", "300",
                        "--epochs", "25", *extra], env=env, check=True, capture_output=True)
    page.goto(url + "/runs")
    grid = page.get_by_test_id("stDataFrame").first
    grid.wait_for()
    time.sleep(1)
    box = grid.bounding_box()
    for row in (1, 2):
        page.mouse.click(box["x"] + 12, box["y"] + 35 * row + 17)
        time.sleep(1.5)
    page.mouse.move(800, 600)
    page.mouse.wheel(0, 330)  # the selected rows, the comparison controls and the overlaid curves
    time.sleep(2)
    page.screenshot(path=str(DOCS / "runs.png"), full_page=False)


def main() -> None:
    with tempfile.TemporaryDirectory() as home, streamlit_server(Path(home)) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1100})
        evaluate(page, url)
        train(page, url)
        runs(page, url, home)
        browser.close()
    print(f"wrote {DOCS / 'evaluate.png'}, {DOCS / 'train.png'} and {DOCS / 'runs.png'}")


if __name__ == "__main__":
    main()
