"""scikit-learn's own metric tests, run against evalcore.metrics: "drop-in for scikit-learn" kept true.

The five metric test files of the installed scikit-learn (``sklearn/metrics/tests``) are copied to a temporary
folder and run twice in subprocesses (so nothing leaks into this session), with the plugin
:mod:`tests.sklearn_suite.sklearn_swap`:

1. on scikit-learn itself, to know which tests pass there;
2. with every name of ``sklearn.metrics`` that evalcore.metrics mirrors replaced by evalcore's function before
   the copied modules are imported. The plugin proves the swap: each copied module must hold evalcore's function
   under every mirrored name it imports (and scikit-learn's in run 1). scikit-learn's own internals keep its
   functions (the scorers behind ``get_scorer("f1")`` were built at import), so a test comparing a scorer with
   the metric compares scikit-learn with evalcore.

The rule: **every test that passes on scikit-learn must pass on evalcore, except for message wording.**
Wording means the ``match=`` pattern of ``pytest.raises`` and ``pytest.warns``: in run 2 they still check the
exception or warning *type*, and a message that does not match is recorded (and counted) instead of failing;
evalcore keeps its own messages ("Expected ..., found .... Fix: ..."). Every other assertion counts, including
exact message comparisons outside ``match=``. "Wording" also covers which of several problems of a bad input
is named (both refuse it with the same type). Tests that fail on scikit-learn are not blamed on evalcore
(they are listed, and :func:`test_scikit_learn_passes_its_own_tests` fails on them). One more case is not
evalcore's behaviour: a test that fails while no code of the evalcore package ran at all (checked by re-running
each failing test under a profiler), such as scikit-learn's ``check_scoring`` telling its own metric functions
apart by their ``__module__``; those are listed by name in the summary.

The counts (collected, passed on scikit-learn, passed on evalcore, wording-only differences) are shown as a
warning in the test summary. The module takes 45-70 s (two runs of ~20 s, more on a busy machine).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest
import sklearn

from tests.sklearn_suite.sklearn_swap import MIRRORED

REPO = Path(__file__).resolve().parents[2]
SKLEARN_TESTS = Path(sklearn.__file__).parent / "metrics" / "tests"
FILES = ("test_classification.py", "test_ranking.py", "test_regression.py", "test_common.py",
         "test_score_objects.py")
PLUGIN = "tests.sklearn_suite.sklearn_swap"


class SuiteSummary(UserWarning):
    """The counts of the scikit-learn suite run, shown in pytest's warnings summary."""


def pytest_in(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """pytest with the plugin in a fresh interpreter, in ``folder`` and with no configuration but its own."""
    (folder / "pytest.ini").write_text("[pytest]\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["SKLEARN_SKIP_NETWORK_TESTS"] = "1"
    env.pop("SKLEARN_TESTS_GLOBAL_RANDOM_SEED", None)
    cmd = [sys.executable, "-m", "pytest", "-q", "-c", str(folder / "pytest.ini"), "--rootdir", str(folder),
           "-p", "no:cacheprovider", "-p", "no:xdist", "-p", "sklearn.conftest", "-p", PLUGIN, *args]
    return subprocess.run(cmd, cwd=folder, env=env, capture_output=True, text=True, timeout=900)


def run_suite(folder: Path, name: str, *extra: str) -> dict:
    """Run the copied tests; return the plugin's JSON record."""
    results = folder / f"{name}.json"
    proc = pytest_in(folder, f"--evalcore-results={results}", *extra)
    if proc.returncode not in (0, 1) or not results.exists():  # 1: some tests failed; else the run itself broke
        raise AssertionError(f"the {name} run did not complete (pytest exit {proc.returncode}):\n"
                             f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return json.loads(results.read_text())


def passed(run: dict) -> set[str]:
    return {nodeid for nodeid, rec in run["tests"].items() if rec["outcome"] == "passed"}


@dataclass
class Verdict:
    """Each collected test sorted by what the two runs say about it."""

    collected: int
    on_sklearn: set[str]
    on_evalcore: set[str]
    wording_only: set[str]
    evalcore_failures: dict[str, str]
    not_evalcore_code: dict[str, str]
    sklearn_failures: dict[str, str]

    def summary(self) -> str:
        def tests(n: int) -> str:
            return f"{n} test" + ("" if n == 1 else "s")

        both = self.on_sklearn & self.on_evalcore
        text = (f"scikit-learn {sklearn.__version__} metric tests: {tests(self.collected)} collected; "
                f"{len(self.on_sklearn)} pass on scikit-learn, {len(both)} of them on evalcore "
                f"({len(self.wording_only)} with message wording differences only; {len(self.on_evalcore)} pass on "
                f"evalcore in all); {tests(len(self.evalcore_failures))} failing on evalcore")
        if self.not_evalcore_code:
            text += (f"; {tests(len(self.not_evalcore_code))} failing without running any evalcore code (not "
                     f"evalcore's behaviour): {', '.join(sorted(self.not_evalcore_code))}")
        if self.sklearn_failures:
            text += f"; {tests(len(self.sklearn_failures))} failing on scikit-learn itself"
        return text


def judge(on_sklearn_run: dict, on_evalcore_run: dict, traced_run: dict | None) -> Verdict:
    """Apply the module's rule to the records of the runs.

    >>> ok = {"outcome": "passed"}
    >>> sk = {"collected": ["a", "b", "c"], "tests": {"a": ok, "b": ok, "c": ok}}
    >>> ev = {"collected": ["a", "b", "c"], "tests": {"a": ok, "b": dict(ok, wording=[{}]),
    ...       "c": {"outcome": "failed", "error": "AssertionError"}}}
    >>> v = judge(sk, ev, {"tests": {"c": {"outcome": "failed", "ran_evalcore": True}}})
    >>> sorted(v.wording_only), v.evalcore_failures
    (['b'], {'c': 'failed: AssertionError'})
    """
    on_sklearn, on_evalcore = passed(on_sklearn_run), passed(on_evalcore_run)
    traced = traced_run["tests"] if traced_run else {}
    failures, foreign = {}, {}
    for nodeid in sorted(on_sklearn - on_evalcore):
        rec = on_evalcore_run["tests"].get(nodeid, {"outcome": "not run"})
        why = f"{rec['outcome']}: {rec.get('error', '')}".strip()
        if traced.get(nodeid, {}).get("ran_evalcore") is False:
            foreign[nodeid] = why
        else:
            failures[nodeid] = why
    wording = {nodeid for nodeid in on_sklearn & on_evalcore if on_evalcore_run["tests"][nodeid].get("wording")}
    sklearn_failures = {nodeid: f"{rec['outcome']}: {rec.get('error', '')}"
                        for nodeid, rec in on_sklearn_run["tests"].items() if rec["outcome"] in ("failed", "error")}
    return Verdict(len(on_sklearn_run["collected"]), on_sklearn, on_evalcore, wording, failures, foreign,
                   sklearn_failures)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sklearn_metric_tests")
    for name in FILES:
        shutil.copyfile(SKLEARN_TESTS / name, folder / name)
    on_sklearn = run_suite(folder, "sklearn")
    on_evalcore = run_suite(folder, "evalcore", "--evalcore-swap")
    suspects = sorted(passed(on_sklearn) - passed(on_evalcore))
    traced = run_suite(folder, "traced", "--evalcore-swap", "--evalcore-trace", *suspects) if suspects else None
    if traced is not None:
        untraced = [nodeid for nodeid in suspects if "ran_evalcore" not in traced["tests"].get(nodeid, {})]
        assert not untraced, f"the traced re-run did not trace {untraced[:5]}"
    return on_sklearn, on_evalcore, traced


@pytest.fixture(scope="module")
def verdict(runs) -> Verdict:
    return judge(*runs)


def test_the_copied_tests_ran_on_evalcore(runs):
    on_sklearn, on_evalcore, _ = runs
    assert on_evalcore["swapped"] and not on_sklearn["swapped"]
    for run, owner in ((on_sklearn, "sklearn."), (on_evalcore, "evalcore.")):
        assert sorted(run["swap"]["sklearn.metrics"]) == sorted(MIRRORED)
        assert all(v.startswith(owner) for v in run["swap"]["sklearn.metrics"].values()), run["swap"]
        modules = {m: held for m, held in run["swap"].items() if m != "sklearn.metrics"}
        assert sorted(modules) == sorted(Path(f).stem for f in FILES)
        for module, held in modules.items():
            assert held, f"{module} imports no mirrored name: nothing of evalcore would be tested there"
            assert all(v.startswith(owner) for v in held.values()), (module, held)
    assert on_evalcore["swap"]["test_classification"]["accuracy_score"] == \
        "evalcore.metrics._classification.accuracy_score"
    assert {m: sorted(h) for m, h in on_sklearn["swap"].items()} == \
        {m: sorted(h) for m, h in on_evalcore["swap"].items()}


def test_the_swap_check_refuses_a_module_that_kept_a_scikit_learn_function(tmp_path):
    (tmp_path / "test_kept.py").write_text("from sklearn.metrics._classification import accuracy_score\n\n\n"
                                           "def test_kept():\n    assert accuracy_score([1, 0], [1, 0]) == 1\n")
    proc = pytest_in(tmp_path, "--evalcore-swap")
    assert proc.returncode != 0
    assert "the swap did not take effect: test_kept.accuracy_score is sklearn.metrics._classification" in \
        proc.stdout + proc.stderr


def test_both_runs_collected_the_same_tests(runs):
    on_sklearn, on_evalcore, _ = runs
    for run in (on_sklearn, on_evalcore):
        assert not run["collect_errors"], run["collect_errors"]
    assert on_sklearn["collected"] == on_evalcore["collected"]
    assert {nodeid.split("::")[0] for nodeid in passed(on_sklearn)} == set(FILES)


def test_scikit_learn_passes_its_own_tests(verdict):
    assert not verdict.sklearn_failures, "\n".join(f"{k}  {v}" for k, v in verdict.sklearn_failures.items())


def test_every_test_that_passes_on_scikit_learn_passes_on_evalcore(verdict, record_property):
    summary = verdict.summary()
    record_property("sklearn_suite", summary)
    warnings.warn(summary, SuiteSummary)
    assert not verdict.evalcore_failures, summary + ":\n" + "\n".join(
        f"{nodeid}  {why[:300]}" for nodeid, why in verdict.evalcore_failures.items())


def test_only_the_known_test_fails_without_running_evalcore_code(verdict):
    """The one test excused for failing without evalcore code: scikit-learn's check_scoring recognises its own
    metric functions by their module. Any other test that moves into this group must be looked at."""
    assert {nodeid.split("::")[-1].split("[")[0] for nodeid in verdict.not_evalcore_code} == \
        {"test_scoring_is_not_metric"}, sorted(verdict.not_evalcore_code)
