"""A damaged or unwritable run store: the CLI says what is wrong, which file and what to do (never a traceback);
`store check` finds the damage, `store backup` copies a store in use, `store recover` rebuilds a damaged one from
every readable run and keeps the damaged file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from evalcore.runs import Point, SqliteRunStore
from evalcore.runs.maintenance import check_file
from evalcore.runs.sqlite_store import SCHEMA_VERSION
from tests import stores
from tests.waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "evalcore/samples/breast_cancer.csv"


def cli(home: Path, *args: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    env = {**os.environ, "EVALCORE_HOME": str(home)}
    return subprocess.run([*prefix, sys.executable, "-m", "evalcore", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("damage", sorted(stores.DAMAGED))
def test_the_cli_explains_a_damaged_store(tmp_path, damage):
    path = stores.DAMAGED[damage](tmp_path)
    out = cli(tmp_path, "runs")
    assert out.returncode == 2, out.stderr
    assert str(path) in out.stderr and "Fix:" in out.stderr and "Traceback" not in out.stderr, out.stderr
    check = cli(tmp_path, "store", "check")
    assert check.returncode in (1, 2) and "Traceback" not in check.stderr + check.stdout, check.stderr
    if damage == "newer schema":
        assert f"schema version {SCHEMA_VERSION + 1}" in check.stdout
    else:
        assert "damaged" in check.stdout, check.stdout
    assert cli(tmp_path, "evaluate", str(SAMPLE)).returncode == 0  # evaluating needs no store


def test_check_on_a_healthy_store(tmp_path):
    stores.healthy(tmp_path, runs=3)
    out = cli(tmp_path, "store", "check")
    assert out.returncode == 0 and "runs: 3, points: 240" in out.stdout and out.stdout.strip().endswith("ok")


def test_check_lists_runs_with_bad_fields(tmp_path):
    stores.with_bad_rows(tmp_path)
    out = cli(tmp_path, "store", "check")
    assert out.returncode == 1
    for column in stores.BAD_ROWS:
        assert f"bad {column}" not in out.stdout  # runs are named by id, with the field at fault
    assert "config: not valid JSON" in out.stdout and "created: 'yesterday' is not a time" in out.stdout
    runs = cli(tmp_path, "runs")
    assert runs.returncode == 0 and "damaged: config: not valid JSON" in runs.stdout


@pytest.mark.parametrize("damage", ["truncated", "garbage in the middle"])
def test_recover_rebuilds_the_store_from_every_readable_run_and_keeps_the_damaged_file(tmp_path, damage):
    stores.DAMAGED[damage](tmp_path)
    before = check_file(tmp_path / "runs.sqlite")
    assert before.integrity
    out = cli(tmp_path, "store", "recover")
    assert out.returncode == 0, out.stderr
    assert "recovered" in out.stdout
    damaged = list(tmp_path.glob("runs.damaged-*.sqlite"))
    assert len(damaged) == 1 and damaged[0].stat().st_size > 0
    after = cli(tmp_path, "store", "check")
    assert after.returncode == 0, after.stdout
    store = SqliteRunStore(tmp_path)
    runs = store.runs()
    assert 0 < len(runs) <= 30
    assert all(r.name.startswith("run ") for r in runs)  # the same runs with the same ids and names
    assert {r.id for r in runs} <= set(range(1, 31))
    store.log_points(runs[0].id, [Point("epoch/extra", 99, 99, 0.1)])  # and it takes writes again


def test_backup_while_a_worker_writes(tmp_path):
    stores.healthy(tmp_path, runs=2)
    writer = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\n"
        "from evalcore.runs import Point, SqliteRunStore\n"
        "store = SqliteRunStore(sys.argv[1]); run = store.create_run('live', 'train', {})\n"
        "for i in range(4000):\n"
        "    store.log_points(run, [Point('batch/loss', i, 0, 0.5)])\n"), str(tmp_path)], cwd=ROOT)
    store = SqliteRunStore(tmp_path)
    try:
        wait_for(lambda: len(store.runs()) == 3 and len(store.series(store.runs()[0].id)) == 1 and
                 len(store.series(store.runs()[0].id)["batch/loss"].steps) >= 200, 60, "the writer's points")
        out = cli(tmp_path, "store", "backup", str(tmp_path / "copy.sqlite"))
    finally:
        writer.kill()
        writer.wait()
    assert out.returncode == 0, out.stderr
    copy = check_file(tmp_path / "copy.sqlite")
    assert copy.ok and copy.runs == 3 and copy.points >= 160 + 200
    again = cli(tmp_path, "store", "backup", str(tmp_path / "copy.sqlite"))
    assert again.returncode == 2 and "already exists" in again.stderr


def _read_only(folder: Path) -> tuple[str, ...]:
    """Run a command with ``folder`` mounted read-only (a private mount namespace; root cannot write there)."""
    return ("unshare", "-m", "sh", "-c", f'mount --bind -o ro "{folder}" "{folder}" && exec "$0" "$@"')


def test_a_read_only_home_is_explained_and_evaluate_still_works(tmp_path):
    home = tmp_path / "home"
    stores.healthy(home, runs=2)
    ro = _read_only(tmp_path)
    probe = subprocess.run([*ro, "touch", str(home / "x")], capture_output=True, text=True)
    assert probe.returncode != 0 and "Read-only" in probe.stderr, probe.stderr  # the folder really is read-only
    out = cli(home, "runs", prefix=ro)
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert str(home) in out.stderr and "cannot be written" in out.stderr and "EVALCORE_HOME" in out.stderr
    fresh = cli(tmp_path / "new-home", "runs", prefix=ro)
    assert fresh.returncode == 2 and "cannot be written" in fresh.stderr, fresh.stderr
    assert cli(home, "evaluate", str(SAMPLE), prefix=ro).returncode == 0


def test_recover_keeps_odd_but_readable_rows_and_never_reuses_a_lost_runs_id(tmp_path):
    import sqlite3

    store = stores.healthy(tmp_path, runs=3)
    store.set_summary(1, {"r2_interval": [float("nan"), 0.5]})  # a saved regression evaluation of 2 rows
    with sqlite3.connect(store.path) as con:
        con.execute("INSERT INTO points (run_id, key, step, epoch, value, wall) VALUES (2, 'epoch/x', 0, 0, 'abc', 0)")
        con.execute("DELETE FROM runs WHERE id = 3")  # a row lost to the damage; its folder remains
    (tmp_path / "runs" / "3").mkdir(parents=True)
    (tmp_path / "runs" / "3" / "model.keras").write_text("the lost run's file")
    out = cli(tmp_path, "store", "recover")
    assert out.returncode == 0, out.stderr
    recovered = SqliteRunStore(tmp_path)
    assert [r.id for r in recovered.runs()] == [2, 1]
    new = recovered.create_run("after recovery", "train", {})
    assert new == 4 and (tmp_path / "runs" / "3" / "model.keras").exists()


@pytest.mark.parametrize("case", ["not sqlite", "newer schema", "a live worker"])
def test_recover_refuses_and_changes_nothing(tmp_path, case):
    if case == "not sqlite":
        path = stores.not_a_database(tmp_path)
    elif case == "newer schema":
        path = stores.newer_schema(tmp_path)
    else:
        store = stores.healthy(tmp_path, runs=1)
        live = store.create_run("live", "train", {})
        from evalcore.runs import RUNNING
        store.set_status(live, RUNNING, pid=os.getpid())
        store.heartbeat(live)
        path = store.path
    before = path.read_bytes()
    out = cli(tmp_path, "store", "recover")
    assert out.returncode == 2 and "Fix:" in out.stderr and "Traceback" not in out.stderr, out.stderr
    assert path.read_bytes() == before and not list(tmp_path.glob("runs.damaged-*"))
    assert len(out.stderr) < 2000


def test_the_store_commands_work_on_the_store_evalcore_store_names(tmp_path):
    other = tmp_path / "team" / "other.sqlite"
    SqliteRunStore(other.parent, file_name=other.name).create_run("in the other store", "train", {})
    env = ("env", f"EVALCORE_STORE=sqlite:///{other}")
    out = cli(tmp_path / "home", "store", "check", prefix=env)
    assert out.returncode == 0 and "other.sqlite" in out.stdout, out.stdout + out.stderr
    out = cli(tmp_path / "home", "store", "backup", str(tmp_path / "copy.sqlite"), prefix=env)
    assert out.returncode == 0 and "backed up 1 run(s)" in out.stdout, out.stdout + out.stderr
    out = cli(tmp_path / "home", "store", "check", prefix=("env", "EVALCORE_STORE=postgresql://me:pw@db/runs"))
    assert out.returncode == 2 and "SQLite's own" in out.stderr and "pw@" not in out.stderr
