"""Every speed budget of evalcore in one table: the reference, evalcore, their ratio, the budget, and whether it
holds, with the load average before and after and the CPU (the sort floor depends on its SIMD flags).

Run: make bench   (or .venv/bin/python -m bench.speed [--only read,evaluate,...] [--repeat 3])
Sections: read (CSV at 1M and 5M rows, Parquet), evaluate (floors), memory (10M rows), runs (table), train (first
point), browser (upload to metrics, threshold redraw, Runs page, sessions at once). Timings are best of
``--repeat``, reference and evalcore alternating in one process; a figure taken on a busy machine is worthless,
so the load average is printed with the table.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

SIMD_FLAGS = ("sse4_2", "avx", "avx2", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512_vbmi2")


@dataclass
class Row:
    """One figure: what was measured, the reference (None when the budget is absolute), evalcore, the budget
    (a ratio when there is a reference, else seconds or MB)."""

    figure: str
    reference: str
    ref_value: float | None
    ours: float
    budget: float | None  # None: reported, no budget of its own
    unit: str = "s"

    @property
    def measured(self) -> float:
        return self.ours / self.ref_value if self.ref_value else self.ours

    @property
    def holds(self) -> bool | None:
        return None if self.budget is None else self.measured < self.budget

    def cells(self) -> list[str]:
        ref = f"{self.reference} {self.ref_value:.3f} s" if self.ref_value is not None else self.reference
        ours = f"{self.ours:.0f} MB" if self.unit == "MB" else f"{self.ours:.3f} s"
        if self.budget is None:
            measured, budget = (f"{self.measured:.2f}x" if self.ref_value is not None else ours), "—"
        elif self.ref_value is not None:
            measured, budget = f"{self.measured:.2f}x", f"{self.budget:g}x"
        else:
            measured, budget = ours, (f"{self.budget:g} MB" if self.unit == "MB" else f"{self.budget:g} s")
        holds = {None: "—", True: "yes", False: "NO"}[self.holds]
        return [self.figure, ref, ours, measured, budget, holds]


def alternating(reference: Callable[[], object], ours: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best of ``repeat`` for each, taken in turns, so that a slow moment hurts both."""
    best = [np.inf, np.inf]
    for _ in range(repeat):
        for i, fn in enumerate((reference, ours)):
            t0 = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - t0)
    return best[0], best[1]


def cpu() -> str:
    """The CPU's model and the SIMD flags numpy's sort can use."""
    model, flags = platform.processor() or "unknown CPU", set()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
            elif line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores; SIMD: {' '.join(f for f in SIMD_FLAGS if f in flags) or 'none'}"


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


# ---------------------------------------------------------------- sections


def read_rows(repeat: int) -> list[Row]:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from bench import files
    from evalcore.predictions import read_predictions

    rows = []
    for label, path in (("binary 1M", files.binary(1_000_000)), ("binary 5M", files.binary(5_000_000)),
                        ("10 classes 1M", files.multiclass(1_000_000)), ("10 classes 5M", files.multiclass(5_000_000))):
        size = os.path.getsize(path) / 1e6
        ref, ours = alternating(lambda: pacsv.read_csv(path), lambda: read_predictions(path), repeat)
        rows.append(Row(f"read CSV, {label} rows ({size:.0f} MB)", "pyarrow.csv.read_csv", ref, ours, 1.5))
    path = files.parquet(1_000_000)
    ref, ours = alternating(lambda: pq.read_table(path), lambda: read_predictions(path), repeat)
    rows.append(Row(f"read Parquet, 10 classes 1M rows ({os.path.getsize(path) / 1e6:.0f} MB)",
                    "pyarrow.parquet.read_table", ref, ours, 1.5))
    return rows


def evaluate_rows(repeat: int) -> list[Row]:
    import pandas as pd

    from bench import files
    from evalcore.metrics import evaluate

    y, s = files.binary_arrays(5_000_000)
    ref, ours = alternating(lambda: (np.sort(s), np.bincount(y)), lambda: evaluate(y, y_score=s), repeat)
    rows = [Row("evaluate 5M binary rows with scores", "floor: np.sort + np.bincount", ref, ours, 3)]
    ym, p = files.multiclass_arrays(1_000_000)
    p = np.asfortranarray(p)

    def floor() -> None:
        np.bincount(p.argmax(axis=1))
        for k in range(p.shape[1]):
            np.sort(p[:, k])

    ref, ours = alternating(floor, lambda: evaluate(ym, y_score=p), repeat)
    rows.append(Row("evaluate 1M rows x 10 classes", "floor: argmax, bincount, 10 sorts", ref, ours, 4))
    y1, s1 = files.binary_arrays(1_000_000)
    text = pd.Series(np.where(y1 == 1, "yes", "no"), dtype="str")
    ref, ours = alternating(lambda: evaluate(y1, y_score=s1), lambda: evaluate(text, y_score=s1), repeat)
    rows.append(Row("evaluate 1M binary rows, text labels", "the same, integer labels", ref, ours, 1.3))
    return rows


def memory_rows(repeat: int) -> list[Row]:
    """Peak resident memory of a fresh process reading a 10M-row CSV and evaluating it."""
    from bench import files
    path = files.binary(10_000_000)
    code = ("from evalcore.predictions import read_predictions; "
            f"read_predictions({str(path)!r}).evaluate(); "
            "print([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    peak = int(out.stdout.strip()) / 1024
    return [Row(f"peak memory, read + evaluate 10M binary rows ({os.path.getsize(path) / 1e6:.0f} MB CSV)",
                "fresh process (VmHWM)", None, peak, 1536, "MB")]


def runs_rows(repeat: int) -> list[Row]:
    import tempfile

    from bench.runs_speed import build
    from evalcore.runs.compare import runs_table

    with tempfile.TemporaryDirectory() as folder:
        store = build(folder)
        _, ours = alternating(lambda: None, lambda: runs_table(store), repeat)
    return [Row("runs table, 1,000 runs x 100 epochs", "(absolute)", None, ours, 0.3)]


def train_rows(repeat: int) -> list[Row]:
    from bench.train_speed import first_points
    best = min(first_points()[0] for _ in range(repeat))
    return [Row("Train: launch to the first live point (MNIST)", "(absolute)", None, best, 5)]


def browser_rows(repeat: int) -> list[Row]:
    from bench.browser_speed import measure
    return measure(repeat)


SECTIONS = {"read": read_rows, "evaluate": evaluate_rows, "memory": memory_rows, "runs": runs_rows,
            "train": train_rows, "browser": browser_rows}


def table(rows: list[Row]) -> str:
    header = ["figure", "reference", "evalcore", "measured", "budget", "holds"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r.cells()) + " |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections: " + ", ".join(SECTIONS))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = sorted(set(chosen) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown sections {unknown}; choose from {', '.join(SECTIONS)}")
    before = load()
    rows: list[Row] = []
    for name in chosen:
        print(f"measuring {name}…", file=sys.stderr, flush=True)
        rows += SECTIONS[name](args.repeat)
    print(f"CPU: {cpu()}")
    print(f"load average before: {before}; after: {load()}; best of {args.repeat}, alternating, one process")
    print(table(rows))


if __name__ == "__main__":
    main()
