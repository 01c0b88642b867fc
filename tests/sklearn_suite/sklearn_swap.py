"""pytest plugin for a run of scikit-learn's own metric tests, on scikit-learn or on evalcore.

Loaded in a subprocess (``-p tests.sklearn_suite.sklearn_swap``), never in the project's own test session.

* ``--evalcore-swap``: before any test module is imported, every public name of ``sklearn.metrics`` that
  evalcore.metrics mirrors is replaced by evalcore's function; after collection, every copied test module
  must hold evalcore's function under each of those names it imports (else the run stops with a usage
  error). ``pytest.raises(..., match=...)`` and ``pytest.warns(..., match=...)`` still check the exception or
  warning type, but a message that does not match is recorded as a wording difference instead of failing.
* without it the same checks prove the copied modules hold scikit-learn's own functions.
* ``--evalcore-results=PATH``: each test's outcome, its error and its wording differences, as JSON.
* ``--evalcore-trace``: also record whether any code of the evalcore package ran during each test.

Example:
    >>> sorted(MIRRORED)[:3], "evaluate" in MIRRORED
    (['accuracy_score', 'auc', 'average_precision_score'], False)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

import evalcore.metrics

NOT_MIRRORED = {"evaluate", "prepare", "natural_order", "EvaluationReport", "Estimate"}
MIRRORED = tuple(name for name in evalcore.metrics.__all__ if name not in NOT_MIRRORED)

_state: dict = {"current": None, "tests": {}, "wording": {}, "collect_errors": [], "swap": {}}


def pytest_addoption(parser):
    group = parser.getgroup("evalcore")
    group.addoption("--evalcore-swap", action="store_true", help="run the tests on evalcore's functions")
    group.addoption("--evalcore-results", default=None, help="write each test's outcome to this JSON file")
    group.addoption("--evalcore-trace", action="store_true", help="record whether each test ran evalcore's code")


def pytest_configure(config):
    import sklearn.metrics

    missing = [name for name in MIRRORED if not hasattr(sklearn.metrics, name)]
    if missing:
        raise pytest.UsageError(f"sklearn.metrics has no {missing}: evalcore.metrics mirrors names it lacks")
    if config.getoption("evalcore_swap"):
        for name in MIRRORED:
            setattr(sklearn.metrics, name, getattr(evalcore.metrics, name))
        pytest.raises = _type_only_raises
        pytest.warns = _type_only_warns
    _state["swap"]["sklearn.metrics"] = {name: _origin(getattr(sklearn.metrics, name)) for name in MIRRORED}


def _origin(fn) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def _expected(name: str, swapped: bool):
    import sklearn.metrics

    return getattr(evalcore.metrics, name) if swapped else getattr(sklearn.metrics, name)


def pytest_collection_modifyitems(session, config, items):
    """Prove the swap: every mirrored name a copied module holds is the expected function."""
    swapped = config.getoption("evalcore_swap")
    owner = "evalcore." if swapped else "sklearn."
    wrong = []
    modules = {item.module for item in items if getattr(item, "module", None) is not None}
    for module in sorted(modules, key=lambda m: m.__name__):
        held = {name: vars(module)[name] for name in MIRRORED if name in vars(module)}
        _state["swap"][module.__name__] = {name: _origin(fn) for name, fn in held.items()}
        for name, fn in held.items():
            if fn is not _expected(name, swapped) or not fn.__module__.startswith(owner):
                wrong.append(f"{module.__name__}.{name} is {_origin(fn)}")
    if wrong:
        raise pytest.UsageError("the swap did not take effect: " + "; ".join(wrong))


def pytest_collectreport(report):
    if report.failed:
        _state["collect_errors"].append({"nodeid": report.nodeid, "error": str(report.longrepr)[-2000:]})


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _state["current"] = item.nodeid
    trace, ran = item.config.getoption("evalcore_trace"), []
    if trace:
        sys.setprofile(_tracer(ran))
    try:
        return (yield)
    finally:
        if trace:
            sys.setprofile(None)
            _state["tests"].setdefault(item.nodeid, {"outcome": None})["ran_evalcore"] = bool(ran)
        _state["current"] = None


def _tracer(ran: list):
    """A profile function that notes the first call of any function defined in the evalcore package."""
    root = str(Path(evalcore.metrics.__file__).parents[1]) + "/"

    def profile(frame, event, arg):
        if event == "call" and not ran and frame.f_code.co_filename.startswith(root):
            ran.append(frame.f_code.co_name)
    return profile


def pytest_runtest_logreport(report):
    rec = _state["tests"].setdefault(report.nodeid, {"outcome": None})
    if report.failed:
        if rec["outcome"] not in ("failed", "error"):
            rec["outcome"] = "failed" if report.when == "call" else "error"
            crash = getattr(report.longrepr, "reprcrash", None)
            rec["error"] = crash.message if crash is not None else str(report.longrepr)[-1000:]
    elif report.skipped:
        if rec["outcome"] is None:
            rec["outcome"] = "xfailed" if hasattr(report, "wasxfail") else "skipped"
    elif report.when == "call":
        rec["outcome"] = "xpassed" if hasattr(report, "wasxfail") else "passed"


def pytest_sessionfinish(session, exitstatus):
    path = session.config.getoption("evalcore_results")
    if not path:
        return
    for nodeid, found in _state["wording"].items():
        _state["tests"].setdefault(nodeid, {"outcome": None})["wording"] = found
    result = {"swapped": bool(session.config.getoption("evalcore_swap")), "exitstatus": int(exitstatus),
              "collected": [item.nodeid for item in session.items], "tests": _state["tests"],
              "collect_errors": _state["collect_errors"], "swap": _state["swap"]}
    Path(path).write_text(json.dumps(result))


# ---------------------------------------------------------------- match= records wording, the type still counts


def _record_wording(kind: str, expected, pattern, found: str) -> None:
    names = [t.__name__ for t in expected] if isinstance(expected, tuple) else [expected.__name__]
    pattern = pattern.pattern if isinstance(pattern, re.Pattern) else str(pattern)
    _state["wording"].setdefault(_state["current"] or "<outside a test>", []).append(
        {"kind": kind, "expected": names, "pattern": pattern, "found": found[:500]})


_pytest_raises = pytest.raises
_pytest_warns = pytest.warns


class _TypeOnly:
    """Delegates to pytest's context manager made without ``match``; checks ``match`` after it succeeds."""

    def __init__(self, inner, kind: str, expected, match):
        self.inner, self.kind, self.expected, self.match = inner, kind, expected, match

    def __enter__(self):
        self.entered = self.inner.__enter__()
        return self.entered

    def __exit__(self, *exc_info):
        handled = self.inner.__exit__(*exc_info)  # raises (or returns False) when the type is wrong
        if self.kind == "raises" and not handled:
            return handled
        if self.kind == "raises":
            try:
                self.entered.match(self.match)
            except AssertionError:
                _record_wording("raises", self.expected, self.match, str(self.entered.value))
        else:
            typed = [w for w in self.inner if issubclass(w.category, self.expected)]
            if not any(re.search(self.match, str(w.message)) for w in typed):
                _record_wording("warns", self.expected, self.match, " | ".join(str(w.message) for w in typed))
        return handled


def _type_only_raises(expected_exception=None, *args, **kwargs):
    """pytest.raises; in the context-manager form with a type and ``match``, the match only records wording."""
    __tracebackhide__ = True
    if kwargs.get("match") is None or args or expected_exception is None:
        return _pytest_raises(expected_exception, *args, **kwargs)
    match = kwargs.pop("match")
    return _TypeOnly(_pytest_raises(expected_exception, **kwargs), "raises", expected_exception, match)


def _type_only_warns(expected_warning=Warning, *args, **kwargs):
    """pytest.warns; in the context-manager form with ``match``, the match only records wording."""
    __tracebackhide__ = True
    if kwargs.get("match") is None or args:
        return _pytest_warns(expected_warning, *args, **kwargs)
    match = kwargs.pop("match")
    return _TypeOnly(_pytest_warns(expected_warning, **kwargs), "warns", expected_warning, match)


_type_only_raises.Exception = getattr(_pytest_raises, "Exception", None)
