"""Selecting rows of the Runs page's table in Chromium: the grid is a canvas, so rows are clicked by position."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def select_runs(page: Page, rows: tuple[int, ...]) -> None:
    """Tick the selection checkbox of each of ``rows`` (1 = the first data row) of the first table, in turn.

    Each click reruns the page, so the next click waits for this one's "Compare k run(s)" heading and for the page
    to stop running; a click during the rerun can be lost. Rows are 35 px high under a 35 px header.
    Example: ``select_runs(page, (1, 2))`` then expect "Compare 2 run(s)".
    """
    grid = page.get_by_test_id("stDataFrame").first
    grid.wait_for()
    for count, row in enumerate(rows, start=1):
        expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 12, box["y"] + 35 * row + 17)
        expect(page.get_by_text(f"Compare {count} run(s)")).to_be_visible(timeout=30_000)
