"""Which of the five strategies (or which setting) should help with a finding, with which settings and why; each
prescription is a change to a run's settings that "Test this advice" can run against the settings as they are.

Example:
    >>> from evalcore.advice.findings import Finding, OVERFITTING
    >>> from evalcore.training.config import TrainConfig
    >>> rx = prescribe([Finding(OVERFITTING, "...")], TrainConfig(dataset="digits", train_size=200))
    >>> [p.title for p in rx]
    ['augmentation (rotation 10°, shifts 0.1, zoom 0.1, no flip)', 'dropout 0.3', 'L2 0.0001']
    >>> rx[0].apply(TrainConfig(dataset="digits")).augmentation.horizontal_flip
    False
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from evalcore.advice import findings as f
from evalcore.training.config import TrainConfig
from evalcore.training.datasets import DATASETS, unavailable_strategies
from evalcore.training.strategies.base import meta
from evalcore.training.strategies.l2 import L2

L2_FACTORS = meta(L2.__dataclass_fields__["factor"]).options  # the factors the Train page offers


@dataclass(frozen=True)
class Prescription:
    """A change of settings (``change`` in the stored form of :meth:`TrainConfig.to_dict`: groups merge key by
    key) for a finding, with why it should help."""

    title: str
    reason: str
    finding: str
    change: dict = field(default_factory=dict)

    def apply(self, config: TrainConfig) -> TrainConfig:
        """``config`` with the change made (validated)."""
        data = copy.deepcopy(config.to_dict())
        for key, value in self.change.items():
            if isinstance(value, dict):
                data[key] = {**data.get(key, {}), **value}
            else:
                data[key] = value
        changed = TrainConfig.from_dict(data)
        changed.validate()
        return changed


def prescribe(found: list[f.Finding], config: TrainConfig) -> list[Prescription]:
    """The prescriptions for every finding, in the findings' order, each change once."""
    out: list[Prescription] = []
    for finding in found:
        for p in _for(finding.kind, config):
            if all(p.change != q.change for q in out) and p.apply(config) != config:
                out.append(p)
    return out


def _for(kind: str, c: TrainConfig) -> list[Prescription]:
    rule = _RULES.get(kind)
    return rule(c, unavailable_strategies(c.dataset) if c.dataset in DATASETS else {}) if rule else []


def _overfitting(c: TrainConfig, blocked: dict) -> list[Prescription]:
    kind = f.OVERFITTING
    out = []
    if "augmentation" not in blocked and not c.augmentation.enabled:
        out.append(_augmentation(c))
    if c.dropout.enabled and c.dropout.rate < 0.6:
        rate = round(c.dropout.rate + 0.2, 2)
        out.append(Prescription(f"dropout {rate:g}", f"dropout {c.dropout.rate:g} is not enough: the model "
                                "still memorises; more units dropped per step force redundant features",
                                kind, {"dropout": {"rate": rate}}))
    elif not c.dropout.enabled:
        out.append(Prescription("dropout 0.3", "dropping 30% of the dense units per step keeps the model from "
                                "relying on any one of them, so it memorises less", kind,
                                {"dropout": {"enabled": True, "rate": 0.3}}))
    factor = _next_l2(c)
    if factor is not None:
        out.append(Prescription(f"L2 {factor:g}", "a weight penalty pulls the weights towards small values, "
                                "a smoother function that generalises better", kind,
                                {"l2": {"enabled": True, "factor": factor}}))
    return out


def _underfitting(c: TrainConfig, blocked: dict) -> list[Prescription]:
    kind = f.UNDERFITTING
    out = []
    if c.dropout.enabled:
        out.append(Prescription("dropout off", "the model cannot fit its training data; dropout makes that "
                                "harder", kind, {"dropout": {"enabled": False}}))
    if c.l2.enabled:
        out.append(Prescription("L2 off", "the weight penalty holds the model back from fitting", kind,
                                {"l2": {"enabled": False}}))
    if "transfer" not in blocked and not c.transfer.enabled:
        out.append(Prescription("transfer learning (frozen pretrained base)", "features learnt on other digits "
                                "give the small model a head start it cannot learn from these rows", kind,
                                {"transfer": {"enabled": True}}))
    out.append(_faster(c, 3, kind, "a larger step lets the optimiser reach a better fit in the same epochs"))
    return out


def _rate_too_high(c: TrainConfig, blocked: dict) -> list[Prescription]:
    kind = f.LR_TOO_HIGH
    out = [Prescription(f"learning rate {c.learning_rate / 10:g}", f"at {c.learning_rate:g} each step "
                        "overshoots the minimum; a tenth of it settles", kind,
                        {"learning_rate": c.learning_rate / 10})]
    if not c.schedule.enabled:
        out.append(Prescription("schedule: step decay, halve every 3 epochs", "a falling rate keeps the early "
                                "speed and removes the late overshooting", kind,
                                {"schedule": {"enabled": True, "kind": "step", "step_every": 3,
                                              "step_factor": 0.5}}))
    return out


def _rate_too_low(c: TrainConfig, blocked: dict) -> list[Prescription]:
    return [_faster(c, 10, f.LR_TOO_LOW, "the loss falls in small equal steps: the rate, not the model, sets the "
                    "pace")]


def _still_improving(c: TrainConfig, blocked: dict) -> list[Prescription]:
    epochs = min(1000, c.epochs * 2)
    return [Prescription(f"{epochs} epochs", "validation loss was still falling when the run ended",
                         f.STILL_IMPROVING, {"epochs": epochs})]


def _stalled(c: TrainConfig, blocked: dict) -> list[Prescription]:
    if c.schedule.enabled:
        return []
    return [Prescription("schedule: halve on plateau (patience 2)", "validation loss stopped improving; a smaller "
                         "rate can settle into a lower minimum", f.STALLED,
                         {"schedule": {"enabled": True, "kind": "plateau", "plateau_patience": 2}})]


def _weak_classes(c: TrainConfig, blocked: dict) -> list[Prescription]:
    if "augmentation" in blocked or c.augmentation.enabled:
        return []
    return [_augmentation(c, f.WEAK_CLASSES)]


def _augmentation(c: TrainConfig, finding: str = f.OVERFITTING) -> Prescription:
    rows = f"{c.train_size:,} training rows" if c.train_size else "the training rows"
    digits = DATASETS[c.dataset].mirror_changes_class if c.dataset in DATASETS else False
    flip = not digits
    return Prescription(f"augmentation (rotation 10°, shifts 0.1, zoom 0.1, {'flip' if flip else 'no flip'})",
                        f"with {rows}, small rotations, shifts and zooms show the model new variants of each image"
                        + ("; no flips, because a mirrored digit is another shape" if digits else ""),
                        finding, {"augmentation": {"enabled": True, "rotation_degrees": 10.0,
                                                         "width_shift": 0.1, "height_shift": 0.1, "shear": 0.0,
                                                         "zoom": 0.1, "horizontal_flip": flip}})


def _next_l2(c: TrainConfig) -> float | None:
    if not c.l2.enabled:
        return L2_FACTORS[0]
    larger = [x for x in L2_FACTORS if x > c.l2.factor * 2]
    return larger[0] if larger else None


def _faster(c: TrainConfig, times: int, kind: str, reason: str) -> Prescription:
    rate = min(1.0, c.learning_rate * times)
    return Prescription(f"learning rate {rate:g}", reason, kind, {"learning_rate": rate})


def _acting_schedule(c: TrainConfig) -> Prescription:
    third = max(1, c.epochs // 3)
    change = {"schedule": {"hold_epochs": third, "step_every": third,
                           "plateau_patience": max(1, min(c.schedule.plateau_patience, c.epochs // 4))}}
    return Prescription(f"schedule acting from epoch {third + 1}", f"in {c.epochs} epochs the schedule as set "
                        "never changes the rate", f.IDLE_SCHEDULE, change)


_RULES = {f.OVERFITTING: _overfitting, f.UNDERFITTING: _underfitting, f.LR_TOO_HIGH: _rate_too_high,
          f.LR_TOO_LOW: _rate_too_low, f.STILL_IMPROVING: _still_improving, f.STALLED: _stalled,
          f.IDLE_SCHEDULE: lambda c, blocked: [_acting_schedule(c)], f.WEAK_CLASSES: _weak_classes}
