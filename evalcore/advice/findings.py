"""What a run's curves and its test set say is going on, each finding with its evidence (epochs, values, the
gap). Rules on the per-epoch training and validation curves; thresholds are named below.

Example:
    >>> import numpy as np
    >>> from evalcore.runs.curves import RunCurves
    >>> c = RunCurves(np.arange(1, 7), {"loss": np.array([1.0, .6, .4, .3, .2, .1])},
    ...               {"loss": np.array([.9, .6, .5, .55, .62, .7])})
    >>> [f.kind for f in diagnose(c)]
    ['overfitting']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evalcore.runs.curves import RunCurves

OVERFITTING, UNDERFITTING = "overfitting", "underfitting"
LR_TOO_HIGH, LR_TOO_LOW = "learning rate too high", "learning rate too low"
STILL_IMPROVING, STALLED = "still improving", "validation loss stalled"
IDLE_SCHEDULE, WEAK_CLASSES = "schedule never acts", "weak classes"

TURN_UP = 0.05        # validation loss this far (relative) above its best, at the end: it turned up
GAP_END = 0.05        # training accuracy this far above validation accuracy at the end ...
GAP_GROWTH = 0.03     # ... having grown by this much over the run's second half: the gap keeps growing
MEMORISED = 0.2       # training loss under this share of validation loss, with the accuracy gap: it memorises
RISE = 0.02           # an epoch whose training loss rose this much (relative) is a step back
STALL = 0.005         # the best validation loss improved less than this (relative) over the last third
WEAK_RECALL = 0.5     # a class recalled less often than this, or
WEAK_BEHIND = 0.2     # this far below the median class's recall, is weak


@dataclass(frozen=True)
class Finding:
    """One diagnosis: its kind (the constants above), the evidence in words, and the epoch it points at."""

    kind: str
    evidence: str
    epoch: int | None = None


def diagnose(curves: RunCurves, *, classes: int | None = None, schedule_on: bool = False,
             recall: dict[str, float] | None = None) -> list[Finding]:
    """Every finding for a run: learning-rate trouble first (it hides the rest), then fit, progress, the
    schedule and the test set's weak classes. ``classes`` sets the chance level of accuracy (default 2)."""
    tl, vl = curves.train.get("loss"), curves.val.get("loss")
    if tl is None or len(tl) == 0:
        return []
    found = _learning_rate_high(tl, vl)
    if not found:
        found += _overfitting(curves, tl, vl)
        found += _slow(tl) or _underfitting(curves, tl, classes or 2)
        if not found:  # overfitting, slow steps and a plateau low are also "still improving" or "stalled"
            found += _progress(vl)
    if schedule_on:
        found += _idle_schedule(curves)
    found += _weak_classes(recall or {})
    return found


def _learning_rate_high(tl: np.ndarray, vl: np.ndarray | None) -> list[Finding]:
    bad = np.flatnonzero(~np.isfinite(tl) | (~np.isfinite(vl) if vl is not None else False))
    if bad.size:
        return [Finding(LR_TOO_HIGH, f"the loss is not a number from epoch {bad[0] + 1}: training diverged",
                        int(bad[0] + 1))]
    if len(tl) >= 2 and tl[-1] > tl[0] * 1.1:
        return [Finding(LR_TOO_HIGH, f"training loss rose from {tl[0]:.3g} (epoch 1) to {tl[-1]:.3g} (epoch "
                                     f"{len(tl)}): training diverges", len(tl))]
    rises = np.flatnonzero(tl[1:] > tl[:-1] * (1 + RISE)) + 2
    if len(tl) >= 4 and len(rises) >= max(2, (len(tl) - 1) / 3):
        return [Finding(LR_TOO_HIGH, f"training loss went up in {len(rises)} of {len(tl) - 1} epochs (epochs "
                                     f"{_list(rises)}): it oscillates instead of settling", int(rises[0]))]
    return []


def _overfitting(curves: RunCurves, tl: np.ndarray, vl: np.ndarray | None) -> list[Finding]:
    n = len(tl)
    if vl is not None and n >= 3:
        b = int(np.argmin(vl))
        if b < n - 1 and vl[-1] > vl[b] * (1 + TURN_UP) and tl[-1] < tl[b]:
            return [Finding(OVERFITTING, f"validation loss was lowest at epoch {b + 1} ({vl[b]:.3g}) and rose to "
                                         f"{vl[-1]:.3g} by epoch {n} (+{vl[-1] / vl[b] - 1:.0%}) while training "
                                         f"loss fell from {tl[b]:.3g} to {tl[-1]:.3g}", b + 1)]
    ta, va = curves.train.get("accuracy"), curves.val.get("accuracy")
    if ta is not None and va is not None and n >= 4 and np.isfinite(ta).all() and np.isfinite(va).all():
        gap = ta - va
        half = n // 2
        if gap[-1] >= GAP_END and gap[-1] - gap[half - 1] >= GAP_GROWTH:
            return [Finding(OVERFITTING, f"the train/validation accuracy gap grew from {gap[half - 1]:.1%} at epoch "
                                         f"{half} to {gap[-1]:.1%} at epoch {n} (train {ta[-1]:.1%}, validation "
                                         f"{va[-1]:.1%})", n)]
        if vl is not None and gap[-1] >= GAP_END and tl[-1] < MEMORISED * vl[-1]:
            return [Finding(OVERFITTING, f"the model fits its training rows (accuracy {ta[-1]:.1%}, loss "
                                         f"{tl[-1]:.3g}) far better than the validation rows (accuracy {va[-1]:.1%}, "
                                         f"loss {vl[-1]:.3g}) at epoch {n}: it memorises them", n)]
    return []


def _slow(tl: np.ndarray) -> list[Finding]:
    """A steady, almost straight decline that has not gone far: the steps are too small."""
    n = len(tl)
    if n < 4:
        return []
    drops = tl[:-1] - tl[1:]
    third = max(1, (n - 1) // 3)
    early, late = drops[:third].mean(), drops[-third:].mean()
    gone = (tl[0] - tl[-1]) / tl[0]
    if (drops > 0).mean() >= 0.8 and 0 < gone < 0.35 and late >= 0.5 * early:
        return [Finding(LR_TOO_LOW, f"training loss fell by only {gone:.0%} in {n} epochs ({tl[0]:.3g} to "
                                    f"{tl[-1]:.3g}), in near-equal steps ({early:.3g} per epoch at first, "
                                    f"{late:.3g} at the end): the steps are too small", n)]
    return []


def _underfitting(curves: RunCurves, tl: np.ndarray, classes: int) -> list[Finding]:
    ta = curves.train.get("accuracy")
    n = len(tl)
    if ta is None or n < 3 or not np.isfinite(ta[-1]):
        return []
    chance = 1 / classes
    low = chance + 0.75 * (1 - chance)
    third = max(1, n // 3)
    gained = ta[-1] - ta[-third - 1]
    if ta[-1] < low and gained < 0.01:
        return [Finding(UNDERFITTING, f"training accuracy plateaued at {ta[-1]:.1%} (up {gained:.1%} over the last "
                                      f"{third} epochs; chance is {chance:.0%}): the model does not fit even its "
                                      "training data", n)]
    return []


def _progress(vl: np.ndarray | None) -> list[Finding]:
    if vl is None or len(vl) < 2:
        return []
    n = len(vl)
    if vl[-1] <= np.min(vl) and vl[-2] - vl[-1] > STALL * vl[-2]:
        return [Finding(STILL_IMPROVING, f"validation loss was still falling at the last epoch ({vl[-2]:.3g} to "
                                         f"{vl[-1]:.3g} in epoch {n}): more epochs should help", n)]
    third = max(2, n // 3)
    if n >= 6:
        before, recent = np.min(vl[:-third]), np.min(vl[-third:])
        if before - recent < STALL * before:
            return [Finding(STALLED, f"validation loss has not improved by {STALL:.1%} in the last {third} epochs "
                                     f"(best {min(before, recent):.3g})", n - third + 1)]
    return []


def _idle_schedule(curves: RunCurves) -> list[Finding]:
    lr = curves.lr[np.isfinite(curves.lr)] if len(curves.lr) else curves.lr
    if len(lr) >= 2 and np.all(lr == lr[0]):
        return [Finding(IDLE_SCHEDULE, f"the learning rate stayed {lr[0]:.3g} for all {len(lr)} epochs: the "
                                       "schedule is on but never acted")]
    return []


def _weak_classes(recall: dict[str, float]) -> list[Finding]:
    values = {c: r for c, r in recall.items() if np.isfinite(r)}
    if len(values) < 2:
        return []
    median = float(np.median(list(values.values())))
    weak = sorted((r, c) for c, r in values.items() if r < WEAK_RECALL or r < median - WEAK_BEHIND)
    if not weak:
        return []
    listed = ", ".join(f"'{c}' {r:.0%}" for r, c in weak[:5])
    return [Finding(WEAK_CLASSES, f"test-set recall of {listed} (median class {median:.0%})")]


def _list(epochs: np.ndarray) -> str:
    shown = ", ".join(str(int(e)) for e in epochs[:6])
    return shown + (", …" if len(epochs) > 6 else "")
