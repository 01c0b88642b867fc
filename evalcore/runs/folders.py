"""The data folder of this machine: ``$EVALCORE_HOME`` or ``./.evalcore`` (the embedded store's folder, uploads,
the local executor's workspaces).

Example:
    >>> home().is_absolute()
    True
"""

from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    """The data folder: ``$EVALCORE_HOME`` or ``./.evalcore``."""
    return Path(os.environ.get("EVALCORE_HOME") or ".evalcore").absolute()
