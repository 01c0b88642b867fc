"""Command line: ``python -m evalcore evaluate FILE [--json] [--threshold T] [--pos-label L]``.

Prints the same report as the Evaluate page: a table, or JSON. Bad input prints the
InputError message and exits with status 2.
"""

from __future__ import annotations

import argparse
import sys

from evalcore.errors import EvalcoreError
from evalcore.export import report_to_json
from evalcore.metrics import prepare
from evalcore.predictions import read_predictions


def _table(report) -> str:
    pct = int(round(report.confidence * 100))
    lines = [f"{report.n_rows:,} rows, task {report.task}"
             + (f", positive class '{report.pos_label}'" if report.pos_label is not None else "")
             + f", predictions: {report.prediction_rule}", ""]
    lines.append(f"{'metric':<20}{'value':>10}{f'{pct}% CI':>22}  method")
    for name, est in report.metrics.items():
        lines.append(f"{name:<20}{est.value:>10.4f}   [{est.low:>8.4f}, {est.high:>8.4f}]  {est.method}")
    if report.per_class:
        lines += ["", f"{'class':<20}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}"]
        for c in report.per_class:
            lines.append(f"{c.label[:20]:<20}{c.precision.value:>10.4f}{c.recall.value:>10.4f}{c.f1.value:>10.4f}"
                         f"{c.support:>10,}")
    for w in report.warnings:
        lines.append(f"warning: {w}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evalcore", description="Evaluate model predictions.")
    sub = parser.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("evaluate", help="evaluate a predictions file (CSV, TSV, .csv.gz, Parquet)")
    ev.add_argument("file")
    ev.add_argument("--json", action="store_true", help="print the full report as JSON")
    ev.add_argument("--threshold", type=float, default=None, help="decision threshold for binary scores (0.5)")
    ev.add_argument("--pos-label", default=None, help="the positive class of a binary task")
    ev.add_argument("--confidence", type=float, default=0.95, help="confidence level of the intervals")
    args = parser.parse_args(argv)
    try:
        predictions = read_predictions(args.file)
        prepared = prepare(**predictions.evaluate_kwargs(), pos_label=args.pos_label, confidence=args.confidence)
        threshold = args.threshold
        if threshold is None and prepared.has_threshold:
            threshold = 0.5
        report = prepared.report(threshold)
    except EvalcoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report_to_json(report) if args.json else _table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
