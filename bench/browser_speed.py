"""The browser budgets, in headless Chromium against a real Streamlit server on 127.0.0.1.

Run: .venv/bin/python -m bench.browser_speed [--repeat 3]   (also part of `make bench`)
- upload done to metrics on screen: 1M binary rows, 1M rows x 10 classes (a new file each time: the server's
  cache is keyed by content, so the same bytes again would be a cache hit);
- the threshold slider: a key press to the new recall on screen;
- the Runs page with 1,000 runs x 100 epochs: navigation to the table visible;
- sessions at once: N browser contexts of one Chromium open the sample at the same moment, on a fresh server each
  time, each context having opened the app once before (a returning user: plotly.js is in its cache); p50 and
  p95 of their time to metrics, and the CPU seconds per session of the server and of Chromium (on one machine
  they share the cores; the budget is 10 sessions' p50 under 3x one session's).

Times are taken in the page (performance.now() from the action to a MutationObserver seeing the result), so
polling from Python adds nothing to them.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from bench import files
from bench.speed import Row
from tests.e2e.server import CHROMIUM_ARGS, chromium_path, streamlit_server

SESSIONS = (1, 5, 10, 20)

# Resolves when a metric labelled `label` is on screen (time since `window.__mark`); rejects after 120 s.
_WATCH = """(label) => new Promise((resolve, reject) => {
  setTimeout(() => reject(new Error('no metric ' + label + ' within 120 s')), 120000);
  const seen = () => [...document.querySelectorAll('[data-testid="stMetricLabel"]')]
      .some(e => e.innerText.trim() === label);
  if (seen()) { resolve(performance.now() - window.__mark); return; }
  new MutationObserver((_, obs) => { if (seen()) { obs.disconnect(); resolve(performance.now() - window.__mark); } })
      .observe(document.body, {childList: true, subtree: true, characterData: true});
})"""

_VALUES = """() => [...document.querySelectorAll('[data-testid="stMetricValue"]')].map(e => e.innerText).join('|')"""

# Resolves when the metric values on screen differ from `before`; rejects after 60 s.
_CHANGED = """(before) => new Promise((resolve, reject) => {
  const values = () => [...document.querySelectorAll('[data-testid="stMetricValue"]')].map(e => e.innerText).join('|');
  setTimeout(() => reject(new Error('the metrics did not change within 60 s')), 60000);
  new MutationObserver((_, obs) => { if (values() !== before) {
    obs.disconnect(); resolve(performance.now() - window.__mark); } })
    .observe(document.body, {childList: true, subtree: true, characterData: true});
})"""


@contextmanager
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _page(chromium, url: str, width: int = 1400):
    page = chromium.new_context(viewport={"width": width, "height": 1000}).new_page()
    page.set_default_timeout(120_000)
    page.goto(url)
    page.get_by_test_id("stFileUploaderDropzoneInput").wait_for(state="attached")
    return page


_UPLOAD_DONE = """() => { const done = performance.getEntriesByType('resource')
  .filter(e => e.name.includes('/_stcore/upload_file')); return done.length ? done[done.length - 1].responseEnd : null; }"""


def upload_to_metrics(page, path: Path) -> float:
    """Seconds from the upload done (the browser's upload request answered, from the page's resource timing) to
    the first metric on screen."""
    page.evaluate("() => { window.__mark = 0; performance.clearResourceTimings(); }")
    page.evaluate(f"() => {{ window.__watch = ({_WATCH})('Accuracy'); }}")  # a promise, awaited below
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))
    shown = float(page.evaluate("() => window.__watch"))
    done = page.evaluate(_UPLOAD_DONE)
    if done is None:
        raise RuntimeError("the upload request was not seen in the page's resource timing")
    return (shown - float(done)) / 1000


def threshold_redraw(page) -> float:
    before = page.evaluate(_VALUES)
    slider = page.get_by_role("slider").first
    slider.focus()
    page.evaluate(f"(b) => {{ window.__mark = performance.now(); window.__watch = ({_CHANGED})(b); }}", before)
    page.keyboard.press("ArrowRight")
    return float(page.evaluate("() => window.__watch")) / 1000


def runs_page_open(chromium, url: str) -> float:
    """Seconds from clicking Runs in the navigation (the app already open) to the runs table visible."""
    page = _page(chromium, url)
    t0 = time.perf_counter()
    page.get_by_role("link", name="Runs").first.click()
    page.get_by_test_id("stDataFrame").first.wait_for(state="visible")
    seconds = time.perf_counter() - t0
    page.context.close()
    return seconds


def train_first_point(chromium, url: str, home: Path) -> float:
    """Seconds from pressing Train (MNIST, the page open long enough for its standby worker to be ready) to the
    first point of the loss curve on screen."""
    from tests.e2e.test_train_browser import choose_dataset, epoch_points, set_number
    page = chromium.new_context(viewport={"width": 1440, "height": 1300}).new_page()
    page.set_default_timeout(120_000)
    page.goto(url + "/train")
    page.get_by_text("Train a model").wait_for()
    choose_dataset(page, "MNIST, 5,000 digits")
    set_number(page, "Epochs", 2)
    set_number(page, "Training rows (0 = all)", 1200)
    deadline = time.time() + 120
    while not list(home.glob("standby-*.ready")) and time.time() < deadline:
        time.sleep(0.1)
    time.sleep(1)
    page.get_by_role("button", name="Train", exact=True).click()
    t0 = time.perf_counter()
    while epoch_points(page, "train, per batch") < 1 and epoch_points(page) < 1:
        if time.perf_counter() - t0 > 120:
            raise RuntimeError("no curve point within 120 s")
        time.sleep(0.05)
    seconds = time.perf_counter() - t0
    page.context.close()
    return seconds


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) the server process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def browser_cpu() -> float:
    """CPU seconds (user + system) used so far by every Chromium process on this machine."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if "chrom" in text.split(")", 1)[0]:
            fields = text.rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _radio(page, label: str):
    return page.get_by_test_id("stRadioGroup").get_by_text(label, exact=True)


def sessions_at_once(chromium, home: Path, n: int) -> tuple[float, float, float, float]:
    """(p50, p95 seconds to metrics, server and browser CPU seconds per session) for n sessions opening the
    sample at the same moment. Each session (a browser context) has opened the app once before, as a returning
    user has: its browser holds the app's scripts, so what is measured is the server's work and the page's
    redraw, not n first downloads of plotly.js."""
    with streamlit_server(home) as url:
        pages = []
        for _ in range(n):
            page = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.set_default_timeout(120_000)
            page.goto(url)
            _radio(page, "Try a sample").click()
            page.get_by_test_id("stMetricLabel").first.wait_for()
            _radio(page, "Upload a file").click()
            page.get_by_test_id("stFileUploaderDropzoneInput").wait_for(state="attached")
            pages.append(page)
        time.sleep(1)
        cpu0, browser0 = server_cpu(url.pid), browser_cpu()
        for page in pages:
            page.evaluate(f"() => {{ window.__mark = performance.now(); window.__watch = ({_WATCH})('Accuracy'); }}")
            _radio(page, "Try a sample").click(no_wait_after=True)
        seconds = [float(page.evaluate("() => window.__watch")) / 1000 for page in pages]
        cpu, browser = (server_cpu(url.pid) - cpu0) / n, (browser_cpu() - browser0) / n
        for page in pages:
            page.context.close()
    return float(np.percentile(seconds, 50)), float(np.percentile(seconds, 95)), cpu, browser


def measure(repeat: int) -> list[Row]:
    from bench.runs_speed import build
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as folder, browser() as chromium:
        home = Path(folder)
        build(str(home))
        with tempfile.TemporaryDirectory() as fresh, streamlit_server(Path(fresh), {"EVALCORE_STANDBY": "1"}) as url:
            first = train_first_point(chromium, url, Path(fresh))  # once: the first run of a new home
            rows.append(Row("browser: Train pressed to the first curve point (MNIST)", "(absolute)", None, first, 5))
        with streamlit_server(home) as url:
            page = _page(chromium, url)
            upload_to_metrics(page, files.binary(1000, seed=99))  # the server's first run (imports) out of the count
            binary = min(upload_to_metrics(_page(chromium, url), files.binary(1_000_000, seed=s))
                         for s in range(1, repeat + 1))
            rows.append(Row("browser: upload done to metrics, 1M binary rows", "(absolute)", None, binary, 1.0))
            multi = min(upload_to_metrics(_page(chromium, url), files.multiclass(1_000_000, seed=s))
                        for s in range(1, repeat + 1))
            rows.append(Row("browser: upload done to metrics, 1M rows x 10 classes", "(absolute)", None, multi, 2.5))
            page = _page(chromium, url)
            upload_to_metrics(page, files.binary(1_000_000, seed=1))
            redraw = min(threshold_redraw(page) for _ in range(repeat))
            rows.append(Row("browser: threshold slider redraw, 1M binary rows", "(absolute)", None, redraw, 0.25))
            runs = min(runs_page_open(chromium, url) for _ in range(repeat))
            rows.append(Row("browser: Runs page, navigation to the table visible (1,000 runs)", "(absolute)", None,
                            runs, 1.5))
        single = None
        for n in SESSIONS:
            p50, p95, cpu, chrome = sessions_at_once(chromium, home, n)
            single = single or p50
            rows.append(Row(f"browser: {n} session{'s' if n > 1 else ''} open the sample at once, p50 (p95 "
                            f"{p95:.2f} s; CPU per session: server {cpu:.2f} s, Chromium {chrome:.2f} s)",
                            "1 session's p50" if n > 1 else "(the reference)", single if n > 1 else None, p50,
                            3 if n == 10 else None))
    return rows


def main() -> None:
    from bench.speed import cpu, load, table
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    before = load()
    rows = measure(args.repeat)
    print(f"CPU: {cpu()}")
    print(f"load average before: {before}; after: {load()}")
    print(table(rows))


if __name__ == "__main__":
    main()
