"""What a reader sees of a Markdown string that :func:`ui.text.plain` escaped: the escapes and the invisible word
joiners removed. Tests compare messages with this, never with the escaped source."""

from __future__ import annotations

import re


def shown(markdown: str) -> str:
    """>>> shown("a\\\\_b: \\\\*x\\\\*".replace(": ", ":\\u2060 "))
    'a_b: *x*'
    """
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")
