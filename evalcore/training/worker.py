"""The training worker: ``python -m evalcore.training.worker RUN_ID`` trains one queued run.

Started by :func:`evalcore.training.launch.start` in its own process session, so closing the browser tab or
restarting the Streamlit server never stops it. Everything it does is recorded in the run store.
"""

from __future__ import annotations

import sys

from evalcore.runs import RunStore


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or not argv[0].isdigit():
        print("usage: python -m evalcore.training.worker RUN_ID", file=sys.stderr)
        return 2
    run_id = int(argv[0])
    store = RunStore()
    run = store.run(run_id)
    from evalcore.training.config import TrainConfig
    from evalcore.training.fit import train  # imports Keras (~4 s)
    outcome = train(TrainConfig.from_dict(run.config), store, run_id)
    return 0 if outcome.error is None else 1


if __name__ == "__main__":
    sys.exit(main())
