"""A real two-node Ray cluster for the tests, on 127.0.0.1, in the network namespace of the test process.

Ray binds to the machine's network address even when told 127.0.0.1, so the Ray tests run in a network namespace
of their own that has only loopback (``make test`` runs them under ``unshare -n`` after ``ip link set lo up``;
:func:`loopback_only` checks that). The head starts with ``ray start --head --node-ip-address=127.0.0.1`` and one
CPU; a second node joins it with ``ray start --address``, also with one CPU, so that two one-CPU runs must use both.

Every process of the cluster carries a marker in its environment (Ray's processes inherit the environment of the
``ray start`` that began them): :meth:`RayCluster.kill_node` kills one node's processes and :meth:`RayCluster.stop`
all of this cluster's, never another Ray on the machine (``ray stop`` would stop every one).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

BIN = Path(sys.executable).parent
GCS_PORT, CLIENT_PORT = 6379, 10001  # free: the namespace has its own ports
MARK = "EVALCORE_TEST_RAY"
# No token from this machine's ~/.ray (a local ray.init() writes one there): the cluster and its client agree on
# no authentication, inside a namespace that nothing outside it can reach.
ISOLATED = {"RAY_AUTH_MODE": "disabled"}


def loopback_only() -> bool:
    """The only network interface here is loopback (a namespace made by ``unshare -n``)."""
    return [name for _, name in socket.if_nameindex()] == ["lo"]


def _processes_marked(value: str) -> list[int]:
    """Pids whose environment holds ``MARK=value``."""
    wanted = f"{MARK}={value}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                with open(f"/proc/{entry}/environ", "rb") as f:
                    if wanted in f.read().split(b"\0"):
                        found.append(int(entry))
            except OSError:
                continue
    return found


class RayCluster:
    """A head and a second node (see the module's description)."""

    def __init__(self, environment: dict[str, str] | None = None) -> None:
        self.name = uuid.uuid4().hex[:8]
        self.folder = Path(tempfile.mkdtemp(prefix="evalcore-ray-"))
        self.environment = {**os.environ, **(environment or {}), **ISOLATED, "HOME": str(self.folder),
                            "RAY_USAGE_STATS_ENABLED": "0",
                            # a dead node is noticed within seconds (Ray's default is about half a minute)
                            "RAY_health_check_period_ms": "1000", "RAY_health_check_failure_threshold": "3",
                            "RAY_health_check_initial_delay_ms": "1000"}
        self.address = f"ray://127.0.0.1:{CLIENT_PORT}"

    def _start(self, node: str, *args: str) -> None:
        env = {**self.environment, MARK: f"{self.name}-{node}"}
        done = subprocess.run([str(BIN / "ray"), "start", "--node-ip-address=127.0.0.1", "--num-cpus=1",
                               "--disable-usage-stats", *args], env=env, capture_output=True, text=True,
                              timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"ray start ({node}) failed: {done.stdout[-3000:]}{done.stderr[-3000:]}")

    def start(self) -> RayCluster:
        self._start("head", "--head", f"--port={GCS_PORT}", f"--ray-client-server-port={CLIENT_PORT}",
                    "--include-dashboard=false", f"--temp-dir={self.folder}")
        self._start("second", f"--address=127.0.0.1:{GCS_PORT}")
        self._wait_for_client_server()
        return self

    def _wait_for_client_server(self, timeout: float = 120) -> None:
        """Block until a Ray Client connection with a runtime environment succeeds. ``ray start`` returns before
        the head's runtime-environment agent answers; a first client in that window (CI, right after the main
        suite) was refused with "Starting Ray client server failed"."""
        probe = ("import ray; ray.init(address=%r, runtime_env={'env_vars': {'PROBE': '1'}}, "
                 "logging_level='ERROR', log_to_driver=False); ray.shutdown()" % self.address)
        deadline = time.monotonic() + timeout
        while True:
            done = subprocess.run([sys.executable, "-c", probe], env={**self.environment, MARK: ""},
                                  capture_output=True, text=True, timeout=timeout)
            if done.returncode == 0:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"the Ray client server at {self.address} never accepted a connection: "
                                   f"{done.stderr[-3000:]}")
            time.sleep(1)

    def pids(self, node: str) -> list[int]:
        return _processes_marked(f"{self.name}-{node}")

    def kill_node(self, node: str) -> int:
        """Kill every process of one node at once (``second`` or ``head``), as a machine that dies; returns how
        many there were."""
        pids = self.pids(node)
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        return len(pids)

    def stop(self) -> None:
        """Stop this cluster's processes (and only them), then remove its folder."""
        for node in ("second", "head"):
            for pid in self.pids(node):
                try:
                    os.kill(pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 3  # a test cluster: what has not ended by then is killed
        while time.monotonic() < deadline and (self.pids("second") or self.pids("head")):
            time.sleep(0.2)
        self.kill_node("second")
        self.kill_node("head")
        shutil.rmtree(self.folder, ignore_errors=True)
