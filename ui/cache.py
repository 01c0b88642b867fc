"""Cached reading of prediction files: parse a file once, validate and sort its scores once per mapping, for
every session of the server.

An upload is keyed by a hash of its bytes (xxHash's XXH3, 128 bits: about 6 ms for 90 MB), so ten sessions that
open the same file share one table and one evaluation; a sample is keyed by its name, a run's predictions file
by its store, run and version. Tables and evaluations live in one :class:`~ui.shared_cache.SharedCache` bounded
by ``$EVALCORE_CACHE_SIZE`` (:func:`evalcore.limits.cache_bytes`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

import pandas as pd
import streamlit as st
import xxhash

from evalcore.export import report_from_json
from evalcore.metrics.evaluation import Prepared
from evalcore.metrics.report import EvaluationReport
from evalcore.errors import InputError
from evalcore.predictions import ColumnMap, Predictions, from_frame, load_frame, resolve
from evalcore.file_bytes import Buffer
from evalcore.limits import cache_bytes
from evalcore.runs import RunStore
from ui.shared_cache import SharedCache


@dataclass(frozen=True)
class Source:
    """A predictions file the user chose: a stable key, its name and how to read its bytes."""

    key: str
    name: str
    read: Callable[[], Buffer]


@functools.cache
def shared() -> SharedCache:
    """The server's one cache of every session's tables and evaluations, sized by ``$EVALCORE_CACHE_SIZE`` when
    first used (a wrong value is then an InputError on the page, not a failed import)."""
    return SharedCache(cache_bytes())


def content_key(data: Buffer) -> str:
    """A key for a file's bytes: its XXH3 128-bit hash.

    >>> content_key(b"y_true,score")
    '770419b0fdb6555dba59b25b7c99301b'
    """
    return xxhash.xxh3_128_hexdigest(data)


def upload_source(up) -> Source:
    """An uploaded file as a source keyed by its content (hashed once per upload and session)."""
    keys = st.session_state.setdefault("_upload_content_keys", {})
    if up.file_id not in keys:
        keys.clear()  # only the current upload's key is needed
        keys[up.file_id] = content_key(up.getbuffer())
    return Source(f"upload-{keys[up.file_id]}", up.name, up.getbuffer)


def table_of(source: Source) -> pd.DataFrame:
    """The parsed table of a source (labels as Categoricals, decimal numbers as floats, the rest as text)."""
    return shared().get(("table", source.key, source.name), lambda: load_frame(source.read(), source.name)[0],
                      lambda: st.spinner("Reading the file…"))


def evaluation_of(source: Source, mapping: ColumnMap, pos_label: str | None = None) -> tuple[Predictions, Prepared]:
    """(Predictions, Prepared) for a source under a column mapping and positive class, cached for every session."""
    frame = table_of(source)
    key = ("evaluation", source.key, source.name, mapping.key(), pos_label)

    def compute() -> tuple[Predictions, Prepared]:
        predictions = resolve(frame, mapping, source.name)
        return predictions, predictions.prepare(pos_label=pos_label)

    return shared().get(key, compute, lambda: st.spinner("Computing metrics…"))


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
