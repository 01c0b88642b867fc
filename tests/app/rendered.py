"""Every string an AppTest page hands to an element that renders Markdown (or, for charts, Plotly's HTML-like
labels), so tests can check that user text only ever arrives there escaped."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

MARKDOWN_FIELDS = {"body", "label", "help", "placeholder", "caption"}
NOT_MARKDOWN = {"text", "code", "json", "arrow_data_frame", "dataframe", "exception", "plotly_chart"}
CHART_KEYS = {"text", "name", "title", "hovertext", "x", "y", "ticktext", "label"}


def _strings_in(message, out: list[str]) -> None:
    for field, value in message.ListFields():
        if hasattr(value, "ListFields"):
            _strings_in(value, out)
        elif isinstance(value, str):
            if field.name in MARKDOWN_FIELDS:
                out.append(value)
        elif not isinstance(value, (bytes, int, float, bool)):  # a repeated field
            for item in value:
                if hasattr(item, "ListFields"):
                    _strings_in(item, out)


def _chart_strings(value, out: list[str], key: str = "") -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _chart_strings(v, out, k)
    elif isinstance(value, list):
        for v in value:
            _chart_strings(v, out, key)
    elif isinstance(value, str) and key in CHART_KEYS:
        out.append(value)


def markdown_strings(at: AppTest) -> list[str]:
    """Markdown-rendered strings of the whole page (bodies, labels, help texts, expander and tab labels)."""
    out: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and getattr(node, "type", None) not in NOT_MARKDOWN:
            _strings_in(proto, out)
        for child in (getattr(node, "children", None) or {}).values():
            walk(child)

    walk(at._tree)
    return out


def chart_strings(at: AppTest) -> list[str]:
    """Labels of every Plotly chart on the page (trace names, axis labels, tick texts, titles, hover texts)."""
    out: list[str] = []
    for chart in at.get("plotly_chart"):
        _chart_strings(json.loads(chart.proto.spec), out)
    return out
