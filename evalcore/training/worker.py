"""The training worker: ``python -m evalcore.training.worker RUN_ID`` trains one queued run;
``python -m evalcore.training.worker --queue RUN_ID ...`` trains queued runs one after another in this one
process (an ablation study: Keras is imported once, its session cleared between runs);
``python -m evalcore.training.worker --standby`` imports Keras first, then waits for one line on its standard
input, ``RUN_ID LOG_PATH``, and trains that run with its output in that log (the launcher keeps one ready, so
that pressing Train does not wait for TensorFlow's import; an empty line or a closed input ends it).

Started by :func:`evalcore.training.launch.start` in its own process session, so closing the browser tab or
restarting the Streamlit server never stops it. Everything it does is recorded in the run store.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from evalcore.runs import QUEUED, open_store

READY_ENV = "EVALCORE_STANDBY_READY"  # the file a standby worker creates once Keras is imported


def standby() -> list[str] | None:
    """Import Keras, say so (the ready file), wait for ``RUN_ID LOG_PATH``; None if none comes."""
    from evalcore.training import fit  # noqa: F401  (the slow import, before any run is given)
    ready = os.environ.get(READY_ENV)
    if ready:
        Path(ready).touch()
    words = sys.stdin.readline().split()
    if len(words) != 2 or not words[0].isdigit():
        return None
    with open(words[1], "ab") as log:  # from here on, this run's log holds the output
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
    return [words[0]]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--standby"]:
        given = standby()
        if given is None:
            return 0
        argv = given
    queue = bool(argv) and argv[0] == "--queue"
    ids = argv[1:] if queue else argv
    if not ids or not all(a.isdigit() for a in ids) or (len(ids) > 1 and not queue):
        print("usage: python -m evalcore.training.worker RUN_ID | --queue RUN_ID ...", file=sys.stderr)
        return 2
    store = open_store()  # EVALCORE_STORE: the launcher's store
    from evalcore.training.config import TrainConfig
    from evalcore.training.fit import train  # imports Keras (~4 s)
    failures = 0
    for run_id in map(int, ids):
        run = store.run(run_id)
        if run.status != QUEUED:  # cancelled (or already handled) while waiting
            continue
        if queue:
            import keras
            keras.backend.clear_session()
        failures += train(TrainConfig.from_dict(run.config), store, run_id).error is not None
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
