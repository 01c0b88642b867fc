"""Cached steps of the Evaluate page: parse the file once, prepare (sort scores) once per mapping."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from evalcore.metrics import prepare
from evalcore.predictions import ColumnMap, load_frame, resolve


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@st.cache_resource(max_entries=3, show_spinner="Reading the file…")
def cached_frame(key: str, _data: bytes, name: str) -> pd.DataFrame:
    """The parsed table (cached by content digest; the bytes themselves are not hashed again)."""
    frame, _ = load_frame(_data, name)
    return frame


@st.cache_resource(max_entries=6, show_spinner="Computing metrics…")
def cached_prepared(key: str, mapping_items: tuple, pos_label: str | None, confidence: float, _frame: pd.DataFrame,
                    name: str):
    """Validated predictions and the threshold-independent evaluation state."""
    roles = dict(mapping_items)
    mapping = ColumnMap(roles["y_true"], roles["y_pred"], roles["score"], dict(roles["probabilities"]))
    predictions = resolve(_frame, mapping, name)
    prepared = prepare(**predictions.evaluate_kwargs(), pos_label=pos_label, confidence=confidence)
    return predictions, prepared
