"""Diagnosis on labelled curve fixtures: each shape of curve gets its finding (and no other fit finding), with
the epochs and values as evidence; and each finding's prescriptions are valid changes of the settings."""

from __future__ import annotations

import numpy as np
import pytest

from evalcore.advice import findings as f
from evalcore.advice.prescriptions import prescribe
from evalcore.runs.curves import RunCurves
from evalcore.training.config import Dropout, L2, Schedule, TrainConfig


def curves(train_loss, val_loss=None, train_acc=None, val_acc=None, lr=None) -> RunCurves:
    n = len(train_loss)
    train = {"loss": np.array(train_loss, float)}
    val = {} if val_loss is None else {"loss": np.array(val_loss, float)}
    if train_acc is not None:
        train["accuracy"] = np.array(train_acc, float)
    if val_acc is not None:
        val["accuracy"] = np.array(val_acc, float)
    return RunCurves(np.arange(1, n + 1), train, val, lr=np.array(lr if lr is not None else [1e-3] * n, float))


E = np.arange(1, 16)
FIXTURES = {
    # validation loss turns up at epoch 5 while training loss keeps falling
    f.OVERFITTING: curves(1.0 / E, np.r_[1.0, 0.6, 0.45, 0.40, 0.38, np.linspace(0.40, 0.70, 10)],
                          1 - 0.5 / E, np.r_[np.linspace(0.6, 0.9, 5), np.full(10, 0.9)]),
    # training accuracy flat at 45% on ten classes, loss high
    f.UNDERFITTING: curves(np.r_[2.3, 2.0, 1.8, np.full(12, 1.75)], np.r_[2.3, 2.05, 1.85, np.full(12, 1.8)],
                           np.r_[0.2, 0.35, 0.44, np.full(12, 0.45)], np.r_[0.2, 0.33, 0.42, np.full(12, 0.43)]),
    # NaN from epoch 4
    f.LR_TOO_HIGH: curves([2.3, 1.9, 5.0, np.nan, np.nan], [2.3, 2.0, 6.0, np.nan, np.nan]),
    # slow, straight decline: 2.30 to 2.02 in equal steps
    f.LR_TOO_LOW: curves(2.3 - 0.02 * np.arange(15), 2.31 - 0.02 * np.arange(15), 0.1 + 0.01 * np.arange(15),
                         0.1 + 0.01 * np.arange(15)),
    # still falling fast at the end, no gap
    f.STILL_IMPROVING: curves(1.0 * 0.8 ** np.arange(8), 1.05 * 0.8 ** np.arange(8),
                              1 - 0.5 * 0.8 ** np.arange(8), 1 - 0.52 * 0.8 ** np.arange(8)),
    # validation loss flat over the last third, training too
    f.STALLED: curves(np.r_[1.0, 0.6, 0.4, 0.3, np.full(8, 0.29)], np.r_[1.0, 0.6, 0.42, 0.33, np.full(8, 0.33)],
                      np.r_[0.6, 0.8, 0.88, 0.92, np.full(8, 0.92)], np.r_[0.6, 0.8, 0.87, 0.9, np.full(8, 0.9)]),
}
FIT_KINDS = {f.OVERFITTING, f.UNDERFITTING, f.LR_TOO_HIGH, f.LR_TOO_LOW, f.STILL_IMPROVING, f.STALLED}


@pytest.mark.parametrize("kind", list(FIXTURES))
def test_each_curve_shape_gets_its_finding_and_no_other(kind):
    found = f.diagnose(FIXTURES[kind], classes=10)
    assert [x.kind for x in found if x.kind in FIT_KINDS] == [kind], [(x.kind, x.evidence) for x in found]


def test_overfitting_evidence_names_the_best_epoch_and_the_rise():
    (finding,) = f.diagnose(FIXTURES[f.OVERFITTING], classes=10)
    assert finding.epoch == 5
    assert "lowest at epoch 5 (0.38)" in finding.evidence and "rose to 0.7 by epoch 15" in finding.evidence


def test_a_growing_accuracy_gap_is_overfitting_even_when_validation_loss_falls():
    n = np.arange(1, 13)
    c = curves(1.0 / n, 1.1 / n ** 0.5 * 0.9, 0.7 + 0.025 * n, 0.7 + 0.005 * n)
    (finding,) = [x for x in f.diagnose(c, classes=10) if x.kind == f.OVERFITTING]
    assert "gap grew" in finding.evidence


def test_a_memorised_training_set_is_overfitting_even_when_validation_loss_holds():
    # a real digits run on 100 training rows: validation loss flat near its best, training loss near zero
    tl = np.r_[np.linspace(2.3, 0.1, 6), np.full(14, 0.006)]
    vl = np.r_[np.linspace(2.25, 0.5, 6), np.full(14, 0.52)]
    ta = np.r_[np.linspace(0.1, 0.98, 6), np.full(14, 1.0)]
    va = np.r_[np.linspace(0.2, 0.88, 6), np.full(14, 0.89)]
    (finding,) = [x for x in f.diagnose(curves(tl, vl, ta, va), classes=10) if x.kind == f.OVERFITTING]
    assert "fits its training rows (accuracy 100.0%, loss 0.006)" in finding.evidence
    assert "validation rows (accuracy 89.0%, loss 0.52)" in finding.evidence


def test_oscillating_training_loss_is_a_learning_rate_too_high():
    c = curves([2.0, 1.5, 1.9, 1.4, 1.8, 1.3, 1.7, 1.2], [2.0, 1.6, 2.0, 1.5, 1.9, 1.4, 1.8, 1.3])
    (finding,) = f.diagnose(c)
    assert finding.kind == f.LR_TOO_HIGH and "went up in 3 of 7 epochs" in finding.evidence


def test_a_diverging_loss_is_a_learning_rate_too_high():
    (finding,) = f.diagnose(curves([1.0, 1.3, 1.8, 2.5], [1.0, 1.4, 1.9, 2.6]))
    assert finding.kind == f.LR_TOO_HIGH and "diverges" in finding.evidence


def test_a_schedule_that_never_acts_and_one_that_does():
    flat = curves(1.0 / E, 1.0 / E, lr=[1e-3] * 15)
    assert f.IDLE_SCHEDULE in [x.kind for x in f.diagnose(flat, schedule_on=True)]
    assert f.IDLE_SCHEDULE not in [x.kind for x in f.diagnose(flat, schedule_on=False)]
    acting = curves(1.0 / E, 1.0 / E, lr=[1e-3] * 10 + [5e-4] * 5)
    assert f.IDLE_SCHEDULE not in [x.kind for x in f.diagnose(acting, schedule_on=True)]


def test_weak_classes_from_recall():
    found = f.diagnose(FIXTURES[f.STILL_IMPROVING], recall={"0": 0.98, "1": 0.95, "8": 0.62, "9": 0.96, "3": 0.4})
    (weak,) = [x for x in found if x.kind == f.WEAK_CLASSES]
    assert weak.evidence.startswith("test-set recall of '3' 40%, '8' 62%")
    assert not [x for x in f.diagnose(FIXTURES[f.STILL_IMPROVING], recall={"a": 0.9, "b": 0.85})
                if x.kind == f.WEAK_CLASSES]


def test_no_curves_no_findings():
    assert f.diagnose(RunCurves(np.array([]))) == []


def test_overfitting_on_digits_prescribes_augmentation_without_flips_dropout_and_l2():
    config = TrainConfig(dataset="digits", train_size=200)
    rx = prescribe(f.diagnose(FIXTURES[f.OVERFITTING], classes=10), config)
    changed = [p.apply(config) for p in rx]
    assert changed[0].augmentation.enabled and not changed[0].augmentation.horizontal_flip
    assert "200 training rows" in rx[0].reason and "mirrored digit" in rx[0].reason
    assert changed[1].dropout.enabled and changed[1].dropout.rate == 0.3
    assert changed[2].l2.enabled
    for c in changed:  # each changes one strategy and nothing else
        assert c.epochs == config.epochs and c.learning_rate == config.learning_rate


def test_overfitting_on_tabular_data_prescribes_no_augmentation_and_more_of_what_is_on():
    config = TrainConfig(dataset="wine", dropout=Dropout(enabled=True, rate=0.2), l2=L2(enabled=True, factor=1e-3))
    rx = prescribe(f.diagnose(FIXTURES[f.OVERFITTING], classes=3), config)
    assert [p.title for p in rx] == ["dropout 0.4", "L2 0.003"]


def test_the_other_findings_prescriptions():
    base = TrainConfig(dataset="digits", epochs=15, learning_rate=1e-3)
    def titles(kind, config=base):
        return [p.title for p in prescribe(f.diagnose(FIXTURES[kind], classes=10, schedule_on=config.schedule.enabled),
                                           config)]
    assert titles(f.LR_TOO_HIGH) == ["learning rate 0.0001", "schedule: step decay, halve every 3 epochs"]
    assert titles(f.LR_TOO_LOW) == ["learning rate 0.01"]
    assert titles(f.STILL_IMPROVING) == ["30 epochs"]
    assert titles(f.STALLED) == ["schedule: halve on plateau (patience 2)"]
    assert "transfer learning (frozen pretrained base)" in titles(f.UNDERFITTING)
    assert "dropout off" in titles(f.UNDERFITTING, base.replace(dropout=Dropout(enabled=True)))
    idle = base.replace(schedule=Schedule(enabled=True, hold_epochs=20))
    flat = curves(1.0 / E, 1.0 / E, lr=[1e-3] * 15)
    (p,) = [p for p in prescribe(f.diagnose(flat, schedule_on=True), idle) if p.finding == f.IDLE_SCHEDULE]
    assert p.apply(idle).schedule.hold_epochs == 5
