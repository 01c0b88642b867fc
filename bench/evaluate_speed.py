"""evaluate() against scikit-learn computing the same metrics, in one run (ratios; this machine is noisy).

Run: make bench-evaluate   (or .venv/bin/python -m bench.evaluate_speed [--rows N]); `make bench` has every budget
Reports: binary 10M rows with scores, multiclass (10 classes), string vs integer labels, the floor
(one np.sort of the scores + one np.bincount), and peak memory (ru_maxrss of a child process).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import warnings

import numpy as np
import pandas as pd


def timed(fn, repeat: int = 1) -> float:
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def sklearn_binary(y, s):
    import sklearn.metrics as skm
    pred = (s >= 0.5).astype(int)
    skm.accuracy_score(y, pred), skm.precision_score(y, pred), skm.recall_score(y, pred), skm.f1_score(y, pred)
    skm.matthews_corrcoef(y, pred), skm.balanced_accuracy_score(y, pred), skm.confusion_matrix(y, pred)
    skm.log_loss(y, s), skm.brier_score_loss(y, s), skm.roc_auc_score(y, s), skm.average_precision_score(y, s)
    skm.roc_curve(y, s), skm.precision_recall_curve(y, s)


def sklearn_multiclass(y, p):
    import sklearn.metrics as skm
    pred = p.argmax(axis=1)
    skm.accuracy_score(y, pred)
    skm.precision_recall_fscore_support(y, pred, average="macro")
    skm.matthews_corrcoef(y, pred), skm.balanced_accuracy_score(y, pred), skm.confusion_matrix(y, pred)
    skm.log_loss(y, p), skm.brier_score_loss(y, p)
    skm.roc_auc_score(y, p, multi_class="ovr"), skm.average_precision_score(y, p)
    for k in range(p.shape[1]):
        skm.roc_curve(y == k, p[:, k]), skm.precision_recall_curve(y == k, p[:, k])


def peak_memory_mb(rows: int) -> float:
    """Peak resident memory of a fresh process that builds the data and runs evaluate().

    Read from the child's own /proc VmHWM: ru_maxrss of a child forked from this (large) process would
    include the parent's pages from before exec.
    """
    code = ("import numpy as np; from evalcore.metrics import evaluate; r=np.random.default_rng(0); "
            f"y=(r.random({rows})<0.3).astype(np.int64); s=np.clip(r.normal(0.35+0.3*y,0.2),0,1); "
            "evaluate(y, y_score=s); "
            "print([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return int(out.stdout.strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--skip-sklearn-multiclass", action="store_true")
    args = parser.parse_args()
    from evalcore.metrics import evaluate

    warnings.simplefilter("ignore")
    n = args.rows
    rng = np.random.default_rng(0)
    y = (rng.random(n) < 0.3).astype(np.int64)
    s = np.clip(rng.normal(0.35 + 0.3 * y, 0.2), 0, 1)
    floor = timed(lambda: (np.sort(s), np.bincount(y)), 3)
    ours = timed(lambda: evaluate(y, y_score=s), 3)
    theirs = timed(lambda: sklearn_binary(y, s), 3)  # best of 3, like evalcore
    ys = pd.Series(np.where(y == 1, "yes", "no")).astype("str")
    ours_str = timed(lambda: evaluate(ys, y_score=s), 3)
    print(f"binary, {n:,} rows with scores (headline metrics, intervals, ROC/PR curves)")
    print(f"  evalcore {ours:.2f} s | scikit-learn {theirs:.2f} s | speed-up x{theirs / ours:.1f}")
    print(f"  floor (np.sort + np.bincount) {floor:.2f} s | evalcore / floor = {ours / floor:.2f}")
    print(f"  string labels {ours_str:.2f} s | string / int = {ours_str / ours:.2f}")

    k = 10
    ym = rng.integers(0, k, n)
    logits = rng.normal(size=(n, k)) + 2.0 * np.eye(k)[ym]
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    ours_m = timed(lambda: evaluate(ym, y_score=p))
    print(f"multiclass ({k} classes), {n:,} rows with probabilities")
    if args.skip_sklearn_multiclass:
        print(f"  evalcore {ours_m:.2f} s (scikit-learn skipped)")
    else:
        theirs_m = timed(lambda: sklearn_multiclass(ym, p))
        print(f"  evalcore {ours_m:.2f} s | scikit-learn {theirs_m:.2f} s | speed-up x{theirs_m / ours_m:.1f}")

    print(f"peak memory, fresh process building {n:,} binary rows and running evaluate(): "
          f"{peak_memory_mb(n):.0f} MB")


if __name__ == "__main__":
    main()
