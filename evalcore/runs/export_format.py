"""The JSON export format of runs, declared as a JSON Schema, and the check of a whole file before an import.

:func:`parse_export` reads an export and checks every run against :data:`SCHEMA` (types, ranges, sizes and the
caps in :mod:`evalcore.limits`), each training run's settings against :class:`TrainConfig`, and every series'
points as arrays. It returns the runs ready to write, or raises one InputError that names the run, the field
and the fix. Nothing is written here: the caller writes all runs in one transaction.

Example:
    >>> doc = {"format": FORMAT, "version": 1, "runs": [{"kind": "train", "config": {"dropout": 5}}]}
    >>> parse_export(json.dumps(doc))
    Traceback (most recent call last):
    ...
    evalcore.errors.InputError: Expected the settings group 'dropout' as a table such as {"enabled": false, "rate": 0.5} in run 1 (unnamed), field config, found 5. Fix: give 'dropout' its settings, or leave it out for the defaults.
"""

from __future__ import annotations

import json
import math
import time

import numpy as np
from jsonschema import Draft202012Validator

from evalcore import limits
from evalcore.errors import InputError, input_error
from evalcore.limits import describe_size
from evalcore.runs.entities import RunRecord, Series
from evalcore.runs.rows import MAX_TIME, json_safe, short
from evalcore.runs.statuses import ACTIVE, KINDS, LOST, STATUSES
from evalcore.runs.summary import upgrade_summary

FORMAT = "evalcore-runs"
VERSION = 1
MAX_STEP = 2**53 - 1   # steps and epochs are whole numbers that a float64 holds exactly
MAX_EPOCH = 10**9

_TIME = {"type": ["number", "null"], "minimum": 0, "maximum": MAX_TIME,
         "x-expected": "a time in seconds since 1970 (or null)"}
_TEXT = {"type": "string", "maxLength": limits.IMPORT_TEXT_CHARS}
_FLOAT_MAX = 1.7976931348623157e308
_SCALAR = {"anyOf": [{"type": ["boolean", "null"]},   # a number a float can hold (JSON allows 10**400)
                     {"type": "number", "minimum": -_FLOAT_MAX, "maximum": _FLOAT_MAX}]}
_VALUE = {"anyOf": [_SCALAR, _TEXT,
                    {"type": "array", "maxItems": limits.IMPORT_LIST_ITEMS, "items": {"anyOf": [_SCALAR, _TEXT]}}],
          "x-expected": f"a number, true/false, null, text of at most {limits.IMPORT_TEXT_CHARS:,} characters, "
                        "or a list of those"}
_COLUMN = {"type": "array", "x-expected": "a list with one value per point"}

#: The export format. Series items (numbers per point) are declared here and checked as arrays, which is what
#: keeps a 2,000,000-point import fast: steps and epochs whole numbers from 0, values numbers or null, walls times.
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "evalcore runs export",
    "type": "object",
    "required": ["format", "version", "runs"],
    "properties": {
        "format": {"const": FORMAT},
        "version": {"type": "integer", "minimum": 1, "maximum": VERSION,
                    "x-expected": f"a version number from 1 to {VERSION}",
                    "x-fix": "export the runs again with this version of evalcore, or upgrade evalcore"},
        "runs": {"type": "array", "maxItems": limits.IMPORT_RUNS,
                 "x-fix": f"split the export into files of at most {limits.IMPORT_RUNS:,} runs",
                 "items": {"$ref": "#/$defs/run"}},
    },
    "$defs": {
        "run": {
            "type": "object",
            "required": ["kind", "config"],
            "properties": {
                "id": {"type": ["integer", "null"]},
                "name": {"type": ["string", "null"], "maxLength": limits.RUN_NAME_CHARS,
                         "x-fix": f"shorten the name to {limits.RUN_NAME_CHARS} characters"},
                "kind": {"enum": list(KINDS)},
                "status": {"enum": list(STATUSES)},
                "config": {"type": "object"},
                "created": _TIME, "started": _TIME, "ended": _TIME,
                "error": {"type": ["string", "null"], "maxLength": limits.RUN_ERROR_CHARS},
                "summary": {"type": "object", "maxProperties": limits.IMPORT_SUMMARY_KEYS,
                            "additionalProperties": _VALUE},
                "tags": {"type": "array", "maxItems": limits.RUN_TAGS,
                         "items": {"type": "string", "maxLength": limits.RUN_TAG_CHARS}},
                "note": {"type": ["string", "null"], "maxLength": limits.RUN_NOTE_CHARS},
                "series": {"type": "object", "maxProperties": limits.IMPORT_SERIES_PER_RUN,
                           "propertyNames": {"minLength": 1, "maxLength": limits.IMPORT_KEY_CHARS},
                           "additionalProperties": {"$ref": "#/$defs/series"}},
            },
            "allOf": [
                {"if": {"properties": {"kind": {"const": "evaluation"}}},
                 "then": {"properties": {"config": {"$ref": "#/$defs/evaluation"}}}},
                {"if": {"properties": {"kind": {"const": "train"}}},
                 "then": {"properties": {"config": {"$ref": "#/$defs/train"}}}},
            ],
        },
        "series": {
            "type": "object",
            "required": ["step", "epoch", "value", "wall"],
            "properties": {"step": _COLUMN, "epoch": _COLUMN, "value": _COLUMN, "wall": _COLUMN},
        },
        "train": {  # every other setting is checked by TrainConfig
            "type": "object",
            "properties": {"ablation": {"type": "object", "required": ["group", "variant", "seed"],
                                        "properties": {"group": {"type": "string", "maxLength": 100},
                                                       "variant": {"type": "string", "maxLength": 100},
                                                       "seed": {"type": "integer", "minimum": 0}}}},
        },
        "evaluation": {
            "type": "object",
            "properties": {
                "file": {"type": "string", "maxLength": 4096},
                "task": {"enum": ["binary", "multiclass", "regression"]},
                "rows": {"type": "integer", "minimum": 0, "maximum": 2**62},
                "classes": {"type": "array", "maxItems": limits.IMPORT_LIST_ITEMS, "items": _TEXT},
                "positive_class": {"type": ["string", "null"], "maxLength": limits.IMPORT_TEXT_CHARS},
                "threshold": {"anyOf": [{"type": "null"}, {"type": "number", "minimum": -_FLOAT_MAX,
                                                                "maximum": _FLOAT_MAX}]},
                "prediction_rule": {"type": ["string", "null"], "maxLength": limits.IMPORT_TEXT_CHARS},
            },
        },
    },
}
_VALIDATOR = Draft202012Validator(SCHEMA)
_FIX = "correct that field in the file, or export the runs again from evalcore"


def parse_export(text: str | bytes) -> list[RunRecord]:
    """Check a whole export and return its runs, ready for :meth:`RunStore.add_runs` (new ids)."""
    if len(text) > limits.IMPORT_FILE_BYTES:
        raise input_error(f"an export of at most {describe_size(limits.IMPORT_FILE_BYTES)}",
                          f"{describe_size(len(text))}", "export fewer runs per file")
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        line = f" at line {exc.lineno}" if hasattr(exc, "lineno") else ""
        raise input_error("a JSON export of evalcore runs", f"a file that is not valid JSON{line}",
                          "export runs from the Runs page and import that file") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise input_error(f'a JSON file with "format": "{FORMAT}"', "another JSON document",
                          "export runs from the Runs page and import that file")
    error = next(iter(sorted(_VALIDATOR.iter_errors(data), key=_error_order)), None)
    if error is not None:
        raise _schema_message(error, data)
    runs = data["runs"]
    total = sum(len(s["step"]) for r in runs for s in (r.get("series") or {}).values())
    if total > limits.IMPORT_POINTS:
        raise input_error(f"at most {limits.IMPORT_POINTS:,} points in one import", f"{total:,}",
                          "export fewer runs per file")
    return [_record(i, run) for i, run in enumerate(runs, start=1)]


def _record(number: int, run: dict) -> RunRecord:
    where = _run_label(number, run)
    config = run["config"]
    if len(json.dumps(config)) > limits.IMPORT_CONFIG_BYTES:
        raise input_error(f"settings of at most {limits.IMPORT_CONFIG_BYTES:,} characters in {where}",
                          "more", _FIX)
    if run["kind"] == "train":
        from evalcore.training.config import TrainConfig  # the one definition of valid training settings
        try:
            TrainConfig.from_dict(config).validate()
        except InputError as exc:
            raise InputError(_located(str(exc), f" in {where}, field config")) from exc
    series = {key: _series(where, key, s) for key, s in (run.get("series") or {}).items()}
    ended = run.get("status") not in ACTIVE and run.get("status") is not None
    created = run.get("created")
    return RunRecord(
        name=run.get("name") or f"imported run {number}", kind=run["kind"],
        status=run["status"] if ended else LOST, config=json_safe(config),
        created=float(created) if created is not None else time.time(),
        started=_time_or_none(run.get("started")), ended=_time_or_none(run.get("ended")),
        error=run.get("error") if ended else "Imported while it was still running.",
        summary=upgrade_summary(json_safe(run.get("summary") or {})), tags=tuple(run.get("tags") or ()),
        note=run.get("note") or "", series=series)


def _series(where: str, key: str, s: dict) -> Series:
    lengths = {name: len(s[name]) for name in ("step", "epoch", "value", "wall")}
    if len(set(lengths.values())) > 1:
        raise input_error(f"lists of the same length (one value per point) in {where}, series '{key}'",
                          ", ".join(f"{n} {k:,}" for n, k in lengths.items()), _FIX)
    here = f"{where}, series '{key}'"
    steps = _column(s["step"], f"{here}, field step", whole=True, top=MAX_STEP)
    epochs = _column(s["epoch"], f"{here}, field epoch", whole=True, top=MAX_EPOCH)
    values = _column(s["value"], f"{here}, field value", nulls=True)
    walls = _column(s["wall"], f"{here}, field wall", top=MAX_TIME)
    return Series(steps.astype(np.int64), epochs.astype(np.int64), values, walls)


def _column(items: list, where: str, *, whole: bool = False, nulls: bool = False, top: float | None = None
            ) -> np.ndarray:
    """A list of numbers as float64, checked in whole-array steps (a Python loop only to name a bad item)."""
    try:
        arr = np.asarray(items) if items else np.zeros(0)
    except (ValueError, TypeError):  # ragged nested lists
        arr = np.zeros(0, dtype=object)
    if arr.dtype.kind not in "iuf" or arr.ndim != 1 or any(type(v) is bool for v in items):  # true reads as 1.0
        for i, v in enumerate(items):
            if not ((_is_number(v) and abs(v) <= _FLOAT_MAX) or (nulls and v is None)):
                raise input_error(f"numbers{' or null' if nulls else ''} in {where}",
                                  f"{short(v)} at point {i + 1}", _FIX)
        arr = np.array([math.nan if v is None else float(v) for v in items], dtype=np.float64)
    values = arr.astype(np.float64)
    if whole or top is not None:
        bad = ~np.isfinite(values) | (values < 0)
        if whole:
            bad |= values != np.floor(np.nan_to_num(values))
        if top is not None:
            bad |= values > top
        expected = f"{'whole numbers' if whole else 'numbers'} from 0 to {top:,.0f}"
    else:
        bad = np.isinf(values)
        expected = "finite numbers or null"
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise input_error(f"{expected} in {where}", f"{short(items[i])} at point {i + 1}", _FIX)
    return values


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _time_or_none(value) -> float | None:
    return None if value is None else float(value)


def _run_label(number: int, run) -> str:
    name = run.get("name") if isinstance(run, dict) else None
    return f"run {number} ({short(name)})" if isinstance(name, str) and name else f"run {number} (unnamed)"


def _error_order(error) -> tuple:
    """The first problem in the file's order: run 2's before run 10's."""
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in error.absolute_path)


def _schema_message(error, data: dict) -> InputError:
    """One schema violation in the project's words: which run, which field, what was expected, the fix."""
    path = list(error.absolute_path)
    where = "the file"
    field = path
    if len(path) >= 2 and path[0] == "runs" and isinstance(path[1], int):
        where = _run_label(path[1] + 1, data["runs"][path[1]])
        field = path[2:]
    if field:
        where += ", field " + ".".join(str(p) for p in field)
    schema, instance, kind = error.schema, error.instance, error.validator
    expected = schema.get("x-expected")
    found = short(instance)
    if kind == "required":
        missing = [k for k in error.validator_value if k not in instance]
        expected, found = f"a field '{missing[0]}'", "none"
    elif kind in ("maxLength", "maxItems", "maxProperties"):
        unit = {"maxLength": "characters", "maxItems": "items", "maxProperties": "entries"}[kind]
        expected, found = f"at most {error.validator_value:,} {unit}", f"{len(instance):,}"
    elif kind == "minLength":
        expected, found = "a non-empty name", "an empty one"
    elif expected is None and kind == "type":
        types = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        expected = " or ".join(_TYPE_WORDS.get(str(t), str(t)) for t in types)
    elif expected is None and kind in ("enum", "const"):
        options = error.validator_value if kind == "enum" else [error.validator_value]
        expected = "one of " + ", ".join(json.dumps(o) for o in options)
    elif expected is None and kind in ("minimum", "maximum"):
        expected = f"a number {'at least' if kind == 'minimum' else 'at most'} {error.validator_value:,}"
    elif expected is None:
        expected = "a valid value"
    return input_error(f"{expected} in {where}", found, schema.get("x-fix", _FIX))


def _located(message: str, where: str) -> str:
    """Put a location after the 'Expected …' part of a message from the project's template.

    >>> _located("Expected a, found b. Fix: c.", " in run 1")
    'Expected a in run 1, found b. Fix: c.'
    """
    at = message.find(", found")
    return message[:at] + where + message[at:] if at >= 0 else message.rstrip(".") + where + "."


_TYPE_WORDS = {"object": "a table of values", "array": "a list", "string": "text", "integer": "a whole number",
               "number": "a number", "boolean": "true or false", "null": "null"}
