"""Take the README screenshot: the Evaluate page on the breast-cancer sample, in headless Chromium.

Run: .venv/bin/python -m docs.screenshot
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.e2e.server import CHROMIUM_ARGS, chromium_path, streamlit_server

OUT = Path(__file__).parent / "evaluate.png"


def main() -> None:
    with tempfile.TemporaryDirectory() as home, streamlit_server(Path(home)) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1500})
        page.goto(url)
        page.get_by_test_id("stRadioGroup").get_by_text("Try a sample").click()
        page.get_by_test_id("stMetric").first.wait_for()
        page.get_by_role("tab", name="ROC & PR").click()
        time.sleep(2)
        page.screenshot(path=str(OUT), full_page=False)
        browser.close()
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
