"""Cached reading of prediction files: parse a file once, validate and sort its scores once per mapping.

Nothing here hashes the file's bytes: an upload is keyed by Streamlit's file id, a sample by its name, a run's
predictions file by its path and modification time, and the bytes are read only when the cache misses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd
import streamlit as st

from evalcore.export import report_from_json
from evalcore.metrics.evaluation import Prepared
from evalcore.metrics.report import EvaluationReport
from pathlib import Path

from evalcore.errors import InputError
from evalcore.predictions import ColumnMap, Predictions, from_frame, load_frame, resolve


@dataclass(frozen=True)
class Source:
    """A predictions file the user chose: a stable key, its name and how to read its bytes."""

    key: str
    name: str
    read: Callable[[], bytes]


@st.cache_resource(max_entries=3, show_spinner="Reading the file…")
def _frame(key: str, name: str, _read: Callable[[], bytes]) -> pd.DataFrame:
    frame, _ = load_frame(_read(), name)
    return frame


def table_of(source: Source) -> pd.DataFrame:
    """The parsed table of a source (every CSV column as text)."""
    return _frame(source.key, source.name, source.read)


@st.cache_resource(max_entries=6, show_spinner="Computing metrics…")
def _evaluation(key: str, name: str, roles: tuple, pos_label: str | None, _frame: pd.DataFrame):
    predictions = resolve(_frame, ColumnMap.from_key(roles), name)
    return predictions, predictions.prepare(pos_label=pos_label)


def evaluation_of(source: Source, mapping: ColumnMap, pos_label: str | None = None) -> tuple[Predictions, Prepared]:
    """(Predictions, Prepared) for a source under a column mapping and positive class, cached."""
    return _evaluation(source.key, source.name, mapping.key(), pos_label, table_of(source))


def predictions_of(source: Source) -> Predictions:
    """A source's predictions under its detected columns (the Runs page's file comparison)."""
    return from_frame(table_of(source), source.name)


def run_report(files: dict[str, Path]) -> EvaluationReport:
    """A training run's test-set report: the one the worker stored, else (a run from before reports were stored)
    its predictions file evaluated again."""
    path = files.get("report")
    if path is not None and path.exists():
        return report_from_json(path.read_bytes())
    _, prepared = run_predictions(files["predictions"])
    return prepared.report()


def run_predictions(path: Path) -> tuple[Predictions, Prepared]:
    """A run's test-set predictions file, read and prepared once per version of the file."""
    if not path.exists():
        raise InputError(f"Expected the run's predictions file at {path}, found no such file. Fix: its folder was "
                         "moved or deleted; train the run again, or restore the folder.")
    return _run_file(str(path), path.stat().st_mtime)


@st.cache_resource(max_entries=8, show_spinner="Reading the run's predictions…")
def _run_file(path: str, mtime: float) -> tuple[Predictions, Prepared]:
    predictions = from_frame(*load_frame(path))
    return predictions, predictions.prepare()
