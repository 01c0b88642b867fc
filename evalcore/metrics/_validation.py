"""Shared input checks and label encoding for every metric (run once per call).

The encoding is the speed-critical step: labels become integer codes once,
and every count metric is then derived from one ``np.bincount``.

Example:
    >>> t = check_targets(["b", "a", "b"], ["b", "b", "a"])
    >>> t.y_type, t.classes.tolist(), t.true.tolist(), t.pred.tolist()
    ('binary', ['a', 'b'], [1, 0, 1], [1, 1, 0])
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from evalcore.errors import InputError, InputTypeError, rows_text

CLASSIFICATION_TYPES = ("binary", "multiclass", "multilabel-indicator")


def _is_string_dtype(dtype) -> bool:
    """pandas' own text dtype (``str``, ``string``), recognised without importing pandas."""
    return type(dtype).__name__ == "StringDtype"


def _is_categorical(dtype) -> bool:
    """A pandas Categorical's dtype, recognised without importing pandas."""
    return type(dtype).__name__ == "CategoricalDtype"


def _dense(y):
    """Turn sparse matrices, lists and pandas objects (anything with ``to_numpy``) into numpy arrays; text and
    object columns become object arrays with None for missing values, as scikit-learn reads them."""
    if hasattr(y, "toarray"):
        return np.asarray(y.toarray())
    if hasattr(y, "to_numpy"):
        dtype = getattr(y, "dtype", None)  # a Series or Index; a DataFrame has dtypes
        if dtype is not None and (_is_string_dtype(dtype) or dtype == np.dtype(object)):
            return y.to_numpy(dtype=object, na_value=None)
        return y.to_numpy()
    try:
        return np.asarray(y)
    except ValueError as exc:  # ragged nested lists
        raise InputError(f"Labels must be a flat list or an array of equal-length rows: {exc}.") from exc


def is_text_series(y) -> bool:
    """A pandas Series of text (pandas' own string dtype, arrow-backed): factorized without copying to objects.

    >>> is_text_series(np.array(["a"])), is_text_series(["a"])
    (False, False)
    """
    dtype = getattr(y, "dtype", None)
    if _is_categorical(dtype):
        return _is_string_dtype(getattr(dtype, "categories").dtype)
    return hasattr(y, "factorize") and _is_string_dtype(dtype)


def compact_codes(codes: np.ndarray, categories, used: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Codes into ``categories`` as codes into the distinct names of the categories in use, sorted, equal names
    merged; a code below 0 (missing) stays -1. ``used`` (which categories the codes use) when already known.

    >>> codes, names = compact_codes(np.array([2, 0, -1, 2]), ["b", "unused", "a"])
    >>> codes.tolist(), names.tolist()
    ([0, 1, -1, 0], ['a', 'b'])
    """
    codes = np.asarray(codes)
    valid = codes >= 0
    if used is None:
        used = np.bincount(codes if valid.all() else codes[valid], minlength=len(categories)).astype(bool)
    kept = np.flatnonzero(used)
    names, inverse = np.unique(np.asarray(categories, dtype=object)[kept].astype(str), return_inverse=True)
    lut = np.full(len(categories), -1, dtype=np.int64)
    lut[kept] = inverse
    return np.where(valid, lut[np.clip(codes, 0, None)], -1), names


def _codes_and_uniques(s) -> tuple[np.ndarray, object]:
    """A text Series' codes and the labels they index: a Categorical's own codes and the categories in use (no
    hash of the rows), else the Series factorized (sorted)."""
    if not _is_categorical(s.dtype):
        return s.factorize(sort=True)
    codes, categories = s.cat.codes.to_numpy(), s.cat.categories
    if codes.size and codes.min() >= 0 and categories.is_monotonic_increasing and \
            np.bincount(codes, minlength=len(categories)).all():
        return codes, categories
    return compact_codes(codes, categories)


def encode_series(*series) -> Encoded:
    """Like :func:`encode` for text Series, using each Series' own (arrow-backed) ``factorize``.

    >>> import pandas as pd
    >>> e = encode_series(pd.Series(["b", "a"], dtype="str"), pd.Series(["c", "a"], dtype="str"))
    >>> e.classes.tolist(), [c.tolist() for c in e.codes]
    (['a', 'b', 'c'], [[1, 0], [2, 0]])
    """
    parts = [_codes_and_uniques(s) for s in series]
    missing = np.concatenate([codes < 0 for codes, _ in parts])
    if missing.any():
        rows = np.flatnonzero(missing)
        raise InputError(f"Expected a label in every row, found missing values in {rows_text(rows + 1)}. "
                         f"Fix: fill or drop those rows.")
    found = [np.asarray(uniques, dtype=object).astype(str) for _, uniques in parts]
    classes = found[0] if len(found) == 1 else np.unique(np.concatenate(found))
    out = []
    for (codes, _), uniques in zip(parts, found):
        lut = np.searchsorted(classes, uniques).astype(np.int32)  # each part's classes among all of them
        out.append(lut[codes] if len(found) > 1 else codes.astype(np.int32))
    return Encoded(classes, tuple(out))


def as_array(y, name: str) -> np.ndarray:
    """Return ``y`` as a 1-D array (column vectors are squeezed) or a 2-D indicator matrix."""
    arr = _dense(y)
    if arr.ndim == 0:
        raise InputError(f"Expected {name} to be an array of labels, found the single value {arr!r}. "
                         f"Fix: pass one value per sample.")
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim > 2:
        raise InputError(f"Expected {name} to be 1-D or 2-D, found {arr.ndim} dimensions. Fix: flatten it.")
    return arr


def _is_integral(values: np.ndarray) -> bool:
    return bool(np.all(np.mod(values, 1) == 0))


def type_of_target(y, name: str = "y") -> str:
    """Classify a target like scikit-learn's ``type_of_target``.

    >>> type_of_target([0, 1, 1]), type_of_target([0.5, 1]), type_of_target([[0, 1], [1, 1]])
    ('binary', 'continuous', 'multilabel-indicator')
    """
    arr = y if isinstance(y, np.ndarray) else as_array(y, name)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.size == 0:
        raise InputError(f"Expected at least one sample in {name}, found an empty array. Fix: pass a non-empty array.")
    if arr.ndim == 1 and isinstance(arr[0], bytes):  # scikit-learn refuses bytes labels with a TypeError
        raise InputTypeError(f"Expected labels as text or numbers in {name}, found bytes ({arr[0]!r}). "
                             f"Fix: decode them, for example with .astype(str).")
    if arr.dtype == object:
        known = _numbers_of_objects(arr, name)
        if known is None:
            return "unknown"
        arr = known
    if arr.ndim == 2:
        return _type_of_2d(arr, name)
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)):
            rows = np.flatnonzero(~np.isfinite(arr))
            raise InputError(f"Expected a finite label in every row of {name}, found NaN or infinity in "
                             f"{rows_text(rows + 1)}. Fix: fill or drop those rows.")
        if not _is_integral(arr):
            return "continuous"
    if arr.dtype.kind == "c":
        raise InputError(f"Expected real-valued labels in {name}, found complex numbers. Fix: pass real labels.")
    n_unique = len(set(arr)) if arr.dtype == object else len(np.unique(arr))
    return "binary" if n_unique <= 2 else "multiclass"


def _numbers_of_objects(arr: np.ndarray, name: str) -> np.ndarray | None:
    """An object array of text as it is, of numbers as a numeric array; None for anything else ('unknown')."""
    first = arr.flat[0]
    if isinstance(first, str):
        return arr
    if first is None or (isinstance(first, float) and np.isnan(first)):
        raise InputError(f"Expected a label in every row of {name}, found a missing value in row 0. "
                         f"Fix: fill or drop rows without a label.")
    if not isinstance(first, (numbers.Number, np.bool_)):
        return None
    # scikit-learn calls these 'unknown'; numbers are unambiguous, so accept them.
    try:
        numeric = np.asarray(arr.tolist())
    except (ValueError, TypeError):
        return None
    return None if numeric.dtype == object else numeric


def _type_of_2d(arr: np.ndarray, name: str) -> str:
    if arr.dtype.kind in "biuf":
        if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
            raise InputError(f"Expected finite values in {name}, found NaN or infinity. Fix: remove those rows.")
        labels = np.unique(arr)
        if len(labels) < 3 and (arr.dtype.kind in "biu" or _is_integral(labels)):
            return "multilabel-indicator"
        if arr.dtype.kind == "f" and not _is_integral(arr):
            return "continuous-multioutput"
    return "multiclass-multioutput"


def weighted_average(values, weights=None, *, normalize: bool = True, axis=None):
    """Mean of ``values`` (their sum when ``normalize=False``), optionally weighted.

    Weights that sum to zero raise InputError (scikit-learn raises a bare ZeroDivisionError).

    >>> float(weighted_average(np.array([1.0, 3.0]), np.array([1, 3])))
    2.5
    """
    if weights is None:
        return np.mean(values, axis=axis) if normalize else np.sum(values, axis=axis)
    if not normalize:
        return np.dot(values, weights)
    if np.sum(weights) == 0:
        raise InputError("Expected sample weights with a non-zero sum, found weights summing to 0. "
                         "Fix: give at least one sample a positive weight.")
    return np.average(values, axis=axis, weights=weights)


def check_consistent_length(*arrays) -> int:
    """Raise InputError unless every non-None array has the same number of rows."""
    lengths = [len(a) for a in arrays if a is not None]
    if len(set(lengths)) > 1:
        raise InputError(f"Expected inputs with the same number of samples, found lengths {lengths}. "
                         f"Fix: pass one prediction (and one weight) per true label.")
    return lengths[0] if lengths else 0


def check_sample_weight(sample_weight, n: int) -> np.ndarray | None:
    """Validate weights: 1-D, one per sample, finite. Integers stay integers (as in scikit-learn)."""
    if sample_weight is None:
        return None
    w = _dense(sample_weight)
    if w.ndim == 0:
        w = np.full(n, w.item())
    if w.ndim != 1:
        raise InputError(f"Expected sample_weight to be 1-D, found shape {w.shape}. Fix: pass one weight per sample.")
    if len(w) != n:
        raise InputError(f"Expected {n} sample weights (one per sample), found {len(w)}. "
                         f"Fix: pass one weight per sample.")
    if w.dtype.kind == "c":
        raise InputError("Expected real sample weights, found complex numbers. Fix: pass real weights.")
    if w.dtype.kind not in "biuf":
        try:
            w = w.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise InputError(f"Expected numeric sample weights, found {w.dtype}. Fix: pass numbers.") from exc
    if w.dtype.kind == "f" and not np.all(np.isfinite(w)):
        raise InputError("Expected finite sample weights, found NaN or infinity. Fix: remove or fill those weights.")
    if w.dtype.kind == "b":
        w = w.astype(np.int64)
    if n and not np.any(w):
        raise InputError("Expected at least one non-zero sample weight, found all weights 0. "
                         "Fix: give at least one sample a positive weight.")
    return w


@dataclass(frozen=True)
class Encoded:
    """Labels encoded as integer codes into ``classes`` (sorted, as scikit-learn sorts them)."""

    classes: np.ndarray
    codes: tuple[np.ndarray, ...]


def missing_values(arr: np.ndarray) -> np.ndarray:
    """Which entries of an object array are missing: None, NaN, or pandas' NA and NaT.

    >>> missing_values(np.array(["a", None, float("nan"), 1], dtype=object)).tolist()
    [False, True, True, False]
    """
    def missing(v) -> bool:
        if v is None or type(v).__name__ in ("NAType", "NaTType"):
            return True
        return isinstance(v, (float, np.floating)) and bool(v != v)

    try:  # one C loop: None, and NaN (the one value unequal to itself)
        return np.asarray((arr == None) | (arr != arr), dtype=bool)  # noqa: E711  (elementwise)
    except TypeError:  # pandas' NA has no truth value: one Python test per entry
        return np.fromiter((missing(v) for v in arr.tolist()), dtype=bool, count=arr.shape[0])


def _check_label_values(arr: np.ndarray, name: str) -> None:
    if arr.dtype == object:
        missing = missing_values(arr)
        if missing.any():
            raise InputError(f"Expected a label in every row of {name}, found missing values in "
                             f"{rows_text(np.flatnonzero(missing) + 1)}. Fix: fill or drop those rows.")


def encode(*arrays: np.ndarray, names: tuple[str, ...] = ()) -> Encoded:
    """Encode one or more label arrays into shared sorted classes.

    >>> e = encode(np.array([3, 7, 3]), np.array([7, 7, 9]))
    >>> e.classes.tolist(), [c.tolist() for c in e.codes]
    ([3, 7, 9], [[0, 1, 0], [1, 1, 2]])
    """
    kinds = {a.dtype.kind for a in arrays}
    if kinds <= {"b", "i", "u"} and len(kinds) == 1 or kinds <= {"i", "u"}:
        if kinds == {"b"}:
            arrays = tuple(a.view(np.uint8) for a in arrays)
            lo, hi = 0, 1
        else:
            lo = min(int(a.min()) for a in arrays)
            hi = max(int(a.max()) for a in arrays)
        span = hi - lo + 1
        if span <= 4 * max(len(a) for a in arrays) + 1024:
            present = np.zeros(span, dtype=bool)
            shifted = [a - lo if lo != 0 else a for a in arrays]
            for s in shifted:
                present |= np.bincount(s, minlength=span).astype(bool)
            values = np.flatnonzero(present)
            lut = np.cumsum(present) - 1
            lut = lut.astype(np.int32 if len(values) < 2**31 else np.int64)
            coded = tuple(lut[s] for s in shifted)
            if kinds == {"b"}:
                classes = values.astype(bool)
            else:
                dtype = np.result_type(*[a.dtype for a in arrays])
                classes = (values + lo).astype(dtype)
            return Encoded(classes, coded)
    for a, name in zip(arrays, names or ("y",) * len(arrays)):
        _check_label_values(a, name)
    lengths = [len(a) for a in arrays]
    if len(arrays) == 1:
        joined = arrays[0]
    else:
        if len({a.dtype.kind for a in arrays}) > 1 and kinds & {"U", "S", "O"} and kinds - {"U", "S", "O"}:
            raise InputError(f"Expected labels of one type, found a mix of text and numbers across "
                             f"{' and '.join(names or ('the inputs',))}. Fix: use the same label type in both, "
                             f"for example all text.")
        joined = np.concatenate(arrays)
    classes, codes = _factorize(joined)
    if classes.dtype == object:
        types = {type(v) for v in classes}
        if len(types) > 1 and not types <= {int, float, bool, np.int64, np.float64, np.bool_}:
            raise InputError(f"Expected labels of one type, found a mix of "
                             f"{', '.join(sorted(t.__name__ for t in types))}. "
                             f"Fix: use the same label type throughout, for example all text.")
        if all(isinstance(v, str) for v in classes):
            classes = classes.astype(str)
    codes = codes.astype(np.int32)
    out, start = [], 0
    for n in lengths:
        out.append(codes[start:start + n])
        start += n
    return Encoded(classes, tuple(out))


def _factorize(joined: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct labels and each row's code; missing labels (NaN) and unorderable mixes are refused.

    >>> classes, codes = _factorize(np.array(["b", "a", "b"], dtype=object))
    >>> classes.tolist(), codes.tolist()
    (['a', 'b'], [1, 0, 1])
    """
    if joined.dtype.kind == "f" and np.isnan(joined).any():
        rows = np.flatnonzero(np.isnan(joined))
        raise InputError(f"Expected a label in every row, found missing values in {rows_text(rows + 1)}. "
                         f"Fix: fill or drop those rows.")
    if joined.dtype != object:  # numbers and fixed-width text: the distinct values, then a binary search per row
        classes = np.unique(joined)
        return classes, np.searchsorted(classes, joined)
    distinct = set(joined)  # objects: hashing, then a binary search per row (no per-row Python loop)
    try:
        uniques = sorted(distinct)  # as scikit-learn orders object labels
    except TypeError as exc:
        kinds_found = sorted({type(v).__name__ for v in distinct})
        raise InputError(f"Expected labels of one type, found a mix of {', '.join(kinds_found)}. "
                         f"Fix: use the same label type throughout, for example all text.") from exc
    classes = np.empty(len(uniques), dtype=object)
    classes[:] = uniques
    return classes, np.searchsorted(classes, joined)


@dataclass(frozen=True)
class Targets:
    """Validated classification targets.

    For 1-D targets ``true``/``pred`` are integer codes into ``classes``;
    for multilabel-indicator targets they are the 0/1 matrices and ``classes``
    are the column indices.
    """

    y_type: str
    classes: np.ndarray
    true: np.ndarray
    pred: np.ndarray
    weight: np.ndarray | None

    @property
    def n_samples(self) -> int:
        return self.true.shape[0]


def check_targets(y_true, y_pred, sample_weight=None) -> Targets:
    """Validate a pair of classification targets once, as scikit-learn's ``_check_targets``."""
    yt = as_array(y_true, "y_true")
    yp = as_array(y_pred, "y_pred")
    check_consistent_length(yt, yp)
    weight = check_sample_weight(sample_weight, len(yt))
    type_true = type_of_target(yt, "y_true")
    type_pred = type_of_target(yp, "y_pred")
    types = {type_true, type_pred}
    if types == {"binary", "multiclass"}:
        types = {"multiclass"}
    if len(types) > 1:
        raise InputError(f"Expected y_true and y_pred of the same kind, found {type_true} y_true and "
                         f"{type_pred} y_pred. Fix: pass class labels in both (use a threshold or argmax "
                         f"to turn scores into labels).")
    y_type = types.pop()
    if y_type not in CLASSIFICATION_TYPES:
        raise InputError(f"Expected class labels, found {y_type} targets. Fix: classification metrics need "
                         f"labels; use the regression metrics for continuous targets.")
    if y_type == "multilabel-indicator":
        if yt.shape[1] != yp.shape[1]:
            raise InputError(f"Expected y_true and y_pred with the same number of label columns, found "
                             f"{yt.shape[1]} and {yp.shape[1]}. Fix: align the label columns.")
        classes = np.arange(yt.shape[1])
        return Targets(y_type, classes, yt, yp, weight)
    yt = _numeric_object(yt)
    yp = _numeric_object(yp)
    enc = encode(yt, yp, names=("y_true", "y_pred"))
    if y_type == "binary" and len(enc.classes) > 2:
        y_type = "multiclass"
    return Targets(y_type, enc.classes, enc.codes[0], enc.codes[1], weight)


def _numeric_object(arr: np.ndarray) -> np.ndarray:
    """Object arrays of plain numbers become numeric arrays (scikit-learn rejects them as 'unknown')."""
    if arr.dtype == object and len(arr) and not isinstance(arr[0], str):
        try:
            conv = np.asarray(arr.tolist())
        except (TypeError, ValueError):
            return arr
        if conv.dtype != object:
            return conv
    return arr


def label_positions(classes: np.ndarray, labels, name: str = "labels") -> np.ndarray:
    """Index of each requested label in ``classes``; -1 where the label is absent."""
    labels = np.asarray(labels)
    if labels.ndim != 1:
        labels = labels.ravel()
    pos = np.full(len(labels), -1, dtype=np.int64)
    lookup = {}
    for i, c in enumerate(classes.tolist()):
        lookup[c] = i
    for j, lab in enumerate(labels.tolist()):
        pos[j] = lookup.get(lab, -1)
    return pos


def all_finite(arr: np.ndarray) -> bool:
    """Every value finite, from one summing pass (no array of flags); a sum that overflows is checked exactly.

    >>> all_finite(np.array([1.0, 2.0])), all_finite(np.array([1.0, np.nan])), all_finite(np.array([1e308, 1e308]))
    (True, False, True)
    """
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.add.reduce(arr, axis=None)
    return bool(np.isfinite(total)) or bool(np.isfinite(arr).all())


def check_scores(y_score, name: str = "y_score") -> np.ndarray:
    """Scores as a float array with every value finite."""
    arr = _dense(y_score)
    if arr.dtype == object or arr.dtype.kind in "USb":
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise InputError(f"Expected numbers in {name}, found text. Fix: pass numeric scores.") from exc
    if arr.dtype.kind not in "fiu":
        raise InputError(f"Expected numbers in {name}, found {arr.dtype}. Fix: pass numeric scores.")
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim == 0 or arr.ndim > 2:
        raise InputError(f"Expected {name} to be 1-D or 2-D, found shape {arr.shape}. Fix: one row per sample.")
    if len(arr) == 0:
        raise InputError(f"Expected at least one sample in {name}, found none. Fix: pass a non-empty array.")
    if arr.dtype.kind == "f" and not all_finite(arr):
        finite = np.isfinite(arr)
        if not finite.all():
            rows = np.flatnonzero(~finite if finite.ndim == 1 else ~finite.all(axis=1))
            raise InputError(f"Expected finite numbers in {name}, found NaN or infinity in {rows_text(rows + 1)}. "
                             f"Fix: fill or drop those rows.")
    return arr


def resolve_pos_label(classes: np.ndarray, pos_label):
    """scikit-learn's rule for pos_label=None: only {0,1}, {-1,1}, {0}, {-1}, {1} imply 1."""
    if pos_label is not None:
        return pos_label
    vals = classes.tolist()
    if classes.dtype.kind in "OUS" or len(vals) > 2 or vals not in ([0, 1], [-1, 1], [0], [-1], [1]):
        raise InputError(f"Expected y_true in {{0, 1}} or {{-1, 1}} or an explicit pos_label, found labels "
                         f"{{{', '.join(repr(v) for v in vals)}}}. Fix: pass pos_label, the label of the "
                         f"positive class.")
    return 1
