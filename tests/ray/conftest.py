"""The Ray tests: a real two-node Ray cluster (``tests/ray_cluster.py``) with a real PostgreSQL store
(``tests/postgres.py``), in a network namespace that has only loopback. ``make test`` runs them that way
(``make test-ray``: ``unshare -n``, then ``ip link set lo up``); elsewhere they refuse to start rather than let Ray
bind to the machine's network address.
"""

from __future__ import annotations

import pytest
import ray

from evalcore.runs import RunStore, open_store
from tests.postgres import SERVER
from tests.ray_cluster import ISOLATED, RayCluster, loopback_only

SECRET = "ray-hunter2"  # the store's password: it must reach the workers and no log


@pytest.fixture(scope="session", autouse=True)
def isolated_network():
    if not loopback_only():
        pytest.fail("The Ray tests run in a network namespace with only loopback: use `make test-ray` (as root: "
                    "unshare -n, then ip link set lo up).", pytrace=False)
    yield
    SERVER.stop()


@pytest.fixture
def cluster(tmp_path, monkeypatch):
    """A fresh two-node cluster per test (a test may kill one of its nodes), stopped afterwards."""
    cluster = RayCluster({"KERAS_HOME": str(tmp_path / "keras"), "EVALCORE_HOME": str(tmp_path / "nodes")})
    try:
        cluster.start()
        monkeypatch.setenv("EVALCORE_EXECUTOR", cluster.address)
        monkeypatch.setenv("HOME", str(cluster.folder))  # this process connects as the nodes were started
        for name, value in ISOLATED.items():
            monkeypatch.setenv(name, value)
        yield cluster
    finally:
        ray.shutdown()  # this process's client connection
        cluster.stop()


@pytest.fixture
def store(monkeypatch) -> RunStore:
    """A PostgreSQL store of its own, as EVALCORE_STORE (what the dashboard and the workers open)."""
    address = SERVER.address(SERVER.new_database(), password=SECRET)  # the test server trusts any password
    monkeypatch.setenv("EVALCORE_STORE", address)
    return open_store(address)
