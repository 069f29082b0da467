"""Analyzers on a large cluster stay fast: the cluster-wide passes (pods per node, images per node)
run once per inventory state, not once per finding; and importing the core does not import rapidfuzz
(startup time)."""

from __future__ import annotations

import subprocess
import sys
import time

from k8sdoctor.core.analyzers.memo import IdentityMemo
from tests.analyzers.builders import cluster, container, corpus_message, diagnose, node, pod, system_pods


def test_large_cluster(engine):
    nodes = [node(f"node-{i}", images=[[f"docker.io/library/img{j}:1.{i % 5}"] for j in range(40)]) for i in range(500)]
    pods = [
        pod(
            f"p-{i}",
            namespace=f"ns{i % 40}",
            node_name=f"node-{i % 500}",
            containers=[container("a", f"img{i % 40}:1.0", cpu="100m", memory="128Mi")],
        )
        for i in range(5000)
    ]
    # https://github.com/pires/kubernetes-elasticsearch-cluster/issues/178
    verdict = corpus_message("es-client-insufficient-cpu", "https://github.com/pires/kubernetes-elasticsearch-cluster/issues/178")
    pending = [
        pod(
            f"big-{i}",
            phase="Pending",
            statuses=[],
            owner=("ReplicaSet", "big-5d4c3b2a1"),
            containers=[container("app", "big:1", cpu="8")],
            status={"conditions": [{"type": "PodScheduled", "status": "False", "message": verdict}]},
        )
        for i in range(20)
    ]
    # https://github.com/lachie83/k8s-kubectl/issues/157
    missing = corpus_message("k8s-kubectl-image-tag-manifest-unknown", "https://github.com/lachie83/k8s-kubectl/issues/157")
    pulls = [
        pod(
            f"pull-{i}",
            node_name="node-1",
            phase="Pending",
            owner=("ReplicaSet", "pull-6e5d4c3b2"),
            containers=[container("app", "img7:9.9")],
            statuses=[
                {
                    "name": "app",
                    "image": "img7:9.9",
                    "ready": False,
                    "restartCount": 0,
                    "state": {"waiting": {"reason": "ImagePullBackOff", "message": missing}},
                }
            ],
        )
        for i in range(20)
    ]
    inv = cluster(nodes, pods, system_pods(nodes), pending, pulls)
    builds: list[str] = []
    derived = inv.derived
    inv.derived = lambda name, build: derived(name, lambda i: builds.append(name) or build(i))  # type: ignore[method-assign]
    start = time.perf_counter()
    results = [diagnose(engine, inv, p) for p in pending + pulls]
    per_pod = (time.perf_counter() - start) / len(results)
    assert len(builds) == len(set(builds))  # each cluster-wide index once, whatever the number of findings
    assert {"analyzers.capacity", "analyzers.images", "analyzers.node_shapes"} <= set(builds)
    assert [r.findings[0].cause for r in results] == ["insufficient-resources"] * 20 + ["image-not-found"] * 20
    assert (
        results[0].findings[0].evidence[-1].text
        == "asks 8 CPU; the most free on any node is 2.9 CPU (node-0); no node has that much allocatable at all (the largest: 4 CPU on node-0)"
    )
    assert per_pod < 1.0, f"{per_pod * 1000:.0f} ms per pod"  # ~10 ms on a laptop; loose for loaded CI


def test_identity_memo_recomputes_for_a_new_object():
    calls = []
    memo = IdentityMemo(lambda d: calls.append(1) or len(d))
    first = {"a": 1}
    assert memo(first) == memo(first) == 1
    assert memo({"a": 1, "b": 2}) == 2
    assert len(calls) == 2


def test_importing_the_engine_does_not_import_rapidfuzz():
    code = "import sys, k8sdoctor.core.engine; print('rapidfuzz' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
