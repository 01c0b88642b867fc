"""Which store backend an address opens: ``open_store(uri)``.

An address is ``sqlite:///path/to/runs.sqlite`` or a folder path (its ``runs.sqlite``). Without one, the
store is ``$EVALCORE_STORE``, else the folder ``$EVALCORE_HOME``, else ``./.evalcore``. A new backend is one
module with a class that implements :class:`~evalcore.runs.store.RunStore`, and one entry in
:data:`BACKENDS` (its scheme -> how to open an address of it).

Example:
    >>> import tempfile
    >>> store = open_store(tempfile.mkdtemp())
    >>> open_store(store.uri).uri == store.uri
    True
    >>> open_store("postgresql://user:secret@db/runs")
    Traceback (most recent call last):
    ...
    evalcore.errors.InputError: Expected a run store address starting with sqlite:/// (or a folder path), found 'postgresql://…'. Fix: use one of those schemes, or unset EVALCORE_STORE for the default store in EVALCORE_HOME.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Callable

from evalcore.errors import input_error
from evalcore.runs.store import RunStore

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def home() -> Path:
    """The data folder: ``$EVALCORE_HOME`` or ``./.evalcore``."""
    return Path(os.environ.get("EVALCORE_HOME") or ".evalcore").absolute()


def address() -> str:
    """The default store's address: ``$EVALCORE_STORE``, else the folder ``$EVALCORE_HOME`` (or ``./.evalcore``)."""
    return os.environ.get("EVALCORE_STORE") or str(home())


def _sqlite(rest: str) -> RunStore:
    from evalcore.runs.sqlite_store import SqliteRunStore
    path = Path(rest)
    return SqliteRunStore(path.parent, file_name=path.name) if path.suffix else SqliteRunStore(path)


#: scheme -> how to open the part of the address after ``<scheme>://`` (for sqlite, after ``sqlite:///``).
BACKENDS: dict[str, Callable[[str], RunStore]] = {"sqlite": _sqlite}


def open_store(uri: str | os.PathLike | None = None) -> RunStore:
    """The store at ``uri`` (see the module's description); an unknown scheme is an InputError naming the known
    ones (only the scheme is repeated: an address may hold a password)."""
    text = address() if uri is None else str(uri)
    match = _SCHEME.match(text)
    if match is None:
        return _sqlite(text)  # a folder path (or a .sqlite file)
    scheme = match.group(1).lower()
    if scheme not in BACKENDS:
        known = ", ".join(f"{s}:///" if s == "sqlite" else f"{s}://" for s in BACKENDS)
        raise input_error(f"a run store address starting with {known} (or a folder path)", f"'{scheme}://…'",
                          "use one of those schemes, or unset EVALCORE_STORE for the default store in "
                          "EVALCORE_HOME")
    rest = text[match.end():]
    if scheme == "sqlite":
        if not rest.startswith("/"):
            raise input_error("a SQLite address such as sqlite:///path/to/runs.sqlite (three slashes)",
                              f"'{text[:200]}'", "write sqlite:/// then the file's path")
        rest = rest[1:]
    return BACKENDS[scheme](rest)
