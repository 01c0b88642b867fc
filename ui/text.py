"""User text (labels, column names) shown as plain text, never as HTML or Markdown."""

from __future__ import annotations

import re

_MD = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def plain(text) -> str:
    """Escape Markdown so a label like ``**x**`` or ``<b>`` shows literally.

    >>> plain("<script>*x*</script>")
    '\\\\<script\\\\>\\\\*x\\\\*\\\\</script\\\\>'
    """
    return _MD.sub(r"\\\1", str(text))


def fmt(value: float, digits: int = 3) -> str:
    """A metric value for display; NaN shows as an em dash.

    >>> fmt(0.91234), fmt(float("nan"))
    ('0.912', '—')
    """
    if value is None or value != value:
        return "—"
    return f"{value:.{digits}f}"
