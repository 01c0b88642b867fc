"""What a reader sees of a Markdown string that :func:`ui.text.plain` escaped: the escapes and the invisible word
joiners removed. Tests compare messages with this, never with the escaped source.

Example:
    >>> from ui.text import plain
    >>> shown(plain("a_b: *x* <b>"))
    'a_b: *x* <b>'
"""

from __future__ import annotations

import re


def shown(markdown: str) -> str:
    """The text a Markdown renderer shows for a string escaped by ``plain``."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")
