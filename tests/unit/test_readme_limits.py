"""The limits the README states are the limits the code enforces (one place for each fact: limits.py)."""

from __future__ import annotations

from pathlib import Path

from evalcore import limits

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def _row(starts: str) -> str:
    return next(line for line in README.splitlines() if line.startswith(f"| {starts}"))


def test_the_readme_limits_table_matches_limits_py():
    assert limits.DEFAULT_MAX_FILE_BYTES == 2**30 and "| 1 GiB |" in _row("a predictions file")
    row = _row("a runs export")
    assert f"{limits.IMPORT_FILE_BYTES // 10**6} MB" in row and f"{limits.IMPORT_RUNS:,} runs" in row
    assert f"{limits.IMPORT_POINTS:,} points" in row
    row = _row("a run's name")
    assert (f"{limits.RUN_NAME_CHARS} / {limits.RUN_TAG_CHARS} characters / {limits.RUN_TAGS} tags / "
            f"{limits.RUN_NOTE_CHARS:,} / {limits.RUN_ERROR_CHARS:,} characters") in row
    row = _row("an imported run's settings")
    assert (f"{limits.IMPORT_CONFIG_BYTES:,} characters / {limits.IMPORT_SUMMARY_KEYS} entries of at most "
            f"{limits.IMPORT_TEXT_CHARS:,} characters or {limits.IMPORT_LIST_ITEMS:,} list items") in row
