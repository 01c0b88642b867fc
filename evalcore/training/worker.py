"""The training worker: ``python -m evalcore.training.worker RUN_ID`` trains one queued run;
``python -m evalcore.training.worker --queue RUN_ID ...`` trains queued runs one after another in this one
process (an ablation study: Keras is imported once, its session cleared between runs).

Started by :func:`evalcore.training.launch.start` in its own process session, so closing the browser tab or
restarting the Streamlit server never stops it. Everything it does is recorded in the run store.
"""

from __future__ import annotations

import sys

from evalcore.runs import QUEUED, open_store


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
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
