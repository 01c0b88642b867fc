"""What is particular to the PostgreSQL store (the contract suite checks the rest): its address, its migrations,
credentials kept out of every message, many writers with a reader that holds a snapshot, artifacts another
process reads, a lost connection. Against the real test server of ``tests/postgres.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import traceback
from pathlib import Path

import psycopg
import pytest

from evalcore.errors import InputError, StoreError
from evalcore.runs import Point, open_store
from evalcore.runs.postgresql_store import MIGRATIONS, SCHEMA_VERSION, PostgresRunStore, parse_address
from tests.postgres import SERVER, PostgresServer

SECRET = "hunter2-Secret"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def database() -> str:
    return SERVER.new_database()


def test_the_address_is_parsed_and_its_public_form_has_no_password():
    uri, params = parse_address(f"me:{SECRET}@db.example:6543/runs?sslmode=require&connect_timeout=3")
    assert uri == "postgresql://me@db.example:6543/runs?connect_timeout=3&sslmode=require"
    assert params["password"] == SECRET and params["host"] == "db.example" and params["port"] == "6543"
    assert parse_address("p%40ss@host/my%20db")[0] == "postgresql://p%40ss@host/my%20db"
    assert parse_address("/runs?host=/run/postgresql")[0] == "postgresql:///runs?host=%2Frun%2Fpostgresql"
    with pytest.raises(InputError, match="names its database"):
        parse_address(f"me:{SECRET}@db.example")
    with pytest.raises(InputError, match="libpq cannot read") as info:
        parse_address(f"me:{SECRET}@db.example/runs?no_such_option=1")
    assert SECRET not in str(info.value)


def test_parameters_of_the_address_reach_the_connection(database):
    store = open_store(SERVER.address(database) + "?connect_timeout=3&application_name=mine")
    assert store.uri.endswith("?application_name=mine&connect_timeout=3")
    with psycopg.connect(SERVER.address(database), autocommit=True) as con:
        store.runs()
        names = {r[0] for r in con.execute("SELECT application_name FROM pg_stat_activity WHERE datname = %s",
                                           (database,))}
    assert "mine" in names


def test_a_new_database_gets_the_schema_and_an_old_one_is_migrated(database):
    with psycopg.connect(SERVER.address(database), autocommit=True) as con:  # a store as version 1 wrote it
        con.execute("CREATE TABLE evalcore_schema (version INTEGER NOT NULL)")
        con.execute("INSERT INTO evalcore_schema VALUES (1)")
        for statement in MIGRATIONS[0].split(";"):
            if statement.strip():
                con.execute(statement.encode())
        con.execute("INSERT INTO runs (name, kind, status, config, created) VALUES ('old', 'train', 'finished', "
                    "'{}', 1.7e9)")
    store = open_store(SERVER.address(database))
    assert isinstance(store, PostgresRunStore) and store.schema_version() == SCHEMA_VERSION == 3
    old = store.runs()[0]
    assert (old.name, old.tags, old.note, old.problems) == ("old", (), "", ())
    assert (old.executor, old.node) == ("local", "")
    store.edit(old.id, tags=["kept"])
    assert open_store(store.uri).run(old.id).tags == ("kept",)  # opening again migrates nothing


def test_many_stores_opening_a_new_database_at_once_migrate_it_once(database):
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            open_store(SERVER.address(database)).create_run("r", "train", {})
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors and len(open_store(SERVER.address(database)).runs()) == 6


def test_a_newer_schema_is_refused(database):
    store = open_store(SERVER.address(database))
    with psycopg.connect(SERVER.address(database), autocommit=True) as con:
        con.execute("UPDATE evalcore_schema SET version = 99")
    with pytest.raises(StoreError, match="version 99"):
        open_store(store.uri)


def test_the_password_never_appears_in_the_address_repr_or_any_error(database):
    store = open_store(SERVER.address(database, password=SECRET))  # the test server trusts any password
    assert SECRET not in store.uri and SECRET not in repr(store) and store.uri == SERVER.address(database)
    run_id = store.create_run("r", "train", {})
    assert open_store(store.uri).run(run_id).name == "r"  # the address without the password reopens it

    messages = []
    for address in (f"postgresql://postgres:{SECRET}@127.0.0.1:1/{database}",      # nothing listens
                    SERVER.address("no_such_database", password=SECRET)):
        with pytest.raises(StoreError) as info:
            open_store(address)
        messages.append(info)
    assert "no PostgreSQL server answering" in str(messages[0].value)
    assert "no database of that name" in str(messages[1].value)
    SERVER.drop_database(database)
    with pytest.raises(StoreError, match="lost connection|no database") as lost:
        store.runs()
    messages.append(lost)
    for info in messages:
        text = "".join(traceback.format_exception(info.value))  # what a log would hold, the chain included
        assert SECRET not in text and "Fix:" in str(info.value)


def test_many_writers_and_a_reader_holding_a_snapshot_never_block_each_other(database):
    store = open_store(SERVER.address(database))
    run_ids = [store.create_run(f"w{i}", "train", {}) for i in range(6)]
    reader = psycopg.connect(SERVER.address(database))  # a long read: an open transaction with a snapshot
    reader.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    assert reader.execute("SELECT COUNT(*) FROM points").fetchone() == (0,)
    errors: list[BaseException] = []

    def write(run_id: int) -> None:
        own = open_store(store.uri)  # a worker: its own store and connection
        try:
            for start in range(0, 500, 50):
                own.log_points(run_id, [Point("batch/loss", s, 0, s / 500) for s in range(start, start + 50)])
                own.heartbeat(run_id)
                own.stop_requested(run_id)
        except BaseException as exc:
            errors.append(exc)

    writers = [threading.Thread(target=write, args=(run_id,)) for run_id in run_ids]
    for t in writers:
        t.start()
    for t in writers:
        t.join(60)
    assert not errors and not any(t.is_alive() for t in writers)  # done while the reader's snapshot is open
    assert reader.execute("SELECT COUNT(*) FROM points").fetchone() == (0,)  # it still sees its snapshot
    reader.close()
    assert all(store.series(r)["batch/loss"].steps.tolist() == list(range(500)) for r in run_ids)
    summaries = store.series_summaries(["batch/loss"])
    assert {summaries[(r, "batch/loss")].count for r in run_ids} == {500}


def test_artifacts_live_in_the_database_and_another_process_reads_them(database, tmp_path):
    store = open_store(SERVER.address(database))
    run_id = store.create_run("r", "train", {})
    store.put_artifact(run_id, "predictions", b"y_true,score\n1,0.9\n", "predictions.csv")
    code = ("import sys; from evalcore.runs import open_store; "
            "sys.stdout.buffer.write(open_store(sys.argv[1]).open_artifact(int(sys.argv[2]), 'predictions').read())")
    out = subprocess.run([sys.executable, "-c", code, store.uri, str(run_id)], capture_output=True, check=True)
    assert out.stdout == b"y_true,score\n1,0.9\n"
    assert not any(tmp_path.iterdir())  # nothing written beside the database


def test_a_lost_connection_is_one_store_error_then_opened_again(database):
    store = open_store(SERVER.address(database))
    run_id = store.create_run("r", "train", {})
    assert not store.stop_requested(run_id)
    SERVER.admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'")
    with pytest.raises(StoreError, match="lost connection"):
        store.stop_requested(run_id)
    assert not store.stop_requested(run_id) and store.run(run_id).name == "r"


def test_a_server_that_stops_is_a_store_error_that_says_to_start_it():
    own = PostgresServer()  # a server of this test's own, stopped under the store
    try:
        store = open_store(own.address(own.new_database()))
        run_id = store.create_run("r", "train", {})
        own.stop()
        for call in (lambda: store.stop_requested(run_id), store.runs, lambda: store.heartbeat(run_id)):
            with pytest.raises(StoreError, match="Fix: (check that the server is running|start the server)"):
                call()
    finally:
        own.stop()


def test_a_password_checked_by_the_server_reaches_it_and_the_workers_but_no_message(
        monkeypatch):
    own = PostgresServer(host_auth="scram-sha-256")  # TCP connections must give the right password
    try:
        database = own.new_database()
        own.admin(f"ALTER USER postgres PASSWORD '{SECRET}'")
        monkeypatch.delenv("PGPASSWORD", raising=False)
        store = open_store(own.address(database, password=SECRET))
        run_id = store.create_run("r", "train", {})
        assert SECRET not in store.uri and SECRET not in repr(store)
        with pytest.raises(StoreError, match="refused the user name or password") as wrong:
            open_store(own.address(database, password="not-" + SECRET))
        with pytest.raises(StoreError, match="PGPASSWORD") as missing:  # the address alone: no password
            open_store(store.uri)
        for info in (wrong, missing):
            assert SECRET not in "".join(traceback.format_exception(info.value))
        from evalcore.training.launch import worker_environment
        env = worker_environment(store)  # a worker started by this store gets the password in its environment
        assert env["EVALCORE_STORE"] == store.uri and env["PGPASSWORD"] == SECRET
        code = "from evalcore.runs import open_store; print(open_store().run(%d).name)" % run_id
        worker = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
        assert worker.returncode == 0 and worker.stdout.strip() == "r", worker.stderr
        monkeypatch.setenv("PGPASSWORD", SECRET)  # how another process gets it
        assert open_store(store.uri).run(run_id).name == "r"
    finally:
        own.stop()


def _page_text(at) -> str:
    """Everything the page sent to the browser (every element's message), as text."""
    parts = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)
    walk(at._tree)
    return "\n".join(parts)


def test_the_password_shows_nowhere_a_person_looks_pages_cli_exports_or_a_worker_log(monkeypatch, tmp_path):
    own = PostgresServer(host_auth="scram-sha-256")  # the server checks the password: it really travels
    try:
        database = own.new_database()
        own.admin(f"ALTER USER postgres PASSWORD '{SECRET}'")
        monkeypatch.delenv("PGPASSWORD", raising=False)
        address = own.address(database, password=SECRET)
        monkeypatch.setenv("EVALCORE_STORE", address)  # what a team sets for the dashboard and the CLI
        from evalcore.runs import FINISHED, exchange
        from evalcore.training import launch
        from evalcore.training.config import TrainConfig
        from streamlit.testing.v1 import AppTest
        from tests.waiting import wait_for
        store = open_store(address)
        run_id = launch.start(TrainConfig(dataset="iris", epochs=2), store, name="shared run")
        assert wait_for(lambda: not store.run(run_id).active and store.run(run_id), 120,
                        "the worker's end").status == FINISHED  # the worker logged in with the password
        seen = {}
        for page in ("pages/train.py", "pages/runs.py"):
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
            at.switch_page(page).run()
            if page == "pages/runs.py":
                at.session_state["runs_table"] = {"selection": {"rows": [0], "columns": []}}
                at.run()
            assert not at.exception, at.exception
            seen[page] = _page_text(at)
        assert "shared run" in seen["pages/runs.py"]  # the page text is really read
        seen["export"] = exchange.export_json(store, [run_id]) + exchange.export_runs_csv(store, [run_id])
        for args in (["runs"], ["store", "check"], ["--store", address, "runs"], ["--store", address + "x", "runs"]):
            cli = subprocess.run([sys.executable, "-m", "evalcore", *args], capture_output=True, text=True,
                                 timeout=60, cwd=ROOT, env={**os.environ, "EVALCORE_STORE": address})
            seen[" ".join(args)] = cli.stdout + cli.stderr
        assert "shared run" in seen["runs"]
        seen["worker log"] = (launch.run_workspace(store, run_id) / "worker.log").read_text(errors="replace")
        seen["stored files"] = "".join(store.open_artifact(run_id, name).read().decode("utf-8", "replace")
                                       for name in store.artifacts(run_id) if name != "model")
        assert [where for where, text in seen.items() if SECRET in text] == []
    finally:
        own.stop()
