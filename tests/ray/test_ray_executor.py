"""Training on a real two-node Ray cluster with a PostgreSQL store: parallel ablations spread over the nodes and
shown live, Stop from the page across machines, a dead node's runs lost with every point kept, and retried."""

from __future__ import annotations

import sys
from pathlib import Path

import ray
from streamlit.testing.v1 import AppTest

from evalcore.runs import FINISHED, LOST, QUEUED, RUNNING, STOPPED, RunStore, keys
from evalcore.training import ablation, launch
from evalcore.training.config import TrainConfig
from evalcore.training.executor import Request
from tests.ray.conftest import SECRET
from tests.ray_cluster import RayCluster
from tests.waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]
LONG = TrainConfig(dataset="wine", epochs=1000)  # runs until stopped (or its node dies)


def _node_ids() -> dict[str, str]:
    """'head' and 'second' -> Ray's node id (this test process is connected to the cluster)."""
    nodes = {n["NodeID"]: n for n in ray.nodes() if n["Alive"]}
    assert len(nodes) == 2, nodes
    return {("head" if "node:__internal_head__" in n["Resources"] else "second"): i for i, n in nodes.items()}


def _node_of(store: RunStore, run_id: int) -> str:
    return store.run(run_id).node.partition(" ")[2]


def _states(store: RunStore, ids: list[int]) -> str:
    return "; ".join(f"#{r.id} {r.status} {r.where} {r.error or ''}" for r in (store.run(i) for i in ids))


def _runs_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/runs.py").run()
    assert not at.exception, at.exception
    return at


def _table(at: AppTest):
    return at.dataframe[0].value.set_index("id")


def test_an_ablation_runs_in_parallel_on_both_nodes_and_the_runs_page_shows_it_live(cluster, store):
    group = ablation.start(TrainConfig(dataset="wine", epochs=150), store, seeds=1, include_all=False)
    ids = [r.id for r in ablation.group_runs(store, group)]
    assert len(ids) >= 4 and all(store.run(i).executor == "ray" for i in ids)
    running = wait_for(lambda: (now := [i for i in ids if store.run(i).status == RUNNING]) and len(now) == 2 and now,
                       120, "two runs of the ablation running at once", lambda: _states(store, ids))
    assert {_node_of(store, i) for i in running} == set(_node_ids().values())  # one on each node
    table = _table(_runs_page())  # the page, while they run
    shown = table.loc[[i for i in running if store.run(i).status == RUNNING]]
    assert (shown["status"] == RUNNING).all() and shown["where"].str.startswith("Ray 127.0.0.1 · ").all()
    waiting = [i for i in ids if store.run(i).status == QUEUED and not store.run(i).node]
    assert all(table.loc[i, "where"] == "queued in Ray" for i in waiting if i in table.index)
    wait_for(lambda: all(not store.run(i).active for i in ids), 240, "the ablation's end", lambda: _states(store, ids))
    assert all(store.run(i).status == FINISHED for i in ids), _states(store, ids)
    assert len({_node_of(store, i) for i in ids}) == 2
    effects = ablation.effects(store, group)
    assert (effects["runs done"] == 1).all() and effects["test accuracy"].notna().all()
    final = _table(_runs_page())
    assert (final.loc[ids, "status"] == FINISHED).all() and (final.loc[ids, "epochs"] == 150).all()
    logs = [f for f in cluster.folder.rglob("*") if f.is_file() and f.stat().st_size < 50_000_000]
    assert len(logs) > 10 and not [f for f in logs if SECRET.encode() in f.read_bytes()]  # Ray's logs, every node


def _two_long_runs(store: RunStore, request: Request | None = None) -> tuple[dict[str, int], dict[str, str]]:
    """Two long runs, one on each node: node name -> run id, and node name -> Ray node id."""
    ids = [launch.start(LONG.replace(seed=s), store, request=request) for s in (1, 2)]
    wait_for(lambda: all(store.run(i).status == RUNNING and store.series(i, [keys.epoch_key("loss")])
                         for i in ids), 120, "both runs training", lambda: _states(store, ids))
    nodes = _node_ids()
    by_node = {name: next(i for i in ids if _node_of(store, i) == node_id) for name, node_id in nodes.items()}
    return by_node, nodes


def test_stop_on_the_page_ends_a_run_on_the_other_node(cluster, store):
    runs, nodes = _two_long_runs(store)
    target, other = runs["second"], runs["head"]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/train.py").run()
    at.session_state["train_run"] = target
    at.run()
    assert not at.exception, at.exception
    at.button(key=f"stop_{target}").click().run()
    run = wait_for(lambda: (r := store.run(target)).status == STOPPED and r, 60, "the stop",
                   lambda: _states(store, [target, other]))
    assert run.summary["epochs_done"] < LONG.epochs and store.run(target).node.endswith(nodes["second"])
    assert store.run(other).status == RUNNING  # only that run
    assert not {"tensorflow", "keras"} & set(sys.modules)  # the page's process submitted and stopped, no Keras
    launch.stop(other, store)
    wait_for(lambda: store.run(other).status == STOPPED, 60, "the other run's stop")


def test_a_dead_node_marks_its_run_lost_keeps_every_point_and_the_run_is_retried(cluster: RayCluster, store):
    runs, nodes = _two_long_runs(store, Request(retries=1))
    doomed, survivor = runs["second"], runs["head"]
    assert store.run(doomed).pid in cluster.pids("second")  # its worker is a process of that node
    wait_for(lambda: len(store.series(doomed, [keys.epoch_key("loss")]).get(keys.epoch_key("loss"), [])) >= 3, 60,
             "a few epochs logged")
    before = {k: s.steps.tolist() for k, s in store.series(doomed).items()}
    assert cluster.kill_node("second") > 0
    run = wait_for(lambda: (r := store.run(doomed)).status == LOST and r, 60, "the run marked lost",
                   lambda: _states(store, [doomed, survivor]))
    assert "Ray node running it died" in run.error or "worker process died" in run.error, run.error
    after = store.series(doomed)
    for key, steps in before.items():  # every point committed before the node died is still there
        assert set(steps) <= set(after[key].steps.tolist()), key
    retry = wait_for(lambda: [r for r in store.runs() if r.name.endswith(f"(retry of #{doomed})")], 30,
                     "the retry")[0]
    assert retry.config == store.run(doomed).config and retry.status == QUEUED and retry.where == "queued in Ray"
    assert store.run(survivor).status == RUNNING  # the other node's run goes on
    launch.stop(survivor, store)  # frees the only node left, which takes the retry
    wait_for(lambda: store.run(retry.id).status == RUNNING, 90, "the retry training",
             lambda: _states(store, [doomed, survivor, retry.id]))
    assert _node_of(store, retry.id) == nodes["head"]
    launch.stop(retry.id, store)
    wait_for(lambda: store.run(retry.id).status == STOPPED, 60, "the retry's stop")
