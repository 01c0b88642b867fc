"""Which store backend an address opens: ``open_store(uri)``.

An address is ``sqlite:///path/to/runs.sqlite`` or a folder path (its ``runs.sqlite``), or
``postgresql://user:password@host:5432/db`` (:mod:`evalcore.runs.postgresql_store`). Without one, the
store is ``$EVALCORE_STORE``, else the folder ``$EVALCORE_HOME``, else ``./.evalcore``. A new backend is one
module, ``evalcore/runs/<scheme>_store.py``, with a class that implements :class:`~evalcore.runs.store.RunStore`
and ``open_address(rest)``, which opens the part of an address after ``<scheme>://``; it is found by its name.

Example:
    >>> import tempfile
    >>> store = open_store(tempfile.mkdtemp())
    >>> open_store(store.uri).uri == store.uri
    True
    >>> open_store("mysql://user:secret@db/runs")
    Traceback (most recent call last):
    ...
    evalcore.errors.InputError: Expected a run store address starting with postgresql://, sqlite:/// (or a folder path), found 'mysql://…'. Fix: use one of those schemes, or unset EVALCORE_STORE for the default store in EVALCORE_HOME.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
from pathlib import Path
from typing import Callable

from evalcore.errors import input_error
from evalcore.runs.folders import home
from evalcore.runs.store import RunStore

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def address() -> str:
    """The default store's address: ``$EVALCORE_STORE``, else the folder ``$EVALCORE_HOME`` (or ``./.evalcore``)."""
    return os.environ.get("EVALCORE_STORE") or str(home())


def schemes() -> dict[str, str]:
    """Every backend: its scheme -> its module, one ``evalcore/runs/<scheme>_store.py`` each (found, not listed).

    >>> schemes()["sqlite"]
    'evalcore.runs.sqlite_store'
    """
    import evalcore.runs as package
    return {m.name.removesuffix("_store"): f"{package.__name__}.{m.name}"
            for m in pkgutil.iter_modules(package.__path__) if m.name.endswith("_store")}


def _backend(scheme: str) -> Callable[[str], RunStore]:
    """The ``open_address`` of a backend's module, imported only when its scheme is used (a server's driver is
    not loaded by the embedded default)."""
    return importlib.import_module(schemes()[scheme]).open_address


def sqlite_location(uri: str | os.PathLike | None = None) -> tuple[Path, str]:
    """(folder, file name) of the SQLite store at ``uri`` (default: the store's address), without opening it (the
    maintenance commands read damaged files); another backend's address is an InputError.

    >>> sqlite_location("sqlite:///data/team.sqlite")
    (PosixPath('data'), 'team.sqlite')
    """
    from evalcore.runs.sqlite_store import STORE_FILE, location
    text = address() if uri is None else str(uri)
    match = _SCHEME.match(text)
    if match is None:
        return Path(text), STORE_FILE
    if match.group(1).lower() != "sqlite":
        raise input_error("the SQLite run store (check, backup and recover are SQLite's own)",
                          f"a '{match.group(1).lower()}://…' store", "use that server's own tools for it")
    return location(text[match.end():])


def open_store(uri: str | os.PathLike | None = None) -> RunStore:
    """The store at ``uri`` (see the module's description); an unknown scheme is an InputError naming the known
    ones (only the scheme is repeated: an address may hold a password)."""
    text = address() if uri is None else str(uri)
    match = _SCHEME.match(text)
    if match is None:
        return importlib.import_module(schemes()["sqlite"]).open_folder(text)  # a folder path: the embedded store
    scheme = match.group(1).lower()
    if scheme not in schemes():
        known = ", ".join(f"{s}:///" if s == "sqlite" else f"{s}://" for s in sorted(schemes()))
        raise input_error(f"a run store address starting with {known} (or a folder path)", f"'{scheme}://…'",
                          "use one of those schemes, or unset EVALCORE_STORE for the default store in "
                          "EVALCORE_HOME")
    return _backend(scheme)(text[match.end():])
