"""Every size limit evalcore enforces, in one place, with the setting that changes it.

Example:
    >>> parse_size("1.5 GB"), parse_size("200MB"), parse_size("4096")
    (1500000000, 200000000, 4096)
    >>> max_file_bytes({"EVALCORE_MAX_FILE_SIZE": "10MB"})
    10000000
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from evalcore.errors import input_error

FILE_SIZE_ENV = "EVALCORE_MAX_FILE_SIZE"
DEFAULT_MAX_FILE_BYTES = 1024 * 1024 * 1024  # 1 GiB: Streamlit's upload limit (server.maxUploadSize = 1024 MB)

_UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12,
          "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """A size such as ``500MB``, ``1.5GB``, ``2GiB`` or a number of bytes, as bytes."""
    m = _SIZE.match(str(text))
    unit = m.group(2).lower() if m else None
    if m is None or unit not in _UNITS:
        raise input_error("a size such as 500MB, 2GB or a number of bytes", f"'{text}'",
                          "write a number followed by B, KB, MB, GB or TB (or KiB, MiB, GiB)")
    size = int(float(m.group(1)) * _UNITS[unit])
    if size <= 0:
        raise input_error("a size above zero", f"'{text}'", "give a positive size such as 1GB")
    return size


def max_file_bytes(environ: Mapping[str, str] | None = None) -> int:
    """The largest predictions file evalcore reads (after decompression): ``$EVALCORE_MAX_FILE_SIZE`` or 1 GiB."""
    value = (os.environ if environ is None else environ).get(FILE_SIZE_ENV, "").strip()
    return parse_size(value) if value else DEFAULT_MAX_FILE_BYTES


def describe_size(n: int) -> str:
    """Bytes for a message.

    >>> describe_size(1_234_567_890), describe_size(2048), describe_size(12)
    ('1.23 GB', '2.0 KB', '12 bytes')
    """
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if n >= size:
            return f"{n / size:.3g} {unit}" if unit == "GB" else f"{n / size:.1f} {unit}"
    return f"{n} bytes"

# What a run may hold (rename, tags, note, and import all enforce these).
RUN_NAME_CHARS = 200
RUN_TAG_CHARS = 50
RUN_TAGS = 50
RUN_NOTE_CHARS = 10_000
RUN_ERROR_CHARS = 10_000

# What one import of a JSON export may hold (the whole file is checked before anything is written).
IMPORT_FILE_BYTES = 256 * 10**6
IMPORT_RUNS = 10_000
IMPORT_POINTS = 2_000_000
IMPORT_SERIES_PER_RUN = 1_000
IMPORT_KEY_CHARS = 200
IMPORT_CONFIG_BYTES = 64_000
IMPORT_SUMMARY_KEYS = 500
IMPORT_TEXT_CHARS = 1_000       # a text value inside a config or a summary
IMPORT_LIST_ITEMS = 10_000      # a list inside a config or a summary (class names, an interval)
