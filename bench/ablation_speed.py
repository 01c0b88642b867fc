"""An ablation study on one machine: the local executor (one worker process, the runs one after another) against
the Ray executor with a Ray instance of its own on this machine (``EVALCORE_EXECUTOR=auto`` with no cluster
running: ``ray.init()``, one task per run, as many at once as there are cores).

Run: make bench-ablation   (or .venv/bin/python -m bench.ablation_speed [--repeats 3])
Measures the wall time from ``ablation.start`` to the last run's end, best of ``--repeats`` each, alternating
which goes first; prints the speed-up and the load average (a timing taken while something else runs is
worthless). Each run's own results must be the same either way: the bench checks that every run finished.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

from evalcore.runs import FINISHED, SqliteRunStore
from evalcore.training import ablation
from evalcore.training.config import TrainConfig

BASE = TrainConfig(dataset="digits", epochs=15)


def one_study(executor: str) -> float:
    """Seconds from start to the end of every run of one ablation study (1 seed, 7 variants) in a new store."""
    os.environ["EVALCORE_EXECUTOR"] = executor
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteRunStore(folder)  # Ray tasks on this machine open the same file
        t0 = time.perf_counter()
        group = ablation.start(BASE, store, seeds=1, include_all=True)
        while any(r.active for r in ablation.group_runs(store, group)):
            time.sleep(0.2)
        elapsed = time.perf_counter() - t0
        runs = ablation.group_runs(store, group)
        assert all(r.status == FINISHED for r in runs), [(r.name, r.status, r.error) for r in runs]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("KERAS_HOME", os.path.join(tempfile.gettempdir(), "evalcore-bench-keras"))
    print(f"load average at start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    n = len(ablation.variants(BASE))
    times: dict[str, list[float]] = {"local": [], "auto": []}
    for i in range(args.repeats):
        for executor in (("local", "auto") if i % 2 == 0 else ("auto", "local")):
            times[executor].append(one_study(executor))
            print(f"  {executor:5s} {times[executor][-1]:.1f} s")
    local, ray_local = min(times["local"]), min(times["auto"])
    print(f"ablation of {n} runs ({BASE.dataset}, {BASE.epochs} epochs each), best of {args.repeats}:")
    print(f"  local executor (one process, runs in turn): {local:.1f} s")
    print(f"  Ray on this machine (ray.init(), a task per run): {ray_local:.1f} s")
    print(f"  speed-up x{local / ray_local:.2f}")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    import ray
    ray.shutdown()


if __name__ == "__main__":
    main()
