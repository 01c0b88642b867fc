"""End to end in headless Chromium: train on a small training set, read the Advice (overfitting, with its
evidence), press Test this advice, and read the verdict once the paired runs are done."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.e2e.server import CHROMIUM_ARGS, chromium_path, streamlit_server
from tests.e2e.test_train_browser import choose_dataset, set_number, wait_until

VERDICT = re.compile(r"(helps|hurts|can't tell) · accuracy: [+-]\d\.\d{4} (\(95% interval [+-]\d\.\d{4} to "
                     r"[+-]\d\.\d{4}, 2 paired seeds, Holm p = [0-9.e-]+\)|on each of the 2 paired seeds)")


@pytest.mark.parametrize("dataset", ["Digits (scikit-learn)", "MNIST digits 5-9 (transfer target)"])
def test_train_read_the_advice_test_it_and_read_the_verdict(tmp_path, dataset):
    with streamlit_server(tmp_path, {"EVALCORE_STANDBY": "1"}) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        pg = browser.new_page(viewport={"width": 1400, "height": 1200})
        pg.set_default_timeout(30_000)
        pg.goto(url + "/train")
        pg.get_by_text("Train a model").wait_for()
        choose_dataset(pg, dataset)
        set_number(pg, "Training rows (0 = all)", 100)
        set_number(pg, "Epochs", 30)
        pg.get_by_role("button", name="Train", exact=True).click()
        expect(pg.get_by_role("heading", name="Advice")).to_be_visible(timeout=180_000)
        body = pg.inner_text("body").replace("\u2060", "")  # plain()'s invisible joiners
        # the evidence: epochs and values (a turned-up validation loss, a growing gap, or a memorised training set)
        (finding,) = [line for line in body.splitlines() if line.startswith("Overfitting: ")] or [body]
        assert re.search(r"epoch \d+", finding) and re.search(r"\d\.\d+", finding), finding
        prescription = pg.get_by_test_id("stSelectbox").filter(has_text="Prescription")
        chosen = prescription.evaluate("e => e.textContent + ' ' + [...e.querySelectorAll('input')].map("
                                       "i => i.value + ' ' + (i.getAttribute('aria-label') || '')).join(' ')")
        assert "augmentation" in chosen and "no flip" in chosen, chosen
        set_number(pg, "Paired seeds", 2)
        pg.get_by_role("button", name="Test this advice", exact=True).click()
        wait_until(lambda: "4 of 4 runs done" in pg.inner_text("body"), 300, "the advice test's four runs", pg)
        wait_until(lambda: VERDICT.search(pg.inner_text("body").replace("\u2060", "")), 30, "the verdict", pg)
        assert "Traceback" not in pg.inner_text("body")
        browser.close()
