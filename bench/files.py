"""Predictions files for the benchmarks, written once into .evalcore/bench/ and reused.

- ``binary(rows)``: ``y_true,score`` (0/1 labels, scores with 6 decimals), about 21 bytes a row;
- ``multiclass(rows)``: ``y_true,prob_0..prob_9`` (labels 0-9, probabilities with 6 decimals), about 91 bytes a row;
- ``parquet(rows)``: the multiclass table as Parquet (pyarrow's defaults: Snappy, dictionaries).

Example:
    >>> binary(1000).name
    'binary-1000.csv'
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

FOLDER = Path(__file__).resolve().parents[1] / ".evalcore" / "bench"
CLASSES = 10


def binary_arrays(rows: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """0/1 labels (30 % positive) and scores in [0, 1] that separate them (AUC about 0.85)."""
    rng = np.random.default_rng(seed)
    y = (rng.random(rows) < 0.3).astype(np.int64)
    return y, np.round(np.clip(rng.normal(0.35 + 0.3 * y, 0.2), 0, 1), 6)


def multiclass_arrays(rows: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Labels 0-9 and a (rows, 10) matrix of softmax probabilities, most mass on the true class."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, CLASSES, rows)
    logits = rng.normal(size=(rows, CLASSES)).astype(np.float64)
    logits[np.arange(rows), y] += 2.0
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    return y, np.round(p, 6)


def _table(columns: dict[str, np.ndarray]) -> pa.Table:
    """Numbers as their shortest text (``0.5``, not ``0.500000``), so the file is what a model's export holds."""
    return pa.table({name: pc.cast(pa.array(values), pa.string()) for name, values in columns.items()})


def _write_csv(path: Path, columns: dict[str, np.ndarray]) -> Path:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        pacsv.write_csv(_table(columns), tmp, pacsv.WriteOptions(quoting_style="none"))
        tmp.replace(path)
    return path


def _named(kind: str, rows: int, seed: int, suffix: str = "csv") -> Path:
    return FOLDER / (f"{kind}-{rows}.{suffix}" if not seed else f"{kind}-{rows}-seed{seed}.{suffix}")


def binary(rows: int, seed: int = 0) -> Path:
    y, s = binary_arrays(rows, seed)
    return _write_csv(_named("binary", rows, seed), {"y_true": y, "score": s})


def multiclass(rows: int, seed: int = 0) -> Path:
    y, p = multiclass_arrays(rows, seed)
    return _write_csv(_named("multiclass", rows, seed),
                      {"y_true": y, **{f"prob_{k}": p[:, k] for k in range(CLASSES)}})


def parquet(rows: int) -> Path:
    path = FOLDER / f"multiclass-{rows}.parquet"
    if not path.exists():
        y, p = multiclass_arrays(rows)
        path.parent.mkdir(parents=True, exist_ok=True)
        table = pa.table({"y_true": y, **{f"prob_{k}": p[:, k] for k in range(CLASSES)}})
        pq.write_table(table, path.with_suffix(".tmp"))
        path.with_suffix(".tmp").replace(path)
    return path
