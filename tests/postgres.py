"""A real PostgreSQL server for the tests: Debian's ``postgresql`` 15, ``initdb`` and ``pg_ctl`` into a temporary
folder, listening on 127.0.0.1 on a free port (and a socket in that folder), started on first use and stopped at
the session's end (``tests/contract/conftest.py``). Each test gets a database of its own.

PostgreSQL refuses to run as root, and the tests run as root in CI: as root, the server runs as the ``postgres``
user (``runuser``). The server trusts local connections (by default also those over TCP) and skips fsync (a test server; the store itself asks
for ``synchronous_commit``). Each pytest-xdist worker starts its own server.
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import threading
from pathlib import Path

BIN = Path("/usr/lib/postgresql/15/bin")
SUPERUSER = "postgres"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """One test server (see the module's description)."""

    def __init__(self, host_auth: str = "trust") -> None:
        self.host_auth = host_auth  # how TCP connections authenticate (scram-sha-256: a password is checked)
        self.folder = self.data = Path()  # made by start(): importing this module leaves nothing behind
        self.port = 0
        self._names = itertools.count()
        self._lock = threading.Lock()
        self.started = False

    def _as_owner(self, *args: str) -> list[str]:
        return ["runuser", "-u", SUPERUSER, "--", *args] if os.geteuid() == 0 else list(args)

    def start(self) -> None:
        if not (BIN / "initdb").exists():
            raise RuntimeError(f"PostgreSQL 15 is not installed ({BIN}/initdb): apt-get install postgresql")
        self.folder = Path(tempfile.mkdtemp(prefix="evalcore-pg-"))
        self.data = self.folder / "data"
        if os.geteuid() == 0:
            shutil.chown(self.folder, SUPERUSER, SUPERUSER)
        subprocess.run(self._as_owner(str(BIN / "initdb"), "-D", str(self.data), "--auth-local=trust",
                                      f"--auth-host={self.host_auth}", "-U", SUPERUSER,
                                      "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"),
                       check=True, capture_output=True)
        for _ in range(3):  # a free port may be taken between the look and the start
            self.port = _free_port()
            options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off "
                       "-c full_page_writes=off -c max_connections=300")
            done = subprocess.run(self._as_owner(str(BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-w",
                                                 "-l", str(self.folder / "server.log"), "start"),
                                  capture_output=True)
            if done.returncode == 0:
                self.started = True
                atexit.register(self.stop)
                return
        log = (self.folder / "server.log").read_text(errors="replace")[-2000:]
        shutil.rmtree(self.folder, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {log}")

    def stop(self) -> None:
        if self.started:
            self.started = False
            subprocess.run(self._as_owner(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                                          "stop"), capture_output=True)
            shutil.rmtree(self.folder, ignore_errors=True)

    def address(self, database: str, password: str | None = None) -> str:
        secret = f":{password}" if password else ""
        return f"postgresql://{SUPERUSER}{secret}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        """Run one statement as the superuser in the ``postgres`` database (CREATE/DROP DATABASE)."""
        import psycopg
        with psycopg.connect(dbname="postgres", user=SUPERUSER, host=str(self.folder), port=self.port,
                             autocommit=True) as con:  # the socket: trusted, whatever host_auth says
            con.execute(sql.encode())

    def new_database(self) -> str:
        """A new empty database; its name."""
        with self._lock:
            if not self.started:
                self.start()
            name = f"t{os.getpid()}_{next(self._names)}"
        self.admin(f"CREATE DATABASE {name}")
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, ending its connections (a store on it is then unusable)."""
        self.admin(f"DROP DATABASE {name} WITH (FORCE)")


SERVER = PostgresServer()  # started on first use: a run of the SQLite tests alone never starts it
