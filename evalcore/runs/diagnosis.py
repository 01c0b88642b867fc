"""What went wrong with a store's file or folder, in words: each database or file error becomes a
:class:`~evalcore.errors.StoreError` that names the file and says what to do (never the library's message).

Example:
    >>> import sqlite3; from pathlib import Path
    >>> diagnose(sqlite3.DatabaseError("file is not a database"), Path("runs.sqlite"))[0]
    'a damaged database file (truncated, overwritten or corrupted)'
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from evalcore.errors import StoreError

BUSY_TIMEOUT_MS = 10_000

DAMAGED = "a damaged database file (truncated, overwritten or corrupted)"
DAMAGED_FIX = ("run `python -m evalcore store check` to see what can be read, then `python -m evalcore store "
               "recover` to rebuild it from every readable run (the damaged file is kept beside it); or restore a "
               "backup; or set EVALCORE_HOME (or EVALCORE_STORE) to another folder to start an empty store")


def diagnose(exc: BaseException, path: Path) -> tuple[str, str]:
    """(what was found, what to do) for a database or file error of the store at ``path``, in words."""
    text = str(exc).lower()
    code = getattr(exc, "errno", None)
    folder = next((p for p in (path, *path.parents) if p.is_dir()), None)
    if folder is not None and not os.access(folder, os.W_OK) and isinstance(exc, (sqlite3.OperationalError, OSError)):
        code = errno.EROFS  # SQLite says "unable to open" when it cannot create its -wal/-shm files
    check = "run `python -m evalcore store check`"
    if isinstance(exc, sqlite3.DatabaseError) and ("not a database" in text or "malformed" in text
                                                   or "corrupt" in text or "no such table" in text):
        return DAMAGED, DAMAGED_FIX
    if "readonly" in text or "read-only" in text or code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ("a file or folder that cannot be written (read-only, or no permission)",
                "make the folder writable for this user, or set EVALCORE_HOME (or EVALCORE_STORE) to a folder you can write "
                "(Evaluate works without the store)")
    if "unable to open" in text or code in (errno.ENOENT, errno.ENOTDIR, errno.EISDIR):
        return ("a file that cannot be opened (the folder is missing, read-only, or not a folder)",
                "set EVALCORE_HOME (or EVALCORE_STORE) to a folder you can write (Evaluate works without the store)")
    if "full" in text or code == errno.ENOSPC:
        return "a full disk", "free disk space (old runs' folders in runs/ hold models and predictions), then try again"
    if "locked" in text or "busy" in text:
        return (f"a write lock held by another process for over {BUSY_TIMEOUT_MS // 1000} s",
                "try again; if it persists, stop a stuck `python -m evalcore` or training process")
    if "i/o" in text:
        return "a disk read or write error", f"check the disk, then {check}"
    return f"an error the database reported ({type(exc).__name__})", check


def store_error(exc: BaseException | None, path: Path) -> StoreError:
    """The StoreError for ``exc`` (None: the file is damaged) at ``path``: never the library's message."""
    found, fix = diagnose(exc, path) if exc is not None else (DAMAGED, DAMAGED_FIX)
    return StoreError(f"Expected a working run store at {path}, found {found}. Fix: {fix}.")


