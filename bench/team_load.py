"""Issue 10's team load budget for the PostgreSQL run store, measured in one run (ratios; this machine is noisy).

Run: make bench-team   (or .venv/bin/python -m bench.team_load [--workers 19] [--repeats 8])

Set-up: a real PostgreSQL 15 server (``tests.postgres.PostgresServer``: 127.0.0.1 only, a free port), restarted
with fsync and full-page writes on (the tests turn them off; SQLite's store fsyncs every commit, so a fair
comparison needs a server that does too; ``--no-fsync`` keeps them off), one database holding 1,000 finished runs of 100
epochs (4 series each, 400,000 points, written with the store's own ``add_runs``).

Team load: ``--workers`` synthetic workers (19 by default: the foreground fit is the 20th), each its own process
(``python -m bench.team_load --worker RUN_ID``), each driving the real ``LiveLogger`` through Keras' own
``CallbackList`` (the dispatch ``model.fit`` uses; with the TensorFlow backend every hook runs in the training loop:
Keras dispatches batch-end hooks to a helper thread only on backends it calls thread-safe, and TensorFlow's
``IS_THREAD_SAFE`` is False, so ``LiveLogger.async_safe`` changes nothing here) on a run it marks running with its pid, with a heartbeat thread every 2 s as ``training.fit`` has. Its
"training" is a sleep: a batch every ``--batch-ms`` (7 ms: this machine's MNIST batch), 75 batches an epoch, so
each worker calls the batch hooks ~140 times a second (reading the stop flag as often as the logger
chooses), flushes batch points every 0.25 s and epoch points every
~0.5 s, as a real worker on its own GPU machine would. It stops the real way (the stop flag, set by this script at
the end) and its points are counted.

Measured before the load (the page's own cost), then while it runs:
- the runs table (``runs_table(store)``) and the Runs page (AppTest, ``EVALCORE_STORE`` = the server) drawing the
  table, comparing the 10 newest runs (the live workers' runs) and 10 finished historical runs, best of 3 (budget
  < 1 s each);
- logging overhead: the same real ``model.fit`` (``bench.train_speed``'s set-up: MNIST, 2,400 rows, batch 32,
  3 epochs) with no logger, with ``LiveLogger`` on a local SQLite store, and with ``LiveLogger`` on the PostgreSQL
  store, in rotating order after one untimed fit of each, median of ``--repeats`` each. The background load always
  writes to PostgreSQL, in every phase: only the foreground worker's store changes, so the ratio PostgreSQL /
  SQLite is the cost of the team store for one worker of a loaded team (budget <= 1.05);
- what the logger waited for inside those timed fits (a thin timer around the store: every stop-flag read and
  every write, per epoch, per store): on this shared machine the end-to-end ratio's rounds scatter by tens of
  percent, these do not, and they say where PostgreSQL's extra time goes;
- what one stop-flag read and one flush cost on each store under the load, called back to back.
The synthetic workers' client work (Python, psycopg) runs on this machine too, unlike a team's (the CPU they and
the server used is printed); it loads every arm equally.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import types
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

ROOT = Path(__file__).resolve().parents[1]
STEPS = 75              # batches per synthetic epoch (2,400 rows / batch 32, as the foreground fit)
HEARTBEAT_SECONDS = 2.0  # as evalcore.training.fit
MAX_WORKER_SECONDS = 1800.0


# ---------------------------------------------------------------------------------------------- a synthetic worker


def _heartbeat(store, run_id: int, done: threading.Event) -> None:
    while not done.wait(HEARTBEAT_SECONDS):
        store.heartbeat(run_id)


def _epoch(callbacks, model, epoch: int, batch_s: float, rng) -> int:
    """One epoch of hooks at the worker's pace; the batches it ran."""
    callbacks.on_epoch_begin(epoch)
    loss = float(np.exp(-epoch / 30))
    next_at = time.perf_counter()
    batches = 0
    for batch in range(STEPS):
        callbacks.on_train_batch_begin(batch)
        next_at += batch_s
        time.sleep(max(0.0, next_at - time.perf_counter()))  # the "training" of this batch
        loss_now = loss + float(rng.normal(0, 0.01))
        callbacks.on_train_batch_end(batch, {"loss": loss_now, "accuracy": 1 - loss_now / 2})
        batches += 1
        if model.stop_training:
            break
    callbacks.on_epoch_end(epoch, {"loss": loss, "accuracy": 1 - loss / 2, "val_loss": loss + 0.1,
                                   "val_accuracy": 0.95 - loss / 2})
    return batches


def worker(run_id: int, batch_s: float) -> None:
    """A synthetic training worker on ``run_id`` of the store in ``EVALCORE_STORE``, until its stop flag is set."""
    import keras

    from evalcore.runs import RUNNING, STOPPED, open_store
    from evalcore.training.callbacks import LiveLogger

    store = open_store()
    parent = os.getppid()
    store.set_status(run_id, RUNNING, pid=os.getpid())
    done = threading.Event()
    threading.Thread(target=_heartbeat, args=(store, run_id, done), daemon=True).start()
    model = types.SimpleNamespace(stop_training=False,
                                  optimizer=types.SimpleNamespace(learning_rate=np.float32(1e-3)))
    logger = LiveLogger(store, run_id, 0.25)
    callbacks = keras.callbacks.CallbackList([logger], model=model, epochs=100_000, steps=STEPS, verbose=0)
    rng = np.random.default_rng(run_id)
    t0, cpu0 = time.perf_counter(), time.process_time()  # after the imports
    batches = epochs = 0
    callbacks.on_train_begin()
    while not model.stop_training and os.getppid() == parent and time.perf_counter() - t0 < MAX_WORKER_SECONDS:
        batches += _epoch(callbacks, model, epochs, batch_s, rng)
        epochs += 1
    callbacks.on_train_end()
    done.set()
    store.finish(run_id, STOPPED, {"accuracy": 0.9})
    seconds = time.perf_counter() - t0
    print(f"{batches} {epochs} {seconds:.3f} {int(logger.stopped)} {time.process_time() - cpu0:.3f}", flush=True)


# ---------------------------------------------------------------------------------------------- the set-up


def historical_runs(store, runs: int = 1000, epochs: int = 100) -> None:
    """``runs`` finished runs of ``epochs`` epochs (4 series each), through the store's own ``add_runs``."""
    from evalcore.runs import FINISHED, keys
    from evalcore.runs.entities import RunRecord, Series
    from evalcore.training.config import Dropout, TrainConfig

    rng = np.random.default_rng(0)
    steps = np.arange(epochs)
    walls = np.full(epochs, 1e9)
    for start in range(0, runs, 100):
        records = []
        for i in range(start, min(runs, start + 100)):
            loss = np.exp(-steps / 30) + rng.normal(0, 0.02, epochs)
            values = {keys.epoch_key("loss"): loss, keys.epoch_key("loss", True): loss + 0.1,
                      keys.epoch_key("accuracy"): 1 - loss / 2, keys.epoch_key("accuracy", True): 0.95 - loss / 2}
            config = TrainConfig(dataset="digits", seed=i, dropout=Dropout(enabled=bool(i % 2))).to_dict()
            records.append(RunRecord(
                name=f"run {i}", kind="train", status=FINISHED, config=config, created=1e9 + i, started=1e9 + i,
                ended=1e9 + i + 60, summary={"accuracy": 0.9},
                series={k: Series(steps, steps, v, walls) for k, v in values.items()}))
        store.add_runs(records)


class Team:
    """The synthetic workers: started, waited for, stopped, counted."""

    def __init__(self, store, count: int, batch_s: float, folder: str):
        from evalcore.training.config import TrainConfig

        self.store, self.folder = store, folder
        self.run_ids = [store.create_run(f"team worker {i}", "train", TrainConfig(dataset="mnist").to_dict())
                        for i in range(count)]
        env = {**os.environ, "EVALCORE_STORE": store.uri, "PYTHONPATH": str(ROOT)}
        self.logs = [open(Path(folder) / f"worker-{i}.log", "w") for i in range(count)]  # noqa: SIM115
        self.processes = [subprocess.Popen([sys.executable, "-m", "bench.team_load", "--worker", str(run_id),
                                            "--batch-ms", str(batch_s * 1000)], cwd=ROOT, env=env,
                                           stdout=subprocess.PIPE, stderr=log, text=True)
                          for run_id, log in zip(self.run_ids, self.logs)]

    def wait_running(self, timeout: float = 300.0) -> float:
        """Seconds until every worker's run is running and has logged its first batch points."""
        from evalcore.runs import keys
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < timeout:
            self._check_alive()
            if all(keys.batch_key("loss") in self.store.series(r, [keys.batch_key("loss")]) for r in self.run_ids):
                return time.perf_counter() - t0
            time.sleep(1.0)
        raise RuntimeError("the synthetic workers did not all start logging in time")

    def _check_alive(self) -> None:
        for i, p in enumerate(self.processes):
            if p.poll() is not None:
                tail = (Path(self.folder) / f"worker-{i}.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"synthetic worker {i} ended early ({p.returncode}):\n{tail}")

    def stop(self, timeout: float = 60.0) -> list[str]:
        """Set every worker's stop flag (the real stop), wait for them; each one's report line."""
        for run_id in self.run_ids:
            self.store.request_stop(run_id)
        return [p.communicate(timeout=timeout)[0].strip() for p in self.processes]

    def kill(self) -> None:
        """Whatever is still running (an error or Ctrl-C): terminated, then killed."""
        for p in self.processes:
            if p.poll() is None:
                p.terminate()
        for p in self.processes:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        for log in self.logs:
            log.close()


# ---------------------------------------------------------------------------------------------- the measurements


class TimedStore:
    """A store whose stop-flag reads and point writes are timed (what the logger waits for in the training loop);
    every other call goes straight through. Costs about a microsecond a call, on both stores alike."""

    def __init__(self, store):
        self.store = store
        self.reads: list[float] = []
        self.writes: list[float] = []

    def __getattr__(self, name):
        return getattr(self.store, name)

    def stop_requested(self, run_id: int) -> bool:
        t0 = time.perf_counter()
        try:
            return self.store.stop_requested(run_id)
        finally:
            self.reads.append(time.perf_counter() - t0)

    def log_points(self, run_id: int, points) -> None:
        t0 = time.perf_counter()
        try:
            self.store.log_points(run_id, points)
        finally:
            self.writes.append(time.perf_counter() - t0)


def logging_overhead(pg_store, repeats: int) -> tuple[dict[str, float], list[float]]:
    """Median s/epoch of the same fit with no logger, LiveLogger on local SQLite, LiveLogger on PostgreSQL; and the
    rounds' PostgreSQL / SQLite ratios (a round's fits run seconds apart)."""
    import keras

    from evalcore.runs import FINISHED, RUNNING, SqliteRunStore
    from evalcore.training import datasets
    from evalcore.training.callbacks import LiveLogger
    from evalcore.training.config import TrainConfig
    from evalcore.training.model import build_model, optimizer

    config = TrainConfig(dataset="mnist", epochs=3, train_size=2400)
    data = datasets.load("mnist", train_size=config.train_size)
    with tempfile.TemporaryDirectory(prefix="evalcore-team-sqlite-") as folder:
        stores = {"plain": None, "sqlite": SqliteRunStore(folder), "postgresql": pg_store}
        waits: dict[str, list[tuple[float, float, float, float]]] = {"sqlite": [], "postgresql": []}

        def fit(arm: str) -> float:
            keras.utils.set_random_seed(0)
            model = build_model(config, data.input_shape, 10, "image")
            model.compile(optimizer=optimizer(config), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(data.x_train[:64], data.y_train[:64], epochs=1, verbose=0)  # build and trace outside
            store, callbacks, run_id = stores[arm], [], 0
            if store is not None:
                run_id = store.create_run(f"bench {arm}", "train", config.to_dict())
                store.set_status(run_id, RUNNING, pid=os.getpid())
                timed_store = TimedStore(store)
                callbacks = [LiveLogger(timed_store, run_id, config.batch_log_seconds)]
            t0 = time.perf_counter()
            model.fit(data.x_train, data.y_train, validation_data=(data.x_val, data.y_val), epochs=config.epochs,
                      batch_size=config.batch_size, callbacks=callbacks, verbose=0)
            seconds = (time.perf_counter() - t0) / config.epochs
            if store is not None:
                store.finish(run_id, FINISHED, {})
                waits[arm].append((sum(timed_store.reads) / config.epochs, sum(timed_store.writes) / config.epochs,
                                   len(timed_store.reads) / config.epochs, len(timed_store.writes) / config.epochs))
            return seconds

        arms = list(stores)
        for arm in arms:  # the process's first fits trace and warm up more than the 64-row fit does: not timed
            fit(arm)
        waits = {arm: [] for arm in waits}
        times: dict[str, list[float]] = {arm: [] for arm in arms}
        for i in range(repeats):  # rotate (and reverse) the order, so warm-up and drift favour no arm
            order = arms[i % 3:] + arms[:i % 3]
            for arm in (order if i % 2 == 0 else order[::-1]):
                times[arm].append(fit(arm))
        paired = (np.array(times["postgresql"]) / np.array(times["sqlite"])).tolist()
        medians = {arm: float(np.median(t)) for arm, t in times.items()}
        for arm, w in waits.items():  # per epoch: read seconds, write seconds, reads, writes (medians over fits)
            medians.update(zip((f"{arm} reads s", f"{arm} writes s", f"{arm} reads", f"{arm} writes"),
                               np.median(np.array(w), axis=0).tolist()))
        return medians, paired


def call_costs(pg_store, calls: int = 300) -> dict[str, tuple[tuple[float, float], tuple[float, float]]]:
    """(median, mean) seconds of one stop-flag read and one flush (2 batch points) on each store, under the load,
    called back to back."""
    from evalcore.runs import Point, SqliteRunStore, keys

    def median(fn) -> tuple[float, float]:
        out = []
        for _ in range(calls):
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
        return float(np.median(out)), float(np.mean(out))

    points = [Point(keys.batch_key("loss"), 1, 0, 0.5, time.time()), Point(keys.batch_key("accuracy"), 1, 0, 0.5,
                                                                            time.time())]
    with tempfile.TemporaryDirectory(prefix="evalcore-team-sqlite-") as folder:
        sqlite = SqliteRunStore(folder)
        runs = (("sqlite", sqlite, sqlite.create_run("calls", "train", {})),
                ("postgresql", pg_store, pg_store.create_run("calls", "train", {})))  # not a live worker's run
        return {name: (median(lambda: store.stop_requested(rid)), median(lambda: store.log_points(rid, points)))
                for name, store, rid in runs}


def pages(address: str, store, live: list[int]) -> dict[str, float]:
    """Best of 3: the runs table, the Runs page drawing it, comparing the 10 newest runs (live workers' runs),
    comparing 10 finished historical runs."""
    from streamlit.testing.v1 import AppTest

    from bench.evaluate_speed import timed
    from evalcore.runs.compare import runs_table

    out = {"table": timed(lambda: runs_table(store), 3)}
    ids = runs_table(store)["id"].tolist()  # the page's rows, newest first
    newest, finished = list(range(10)), list(range(len(live), len(live) + 10))  # live with >= 10 workers
    assert not {ids[i] for i in finished} & set(live), ids[:40]
    assert {ids[i] for i in range(min(10, len(live)))} <= set(live), ids[:40]  # the live runs come first
    os.environ["EVALCORE_STORE"] = address
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/runs.py").run()

    def page(rows: list[int]) -> None:
        at.session_state["runs_table"] = {"selection": {"rows": rows, "columns": []}}
        at.run()
        assert not at.exception, at.exception

    out["page"] = timed(lambda: page([]), 3)
    out["compare live"] = timed(lambda: page(newest), 3)
    out["compare finished"] = timed(lambda: page(finished), 3)
    return out


# ---------------------------------------------------------------------------------------------- the report


def load_average(when: str) -> None:
    one, five, fifteen = os.getloadavg()
    print(f"load average {when}: {one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min) on {os.cpu_count()} cores")


def report_overhead(t: dict[str, float], paired: list[float], repeats: int) -> None:
    ratio = t["postgresql"] / t["sqlite"]
    print(f"live logging overhead under the team load (MNIST, 2,400 training rows, batch 32, 3 epochs; median of "
          f"{repeats} each, rotating order)")
    print(f"  plain fit {t['plain']:.3f} s/epoch | LiveLogger on local SQLite {t['sqlite']:.3f} s/epoch "
          f"({100 * (t['sqlite'] / t['plain'] - 1):+.1f} %) | on PostgreSQL {t['postgresql']:.3f} s/epoch "
          f"({100 * (t['postgresql'] / t['plain'] - 1):+.1f} %)")
    print(f"  PostgreSQL / SQLite {ratio:.3f} (budget <= 1.05): {'within' if ratio <= 1.05 else 'OVER'} budget; "
          f"median of the rounds' own ratios {np.median(paired):.3f} ({' '.join(f'{r:.2f}' for r in paired)})")


def report_waits(t: dict[str, float]) -> None:
    print("what the logger waited for in those fits, per epoch (medians over the fits): stop-flag reads | writes")
    for arm in ("sqlite", "postgresql"):
        reads, writes = t[f"{arm} reads s"], t[f"{arm} writes s"]
        print(f"  {arm:<10} {t[f'{arm} reads']:.0f} reads {1e3 * reads:6.1f} ms | {t[f'{arm} writes']:.0f} writes "
              f"{1e3 * writes:6.1f} ms | {100 * (reads + writes) / t[arm]:.2f} % of its epoch")
    extra = sum(t[f"postgresql {k}"] - t[f"sqlite {k}"] for k in ("reads s", "writes s"))
    print(f"  PostgreSQL's store calls take {1e3 * extra:+.1f} ms per epoch more than SQLite's = "
          f"{100 * extra / t['sqlite']:+.2f} % of a SQLite-logged epoch (budget <= +5 %)")


def report_calls(costs: dict[str, tuple[tuple[float, float], tuple[float, float]]]) -> None:
    print("one call under the load, 300 back to back (median / mean): stop-flag read | flush of 2 points")
    for name, ((read, read_mean), (flush, flush_mean)) in costs.items():
        print(f"  {name:<10} {1e6 * read:6.0f} / {1e6 * read_mean:6.0f} us | {1e6 * flush:6.0f} / "
              f"{1e6 * flush_mean:6.0f} us")


def server_cpu(server) -> float:
    """CPU seconds the PostgreSQL server used so far: the postmaster and every ended backend (reaped by it)."""
    pid = int((server.data / "postmaster.pid").read_text().split()[0])
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def report_team(team: Team, lines: list[str], server_seconds: float) -> None:
    from evalcore.runs import keys
    print(f"synthetic workers: {len(lines)} processes; per worker: batches, epochs, s, batches/s, stopped by flag, "
          "batch/loss points + epoch/loss points of all points, final status")
    cpu = wall = 0.0
    for run_id, line in zip(team.run_ids, lines):
        batches, epochs, seconds, stopped, cpu_seconds = line.split()
        cpu, wall = cpu + float(cpu_seconds), max(wall, float(seconds))
        series = team.store.series(run_id)
        total = sum(len(s) for s in series.values())
        print(f"  run {run_id}: {batches} batches, {epochs} epochs, {float(seconds):.0f} s, "
              f"{int(batches) / float(seconds):.0f} batches/s, stopped {stopped == '1'}, "
              f"{len(series.get(keys.batch_key('loss'), ()))} + {len(series.get(keys.epoch_key('loss'), ()))} "
              f"of {total} points, {team.store.run(run_id).status}")
    print(f"CPU on this machine for {wall:.0f} s of load: the workers' clients {cpu:.0f} s ({cpu / wall:.2f} cores, "
          f"imports left out), the PostgreSQL server {server_seconds:.0f} s ({server_seconds / wall:.2f} cores)")


def durable(server) -> str:
    """Restart the test server as a team's would run: fsync and full-page writes on (the test server turns them
    off; SQLite's store fsyncs every commit). Returns the server's settings as it reports them."""
    import psycopg

    from tests.postgres import BIN
    options = f"-c listen_addresses=127.0.0.1 -p {server.port} -k {server.folder} -c max_connections=300"
    subprocess.run(server._as_owner(str(BIN / "pg_ctl"), "-D", str(server.data), "-o", options, "-m", "fast", "-w",
                                    "-l", str(server.folder / "server.log"), "restart"), check=True,
                   capture_output=True)
    with psycopg.connect(server.address("postgres")) as con:
        return ", ".join(f"{name} {con.execute(f'SHOW {name}').fetchone()[0]}"
                         for name in ("fsync", "full_page_writes", "synchronous_commit", "max_connections"))


def measure(server, args, folder: str) -> None:
    from evalcore.runs import open_store

    settings = durable(server) if args.fsync else "fsync off (the test server's settings)"
    name = server.new_database()
    address = server.address(name)
    store = open_store(address)
    t0 = time.perf_counter()
    historical_runs(store)
    print(f"PostgreSQL 15 on 127.0.0.1:{server.port} ({settings}); 1,000 finished runs x 100 epochs (400,000 points) written "
          f"with add_runs in {time.perf_counter() - t0:.1f} s")
    idle = pages(address, store, [])
    print(f"before the load, best of 3: runs table {idle['table']:.3f} s | Runs page drawing it {idle['page']:.3f} s | "
          f"comparing 10 finished runs {idle['compare finished']:.3f} s")
    server_before = server_cpu(server)
    team = Team(store, args.workers, args.batch_ms / 1000, folder)
    try:
        print(f"{args.workers} synthetic workers (LiveLogger via Keras' CallbackList, a batch every {args.batch_ms:g} ms, "
              f"{STEPS} batches an epoch) all logging after {team.wait_running():.0f} s")
        load_average("with the load running")
        t = pages(address, store, team.run_ids)
        print(f"under the load, with {len(store.runs())} runs in the store ({args.workers} live), best of 3 "
              "(budget < 1 s each):")
        print(f"  runs table (store.runs + summary query + frame): {t['table']:.3f} s")
        print(f"  Runs page run drawing the table: {t['page']:.3f} s")
        print(f"  Runs page run comparing 10 selected runs, the 10 newest (live): {t['compare live']:.3f} s")
        print(f"  Runs page run comparing 10 selected finished runs (100 epochs): {t['compare finished']:.3f} s")
        epochs, paired = logging_overhead(store, args.repeats)
        report_overhead(epochs, paired, args.repeats)
        report_waits(epochs)
        report_calls(call_costs(store))
        load_average("before stopping the workers")
        lines = team.stop()
        report_team(team, lines, server_cpu(server) - server_before)
    finally:
        team.kill()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=19)
    parser.add_argument("--repeats", type=int, default=8)
    parser.add_argument("--batch-ms", type=float, default=7.0)
    parser.add_argument("--no-fsync", dest="fsync", action="store_false",
                        help="keep the test server's fsync=off (a team's server fsyncs, as SQLite's store does)")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)  # a synthetic worker's run id
    args = parser.parse_args()
    if args.worker is not None:
        worker(args.worker, args.batch_ms / 1000)
        return
    from tests.postgres import PostgresServer

    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C stops cleanly, even when started ignoring it
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))    # so does kill: the finally blocks run
    load_average("at start")
    server = PostgresServer()
    try:
        server.start()
        with tempfile.TemporaryDirectory(prefix="evalcore-team-") as folder:
            measure(server, args, folder)
    finally:
        server.stop()
    load_average("at the end")


if __name__ == "__main__":
    main()
