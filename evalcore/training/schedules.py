"""Learning-rate schedules as plain functions of the epoch (0-based); the schedule strategy's module owns them.

Example:
    >>> from evalcore.training.config import Schedule
    >>> [round(learning_rate(Schedule(enabled=True), 0.01, e), 5) for e in (0, 9, 10, 11)]
    [0.01, 0.01, 0.00905, 0.00819]
"""

from __future__ import annotations

from evalcore.training.strategies.schedule import learning_rate, planned_rates

__all__ = ["learning_rate", "planned_rates"]
