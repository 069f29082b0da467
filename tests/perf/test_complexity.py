"""The analyzers' work per finding does not grow with the cluster: counted, not timed.

The same bad day (12% of pods failing, replicas failing together, one node per 30 pods, a repository
per Deployment) at 1,000 and at 50,000 pods. Per finding we count what the analyzers look at one by one
(`core/analyzers/work.py`): node shapes and nodes, repositories compared as near names, pods scanned.
It must stay the same at 50 times the cluster (within 1.3×), where a scan per finding would grow 50
times. The shared indexes are built once per inventory state, a few passes over the cluster whatever the
number of findings: their work per pod (or node) in the cluster must stay the same too.
"""

from __future__ import annotations

from collections import Counter

import pytest

from bench.clusterdata import NOW
from k8sdoctor.core.analyzers.cluster_images import collect
from k8sdoctor.core.analyzers.work import WORK
from k8sdoctor.core.engine import Engine
from tests.perf.conftest import bad_day

PER_FINDING = ("shapes examined", "nodes examined", "repositories compared", "pods scanned")
INDEXED = ("nodes indexed", "pods indexed", "repositories indexed")


def _work(playbooks, pods: int) -> tuple[Counter, Counter]:
    """(work counters with the cluster's size, findings per cause) for diagnosing every pod of a bad-day cluster."""
    inventory = bad_day(pods, failing=0.12)
    engine = Engine(playbooks)
    WORK.clear()
    results = engine.diagnose_all(inventory, NOW)
    work = Counter(WORK)
    work["pods"], work["nodes"], work["repositories"] = len(inventory.pods), len(list(inventory.all("Node"))), len(_repositories(inventory))
    findings = Counter(f.cause for d in results for f in d.findings)
    return work, findings


def _repositories(inventory) -> dict:
    return collect(inventory, ("", "")).repos


@pytest.fixture(scope="module")
def small_and_large(playbooks):
    return _work(playbooks, 1_000), _work(playbooks, 50_000)


def test_work_per_finding_is_the_same_at_50_times_the_cluster(small_and_large):
    (small, small_findings), (large, large_findings) = small_and_large
    n_small, n_large = sum(small_findings.values()), sum(large_findings.values())
    assert n_large > 40 * n_small  # the same bad day, fifty times over
    for what in PER_FINDING:
        per_small, per_large = small[what] / n_small, large[what] / n_large
        assert per_large <= 1.3 * per_small + 0.5, f"{what}: {per_small:.2f} per finding at 1k pods, {per_large:.2f} at 50k"


def test_shared_indexes_cost_a_few_passes_over_the_cluster(small_and_large):
    """A pass per index, and per distinct node selector a grouping of the nodes: bounded, not per finding."""
    for work, _findings in small_and_large:
        for what, size in zip(INDEXED, ("nodes", "pods", "repositories"), strict=True):
            assert work[what] <= 8 * work[size], f"{what}: {work[what] / work[size]:.1f} passes over {work[size]} {size}"


def test_each_kind_of_work_happens(small_and_large):
    """The counters move: the bad day has the findings whose analyzers do this work."""
    (_small, _findings), (large, large_findings) = small_and_large
    for cause in ("image-not-found", "insufficient-resources", "untolerated-taint", "node-selector-mismatch"):
        assert large_findings[cause] > 0, cause
    assert all(large[what] > 0 for what in PER_FINDING), large


def test_every_kind_diagnosed_together_diagnoses_each_pod_once(playbooks):
    """`diagnose all`: the pods' own diagnoses serve the ReplicaSets, Deployments, Jobs and Services over
    them (each pod diagnosed once, not again per workload), and every result is what each kind alone gives."""
    from k8sdoctor.core.kube.kinds import SUBJECTS

    class Counting(Engine):
        calls = 0

        def diagnose_pod(self, inventory, pod, now):
            Counting.calls += 1
            return super().diagnose_pod(inventory, pod, now)

    inventory = bad_day(1_000, failing=0.4)
    engine = Counting(playbooks)
    shared: dict = {}
    together = [d for kind in SUBJECTS for d in engine.diagnose_kind(inventory, kind, NOW, None, shared)]
    assert Counting.calls == len(inventory.pods)
    alone = [d for kind in SUBJECTS for d in Engine(playbooks).diagnose_kind(inventory, kind, NOW)]
    assert together == alone
