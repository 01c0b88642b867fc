"""A run's statuses and kinds: the one list every backend, reader and page uses.

Example:
    >>> QUEUED in ACTIVE, LOST in ENDED, STATUSES == ACTIVE + ENDED
    (True, True, True)
"""

from __future__ import annotations

QUEUED, RUNNING, FINISHED, FAILED, STOPPED, LOST = "queued", "running", "finished", "failed", "stopped", "lost"
ACTIVE = (QUEUED, RUNNING)
ENDED = (FINISHED, FAILED, STOPPED, LOST)
STATUSES = ACTIVE + ENDED
KINDS = ("train", "evaluation")
LOST_ERROR = "The worker process ended without reporting (killed or crashed)."
