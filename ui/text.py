"""User text (labels, column names, file and run names, tags, notes, error messages) shown as plain text.

Streamlit renders Markdown in st.markdown, st.caption, st.info/warning/error/success, st.toast, st.table cells,
titles and every widget label and help text: images (which make every viewer's browser fetch a URL), links,
bold, HTML, ``$…$`` maths, ``:emoji:`` and ``:material/icon:`` shortcodes, ``:red[…]`` colours, and bare URLs
and e-mail addresses that become links. :func:`plain` is the one way user text enters any of those.

Example:
    >>> plain("**B** ![t](http://x/y.png)")
    '\\\\*\\\\*B\\\\*\\\\* \\\\!\\\\[t\\\\]\\\\(http:\\u2060//x/y\\\\.png\\\\)'
"""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&=])")   # every character Markdown or HTML gives a meaning
_WWW = re.compile(r"(www)(\\\.)", re.IGNORECASE)
WORD_JOINER = "\u2060"  # invisible; breaks the patterns Streamlit applies after escapes (emoji, icons, URLs)


def plain(text) -> str:
    """Text that any Markdown-rendering element shows literally; line breaks are kept, blank lines dropped.

    >>> plain(":smile: a@b.com")
    ':\\u2060smile:\\u2060 a@\\u2060b\\\\.com'
    >>> plain("<script>*x*</script>")
    '\\\\<script\\\\>\\\\*x\\\\*\\\\</script\\\\>'
    """
    lines = (line.strip() for line in str(text).splitlines())
    escaped = _MARKDOWN.sub(r"\\\1", "  \n".join(line for line in lines if line))
    escaped = escaped.replace(":", ":" + WORD_JOINER).replace("@", "@" + WORD_JOINER)
    return _WWW.sub(r"\1" + WORD_JOINER + r"\2", escaped)


def plain_table(frame):
    r"""A table for ``st.table`` (which renders every cell and header as Markdown): each cell and name escaped.

    >>> import pandas as pd
    >>> t = plain_table(pd.DataFrame({"#1": ["**x**"]}))
    >>> print(t.columns[0], t.iloc[0, 0])
    \#1 \*\*x\*\*
    """
    out = frame.astype(str).map(plain)
    out.columns = [plain(c) for c in out.columns]
    out.index = [plain(i) for i in out.index]
    return out


def fmt(value: float, digits: int = 3) -> str:
    """A metric value for display; NaN shows as an em dash.

    >>> fmt(0.91234), fmt(float("nan"))
    ('0.912', '—')
    """
    if value is None or value != value:
        return "—"
    return f"{value:.{digits}f}"
