"""Command line.

- ``python -m evalcore evaluate FILE [--json] [--threshold T] [--pos-label L]``: the Evaluate page's report,
  as a table or JSON.
- ``python -m evalcore train [--dataset D] [--epochs N] [--augment] [--l2 [F]] [--dropout [R]]
  [--schedule [KIND]] [--transfer [BASE]] ...``: a training run in the foreground with Keras' progress bar,
  logged to the run store like a run started from the page.
- ``python -m evalcore runs``: the runs in the store.
- ``python -m evalcore store check | backup FILE | recover``: check the run store, copy it while it is in use,
  rebuild a damaged one from every readable run.

Bad input prints the InputError message and exits with status 2; an unexpected error prints one line (the
traceback only with EVALCORE_DEBUG=1) and exits with status 1. Nothing prints a traceback by default.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback

from evalcore.errors import EvalcoreError, input_error
from evalcore.export import report_to_json
from evalcore.metrics.registry import label_of
from evalcore.predictions import read_predictions


def safe(text) -> str:
    """Text for the terminal: control characters (escape codes in a label or a run name) written as \\x.. escapes
    (tested in tests/unit/test_cli.py: a module run as __main__ cannot hold doctests)."""
    return "".join(c if c.isprintable() or c == "\n" else repr(c)[1:-1] for c in str(text))


def _table(report, file_warnings: tuple[str, ...] = ()) -> str:
    pct = int(round(report.confidence * 100))
    lines = [f"{report.n_rows:,} rows, task {report.task}"
             + (f", positive class '{report.pos_label}'" if report.pos_label is not None else "")
             + f", predictions: {report.prediction_rule}", ""]
    lines.append(f"{'metric':<20}{'value':>10}{f'{pct}% CI':>22}  method")
    for key, est in report.metrics.items():
        lines.append(f"{label_of(key):<20}{est.value:>10.4f}   [{est.low:>8.4f}, {est.high:>8.4f}]  {est.method}")
    if report.per_class:
        lines += ["", f"{'class':<20}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}"]
        for c in report.per_class:
            lines.append(f"{c.label[:20]:<20}{c.precision.value:>10.4f}{c.recall.value:>10.4f}{c.f1.value:>10.4f}"
                         f"{c.support:>10,}")
    for w in (*report.warnings, *file_warnings):
        lines.append(f"warning: {w}")
    return "\n".join(lines)


def _train_parser(sub) -> None:
    from evalcore.training.config import OPTIMIZERS
    from evalcore.training.datasets import DATASETS
    from evalcore.training.strategies import registry
    tr = sub.add_parser("train", help="train a model in the foreground and log it as a run")
    tr.add_argument("--dataset", default="digits", choices=list(DATASETS))
    tr.add_argument("--csv", help="the CSV file for --dataset csv (feature columns + a label column)")
    tr.add_argument("--label", help="the label column of --csv (default: the last column)")
    tr.add_argument("--epochs", type=int, default=15)
    tr.add_argument("--batch-size", type=int, default=32)
    tr.add_argument("--optimizer", default="adam", choices=OPTIMIZERS)
    tr.add_argument("--lr", type=float, default=1e-3, help="base learning rate")
    tr.add_argument("--train-size", type=int, default=None, help="training rows to use (default: all)")
    tr.add_argument("--seed", type=int, default=0)
    tr.add_argument("--seeds", type=int, default=1, metavar="N",
                    help="repeat with N seeds (--seed, then the next ones): a seed group, summarised as mean ± "
                         "half-width of the 95%% t interval")
    for strategy in registry():  # each strategy's switch and settings flags (--augment, --l2 [F], --no-flip...)
        strategy.add_arguments(tr)
    tr.add_argument("--tensorboard", action="store_true", help="also write TensorBoard event files")
    tr.add_argument("--early-stopping", type=int, default=0, metavar="PATIENCE",
                    help="stop after PATIENCE epochs without a better validation loss and keep the best epoch's "
                         "weights (default 0: off)")
    tr.add_argument("--name", help="run name (default: dataset and strategies)")
    sub.add_parser("runs", help="list the runs in the store ($EVALCORE_STORE, else $EVALCORE_HOME)")


def _train(args) -> int:
    from evalcore.runs import FAILED, open_store
    from evalcore.training import launch
    from evalcore.training.config import TrainConfig
    from evalcore.training.strategies import cli_flag, registry
    config = TrainConfig(
        dataset=args.dataset, epochs=args.epochs, batch_size=args.batch_size, optimizer=args.optimizer,
        learning_rate=args.lr, train_size=args.train_size, seed=args.seed, csv_path=args.csv,
        label_column=args.label, tensorboard=args.tensorboard, early_stopping=args.early_stopping,
        **{strategy.name: strategy.from_arguments(args) for strategy in registry()})
    launch.check(config)
    from evalcore.training.advice import config_warnings
    for warning in config_warnings(config):
        flag = cli_flag(warning.setting)
        fix = f" ({flag})" if flag else ""
        print(f"warning: {warning.message}{fix}", file=sys.stderr)
    if not 1 <= args.seeds <= 50:
        raise input_error("--seeds from 1 to 50", str(args.seeds), "choose fewer seeds")
    store = open_store()
    from evalcore.training.fit import train  # imports Keras
    outcomes = []
    for k in range(args.seeds):
        seeded = config.replace(seed=config.seed + k)
        launch.check(seeded)
        name = args.name or launch.run_name(config)
        run_id = store.create_run(name if args.seeds == 1 else f"{name} · seed {seeded.seed}", "train",
                                  seeded.to_dict())
        print(f"run #{run_id}: {launch.run_name(config)}, seed {seeded.seed} (store {store.uri})", flush=True)
        outcome = train(seeded, store, run_id, verbose=1)
        outcomes.append(outcome)
        print(safe(f"run #{run_id} {outcome.status}" + (f": {outcome.error}" if outcome.error else "")))
        for key in ("accuracy", "log_loss", "f1", "fit_seconds"):  # the run's summary keys (test set: metric ids)
            if key in outcome.summary:
                print(f"  {key:<17}{outcome.summary[key]:.4f}")
    if args.seeds > 1:
        from evalcore.runs.groups import mean_interval
        print(f"seed group of {args.seeds} runs (mean ± half-width of the 95% t interval):")
        for key in ("accuracy", "log_loss", "f1"):
            print(f"  {key:<17}{mean_interval([o.summary.get(key, float('nan')) for o in outcomes]).text()}")
    return 1 if any(o.status == FAILED for o in outcomes) else 0


def _runs() -> int:
    import time

    import numpy as np

    from evalcore.runs import keys, open_store
    from evalcore.runs.rows import number
    from evalcore.training.supervisor import reconcile
    store = open_store()
    reconcile(store)  # a run whose worker is gone shows as lost
    runs = store.runs()
    if not runs:
        print(f"no runs in {store.uri}")
        return 0
    print(f"{'id':>4}  {'status':<9}{'epochs':>7}{'best val acc':>14}{'test acc':>10}{'seconds':>9}  "
          f"{'created':<17}name")
    for r in runs:
        key = keys.epoch_key("accuracy", validation=True)
        val = store.series(r.id, [key]).get(key)
        best = f"{np.nanmax(val.values):.4f}" if val is not None and np.isfinite(val.values).any() else "-"
        accuracy = number(r.summary.get("accuracy"))
        test = f"{accuracy:.4f}" if np.isfinite(accuracy) else "-"
        epochs = str(len(val.values)) if val is not None else "-"
        secs = f"{r.duration:.0f}" if r.duration is not None else "-"
        created = time.strftime("%Y-%m-%d %H:%M", time.localtime(r.created)) if r.created is not None else "-"
        problems = f"  (damaged: {'; '.join(r.problems)})" if r.problems else ""
        line = f"{r.id:>4}  {r.status:<9}{epochs:>7}{best:>14}{test:>10}{secs:>9}  {created:<17}{r.name}{problems}"
        print(safe(line))
    return 0


def _store_parser(sub) -> None:
    st = sub.add_parser("store", help="check, back up or recover the SQLite run store ($EVALCORE_STORE, else "
                                         "$EVALCORE_HOME/runs.sqlite), or copy a store into another")
    actions = st.add_subparsers(dest="action", required=True)
    cp = actions.add_parser("copy", help="copy every run, point and artifact of a store into a new, empty one "
                                         "(any backends: sqlite:///a.sqlite postgresql://user@host/db)")
    cp.add_argument("source", help="the store to copy from: an address or a folder")
    cp.add_argument("target", help="the empty store to copy into: an address or a folder")
    actions.add_parser("check", help="read everything and report problems (changes nothing; exit 1 on problems)")
    bk = actions.add_parser("backup", help="copy the store to a new file (safe while runs are training)")
    bk.add_argument("file", help="the new file, e.g. runs-backup.sqlite")
    actions.add_parser("recover", help="rebuild a damaged store from every readable run (keeps the damaged file; "
                                       "stop training runs first)")


def _store(args) -> int:
    if args.action == "copy":
        return _copy(args.source, args.target)
    from evalcore.runs import maintenance
    from evalcore.runs.backends import sqlite_location
    from evalcore.training.supervisor import process_alive
    folder, file_name = sqlite_location()  # EVALCORE_STORE, else EVALCORE_HOME
    if args.action == "check":
        report = maintenance.check(folder, file_name)
        print(safe("\n".join(report.lines())))
        return 0 if report.ok else 1
    if args.action == "backup":
        report = maintenance.backup(folder, args.file, file_name)
        print(f"backed up {report.runs:,} run(s) and {report.points:,} point(s) to {args.file}")
        return 0 if not report.integrity else 1
    recovery = maintenance.recover(folder, file_name=file_name, alive=lambda run: process_alive(run.pid))
    print(safe("\n".join(recovery.lines())))
    return 0


def _copy(source_address: str, target_address: str) -> int:
    from evalcore.runs import open_store
    from evalcore.runs.copy import copy_store
    source, target = open_store(source_address), open_store(target_address)
    print(safe(copy_store(source, target).line(source.uri, target.uri)))  # uri: never a password
    return 0


def _evaluate(args) -> int:
    from evalcore.limits import parse_size
    max_bytes = parse_size(args.max_file_size) if args.max_file_size else None
    predictions = read_predictions(args.file, max_bytes=max_bytes)
    prepared = predictions.prepare(pos_label=args.pos_label, confidence=args.confidence)
    threshold = args.threshold
    if threshold is None and prepared.has_threshold:
        threshold = 0.5
    report = prepared.report(threshold)
    if args.json:
        for w in predictions.warnings:  # the JSON stays one document; the file's warnings go to stderr
            print(safe(f"warning: {w}"), file=sys.stderr)
        print(report_to_json(report))
    else:
        print(safe(_table(report, predictions.warnings)))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evalcore",
                                     description="Evaluate predictions, train models, list runs.")
    parser.add_argument("--store", metavar="ADDRESS",
                        help="the run store: sqlite:///path/runs.sqlite, a folder, or postgresql://user@host/db "
                             "(default: $EVALCORE_STORE, else $EVALCORE_HOME)")
    sub = parser.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("evaluate", help="evaluate a predictions file (CSV, TSV, .csv.gz, Parquet)")
    ev.add_argument("file")
    ev.add_argument("--json", action="store_true", help="print the full report as JSON")
    ev.add_argument("--threshold", type=float, default=None, help="decision threshold for binary scores (0.5)")
    ev.add_argument("--pos-label", default=None, help="the positive class of a binary task")
    ev.add_argument("--confidence", type=float, default=0.95, help="confidence level of the intervals")
    ev.add_argument("--max-file-size", metavar="SIZE",
                    help="largest file to read, after decompression, e.g. 2GB (default: $EVALCORE_MAX_FILE_SIZE "
                         "or 1GiB)")
    _train_parser(sub)
    _store_parser(sub)
    args = parser.parse_args(argv)
    if args.store:
        os.environ["EVALCORE_STORE"] = args.store  # for this process and the workers it starts
    commands = {"train": _train, "runs": lambda _: _runs(), "store": _store, "evaluate": _evaluate}
    try:
        return commands[args.command](args)
    except EvalcoreError as exc:
        print(safe(f"error: {exc}"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader stopped (`| head`): nothing more to say, and nowhere to say it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit flush cannot fail again
        return 0
    except Exception as exc:  # a bug: one line, not a traceback (EVALCORE_DEBUG=1 shows it)
        if os.environ.get("EVALCORE_DEBUG"):
            traceback.print_exc()
        print(f"error: an unexpected {type(exc).__name__} (a bug in evalcore; rerun with EVALCORE_DEBUG=1 to "
              "see where, and please report it)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
