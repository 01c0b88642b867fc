"""One training run, end to end: data, model, fit with live logging, test-set evaluation, files, summary.

Used by the worker process and by ``python -m evalcore train`` (which shows Keras' progress bar).
"""

from __future__ import annotations

import os
import resource
import shutil
import tarfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np

from evalcore.export import report_to_json
from evalcore.metrics import evaluate
from evalcore.predictions.columns import Y_TRUE
from evalcore.predictions.write import predictions_frame, write_predictions
from evalcore.runs import FAILED, FINISHED, RUNNING, STOPPED, Point, RunStore, keys
from evalcore.runs.summary import summary_of
from evalcore.training import datasets, launch
from evalcore.training.callbacks import LiveLogger, TerminateOnNaN
from evalcore.training.config import TrainConfig
from evalcore.training.model import build_model, optimizer

HEARTBEAT_SECONDS = 2.0


@dataclass(frozen=True)
class Outcome:
    status: str
    error: str | None
    summary: dict


def _callbacks(config: TrainConfig, logger: LiveLogger, folder: Path) -> list[keras.callbacks.Callback]:
    """The logger first (it logs the rate used this epoch), NaN stop, the switched-on strategies' callbacks."""
    out: list[keras.callbacks.Callback] = [logger, TerminateOnNaN()]
    for strategy, settings in config.enabled():
        out += strategy.callbacks(settings, config, keras)
    if config.early_stopping:
        out.append(keras.callbacks.EarlyStopping(monitor="val_loss", patience=config.early_stopping,
                                                 restore_best_weights=True))
    if config.tensorboard:
        out.append(keras.callbacks.TensorBoard(log_dir=str(folder / "tensorboard")))
    return out


def _restored_epoch(callbacks: list[keras.callbacks.Callback]) -> int | None:
    """The 0-based epoch whose weights early stopping restored at the end of training (None: not on)."""
    for cb in callbacks:
        if isinstance(cb, keras.callbacks.EarlyStopping):
            return int(cb.best_epoch) if cb.best_weights is not None else None
    return None


def reset_peak_memory() -> None:
    """Start this run's peak-memory count afresh (Linux: the process's high-water mark is reset, so a queue
    worker's later run does not report an earlier run's peak); elsewhere the count is the process's."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def peak_memory_mb() -> float:
    """The peak resident memory since :func:`reset_peak_memory` (Linux), else of the process so far, in MB."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _heartbeat(store: RunStore, run_id: int, done: threading.Event) -> None:
    while not done.wait(HEARTBEAT_SECONDS):
        store.heartbeat(run_id)


def train(config: TrainConfig, store: RunStore, run_id: int, verbose: int = 0) -> Outcome:
    """Run the training of ``run_id`` and record everything; returns the final status (never raises for
    a training failure: it is recorded on the run)."""
    store.set_status(run_id, RUNNING, pid=os.getpid())
    done = threading.Event()
    beat = threading.Thread(target=_heartbeat, args=(store, run_id, done), daemon=True)
    beat.start()
    try:
        reset_peak_memory()  # the run's own peak, its data included (a queue worker trains several runs)
        folder = launch.run_workspace(store, run_id)  # local files: TensorBoard events, then the stored artifacts
        config.validate()
        keras.utils.set_random_seed(config.seed)
        data = datasets.load(config.dataset, validation_fraction=config.validation_fraction,
                             train_size=config.train_size, csv_path=_training_csv(store, run_id, config, folder),
                             label_column=config.label_column)
        model = build_model(config, data.input_shape, len(data.classes), data.kind, data.x_train)
        model.compile(optimizer=optimizer(config), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        started, cpu_started = time.time(), time.process_time()
        logger = LiveLogger(store, run_id, config.batch_log_seconds)
        callbacks = _callbacks(config, logger, folder)
        model.fit(data.x_train, data.y_train, validation_data=(data.x_val, data.y_val), epochs=config.epochs,
                  batch_size=config.batch_size, callbacks=callbacks, verbose=verbose)
        fit_seconds, cpu_seconds = time.time() - started, time.process_time() - cpu_started
        if logger.nan_at is not None:
            epoch, batch = logger.nan_at
            error = (f"The loss became NaN at epoch {epoch + 1}, batch {batch + 1}, so training stopped "
                     f"(TerminateOnNaN). Fix: lower the learning rate (now {config.learning_rate:g}) or the "
                     f"L2 factor.")
            store.set_status(run_id, FAILED, error=error)
            return Outcome(FAILED, error, {})
        summary, files = _evaluate_test_set(model, data, folder)
        if config.tensorboard:
            files["tensorboard"] = _packed(folder / "tensorboard", folder / "tensorboard.tar.gz")
        summary["fit_seconds"] = round(fit_seconds, 3)
        summary["cpu_seconds"] = round(cpu_seconds, 3)  # every thread of the process, for the fit alone
        summary["peak_memory_mb"] = round(peak_memory_mb(), 1)
        summary["epochs_done"] = logger.epoch + 1
        restored = _restored_epoch(callbacks)
        if restored is not None:
            summary["restored_epoch"] = restored + 1
            store.log_points(run_id, [Point(keys.RESTORED_EPOCH, restored, restored, float(restored))])
        status = STOPPED if logger.stopped else FINISHED
        for name, path in files.items():  # stored first: a finished run always has its results
            with open(path, "rb") as f:
                store.put_artifact(run_id, name, f, path.name)
        store.finish(run_id, status, summary)  # summary and status appear together
        return Outcome(status, None, summary)
    except Exception as exc:  # recorded on the run, with the type so a bug is recognisable
        error = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
        store.set_status(run_id, FAILED, error=error)
        return Outcome(FAILED, error, {})
    finally:
        done.set()


def _training_csv(store: RunStore, run_id: int, config: TrainConfig, folder: Path) -> str | None:
    """The run's training CSV: the copy stored with the run (so a worker on any machine has it), else the path
    in its settings (runs queued by an older version)."""
    if config.dataset != "csv" or launch.TRAINING_CSV not in store.artifacts(run_id):
        return config.csv_path
    path = folder / "data" / "training.csv"  # not the stored file itself (a SQLite store keeps it in this folder)
    path.parent.mkdir(exist_ok=True)
    with store.open_artifact(run_id, launch.TRAINING_CSV) as stored, open(path, "wb") as local:
        shutil.copyfileobj(stored, local)
    return str(path)


def _packed(folder: Path, archive: Path) -> Path:
    """``folder`` as a .tar.gz (TensorBoard's event files, stored with the run: ``tar xzf`` then
    ``tensorboard --logdir``)."""
    with tarfile.open(archive, "w:gz") as tar:
        if folder.exists():
            tar.add(folder, arcname="tensorboard")
    return archive


def _evaluate_test_set(model: keras.Model, data: datasets.Dataset, folder: Path) -> tuple[dict, dict[str, Path]]:
    """The test set's predictions, evaluation report and model written to the run's folder; returns the summary
    (every metric by id, :func:`evalcore.runs.summary.summary_of`) and the files."""
    proba = model.predict(data.x_test, verbose=0, batch_size=256).astype(np.float64)
    frame = predictions_frame(data.classes, data.y_test, proba)
    files = {"predictions": folder / "predictions.csv", "report": folder / "report.json",
             "model": folder / "model.keras"}
    write_predictions(frame, files["predictions"])
    report = evaluate(frame[Y_TRUE].to_numpy(), y_score=proba, labels=list(data.classes))
    files["report"].write_text(report_to_json(report), encoding="utf-8")
    model.save(files["model"])
    return {**summary_of(report), "test_rows": int(len(data.y_test)), "train_rows": int(len(data.y_train)),
            "classes": list(data.classes)}, files
