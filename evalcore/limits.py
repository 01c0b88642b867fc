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

from evalcore.errors import InputError, input_error

FILE_SIZE_ENV = "EVALCORE_MAX_FILE_SIZE"
DEFAULT_MAX_FILE_BYTES = 1024 * 1024 * 1024  # 1 GiB: Streamlit's upload limit (server.maxUploadSize = 1024 MB)

CACHE_SIZE_ENV = "EVALCORE_CACHE_SIZE"
DEFAULT_CACHE_BYTES = 2 * 1024 * 1024 * 1024  # 2 GiB: the server's tables and evaluations shared by every session

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
    return _size_setting(FILE_SIZE_ENV, DEFAULT_MAX_FILE_BYTES, environ)


def cache_bytes(environ: Mapping[str, str] | None = None) -> int:
    """The most memory the server's shared cache of tables and evaluations keeps: ``$EVALCORE_CACHE_SIZE`` or
    2 GiB.

    >>> cache_bytes({"EVALCORE_CACHE_SIZE": "500MB"})
    500000000
    """
    return _size_setting(CACHE_SIZE_ENV, DEFAULT_CACHE_BYTES, environ)


def _size_setting(variable: str, default: int, environ: Mapping[str, str] | None) -> int:
    value = (os.environ if environ is None else environ).get(variable, "").strip()
    if not value:
        return default
    try:
        return parse_size(value)
    except InputError as exc:
        raise input_error(f"a size such as 500MB or 2GB in the environment variable {variable}",
                          f"'{value[:40]}'", f"set {variable} to a size, or unset it for the default "
                          f"{describe_size(default)}") from exc


def too_large(limit: int, found: str, name: str | None = None) -> InputError:
    """The refusal of a file over the size limit; ``found`` says what was measured (in file ``name``, unless
    ``found`` names it).

    >>> print(too_large(10**9, "1.2 GB", "big.csv"))  # doctest: +NORMALIZE_WHITESPACE
    Expected a file of at most 1 GB (the limit; set EVALCORE_MAX_FILE_SIZE or --max-file-size to raise it),
    found 1.2 GB in 'big.csv'. Fix: keep only the rows and columns you need (or split the file), or raise the limit.
    """
    return input_error(f"a file of at most {describe_size(limit)} (the limit; set {FILE_SIZE_ENV} or "
                       f"--max-file-size to raise it)", found if name is None else f"{found} in '{name}'",
                       "keep only the rows and columns you need (or split the file), or raise the limit")


def describe_size(n: int) -> str:
    """Bytes for a message.

    >>> describe_size(1_234_567_890), describe_size(2048), describe_size(12)
    ('1.23 GB', '2.0 KB', '12 bytes')
    """
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if n >= size:
            return f"{n / size:.3g} {unit}" if unit == "GB" else f"{n / size:.1f} {unit}"
    return f"{n} bytes"

# What a predictions file may hold (evalcore/predictions.py and evalcore/file_bytes.py enforce these).
MAX_COLUMNS = 10_000                    # CSV header fields, Parquet columns
MAX_HEADER_BYTES = 1 << 20              # the header line of a CSV
PARQUET_BATCH_BYTES = 64 * 2**20        # a Parquet file is decoded in batches of about this size, each counted
                                        # against the file size limit before the next is read

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
