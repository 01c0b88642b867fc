"""The log-key vocabulary: the names of the series a training run logs, and how a key is read back.

A key is ``<scope>/<name>``: ``epoch/<metric>`` one point per epoch (``val_`` for the validation split,
``lr`` the learning rate used), ``batch/<metric>`` Keras' running mean within the epoch, at most every few
tenths of a second, and ``meta/<name>`` facts about the run (steps per epoch, planned epochs). The callback
writes these keys, and the curves, the runs table, the comparison, the CLI and the pages read them, all
through this module.

Example:
    >>> epoch_key("loss"), epoch_key("loss", validation=True), batch_key("accuracy")
    ('epoch/loss', 'epoch/val_loss', 'batch/accuracy')
    >>> parse("epoch/val_accuracy"), parse("no scope")
    (('epoch', 'val_accuracy'), None)
"""

from __future__ import annotations

EPOCH, BATCH, META = "epoch", "batch", "meta"
SCOPES = (EPOCH, BATCH, META)
VALIDATION = "val_"
METRICS = ("loss", "accuracy")           # what the logger records per epoch (and per batch, training only)
LEARNING_RATE = f"{EPOCH}/lr"            # the learning rate used in each epoch
STEPS_PER_EPOCH = f"{META}/steps_per_epoch"
PLANNED_EPOCHS = f"{META}/epochs"
RESTORED_EPOCH = f"{META}/restored_epoch"  # early stopping: the 0-based epoch whose weights the model ended with


def epoch_key(metric: str, validation: bool = False) -> str:
    """The key of a metric's per-epoch series (``validation``: on the validation split)."""
    return f"{EPOCH}/{VALIDATION if validation else ''}{metric}"


def batch_key(metric: str) -> str:
    """The key of a metric's per-batch series (Keras' running mean within the epoch)."""
    return f"{BATCH}/{metric}"


def parse(key: str) -> tuple[str, str] | None:
    """(scope, name) of a key, or None for a key outside the vocabulary."""
    scope, slash, name = key.partition("/")
    return (scope, name) if slash and scope in SCOPES and name else None


def is_epoch(key: str) -> bool:
    """A per-epoch key (its steps are 0-based epochs).

    >>> is_epoch("epoch/lr"), is_epoch("batch/loss")
    (True, False)
    """
    return (parse(key) or ("",))[0] == EPOCH


def logged_epoch_keys(logs: dict) -> list[tuple[str, str]]:
    """(Keras log name, key) of the epoch logs the logger keeps: the metrics, on both splits.

    >>> logged_epoch_keys({"loss": 1, "val_loss": 2, "precision": 3})
    [('loss', 'epoch/loss'), ('val_loss', 'epoch/val_loss')]
    """
    wanted = {m: epoch_key(m) for m in METRICS} | {VALIDATION + m: epoch_key(m, True) for m in METRICS}
    return [(name, wanted[name]) for name in logs if name in wanted]


#: The series the runs table summarises (best, last, epochs) for every run in one read.
TABLE_KEYS = (epoch_key("accuracy", True), epoch_key("loss", True), epoch_key("accuracy"), epoch_key("loss"))
