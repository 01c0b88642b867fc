"""Cached reading of prediction files: parse a file once, validate and sort its scores once per mapping.

Nothing here hashes the file's bytes: an upload is keyed by Streamlit's file id, a sample by its name, a run's
predictions file by its store, run and version, and the bytes are read only when the cache misses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd
import streamlit as st

from evalcore.export import report_from_json
from evalcore.metrics.evaluation import Prepared
from evalcore.metrics.report import EvaluationReport
from evalcore.errors import InputError
from evalcore.predictions import ColumnMap, Predictions, from_frame, load_frame, resolve
from evalcore.runs import RunStore


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


def run_report(store: RunStore, run_id: int) -> EvaluationReport:
    """A training run's test-set report: the one the worker stored, else (a run from before reports were stored)
    its predictions evaluated again."""
    if "report" in store.artifacts(run_id):
        return report_from_json(artifact_bytes(store, run_id, "report"))
    _, prepared = run_predictions(store, run_id)
    return prepared.report()


def run_predictions(store: RunStore, run_id: int) -> tuple[Predictions, Prepared]:
    """A run's test-set predictions artifact, read and prepared once per version of it (its size and time)."""
    info = store.artifacts(run_id).get("predictions")
    if info is None:
        raise InputError(f"Expected a predictions file stored with run #{run_id}, found none. Fix: pick a run "
                         "that finished.")
    return _run_file(store.uri, run_id, info.file_name, (info.size, info.modified),
                     lambda: artifact_bytes(store, run_id, "predictions"))


def artifact_bytes(store: RunStore, run_id: int, name: str) -> bytes:
    """The bytes of a run's artifact (a download)."""
    with store.open_artifact(run_id, name) as f:
        return f.read()


@st.cache_resource(max_entries=8, show_spinner="Reading the run's predictions…")
def _run_file(uri: str, run_id: int, file_name: str, version: tuple,
              _read: Callable[[], bytes]) -> tuple[Predictions, Prepared]:
    predictions = from_frame(*load_frame(_read(), file_name))
    return predictions, predictions.prepare()
