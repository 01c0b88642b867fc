"""Cached steps of the Evaluate page: parse a file once, validate and sort its scores once per mapping.

Nothing here hashes the file's bytes: an upload is keyed by Streamlit's file id, a sample by its name,
and the bytes are read only when the cache misses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd
import streamlit as st

from evalcore.metrics import prepare
from evalcore.metrics.evaluation import Prepared
from evalcore.predictions import ColumnMap, Predictions, load_frame, resolve


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
    mapping = ColumnMap(**{**dict(roles), "probabilities": dict(dict(roles)["probabilities"])})
    predictions = resolve(_frame, mapping, name)
    return predictions, prepare(**predictions.evaluate_kwargs(), pos_label=pos_label)


def evaluation_of(source: Source, mapping: ColumnMap, pos_label: str | None = None) -> tuple[Predictions, Prepared]:
    """(Predictions, Prepared) for a source under a column mapping and positive class, cached."""
    roles = tuple(sorted({**mapping.as_dict(), "probabilities": tuple(mapping.probabilities.items())}.items()))
    return _evaluation(source.key, source.name, roles, pos_label, table_of(source))
