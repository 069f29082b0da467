"""The scheduler verdict parser on every scheduler message of ../shared/cases/real-failures.jsonl and
tests/fixtures/public-messages.jsonl (each row cites its source there), plus the formats the corpus
lacks, quoted verbatim from the sources cited beside them."""

from __future__ import annotations

import pytest

from k8sdoctor.core.facts.pod import SCHEDULER_MESSAGE
from k8sdoctor.core.kube.scheduler_message import parse_scheduler_message
from tests.realcases import PUBLIC_MESSAGES, SHARED_CASES, load_cases

CASES = load_cases(SHARED_CASES) + load_cases(PUBLIC_MESSAGES)

#: case id → per distinct scheduler message, in order: (total, [(count, kind, detail)], preemption (total, [(count, kind)]))
EXPECTED = {
    'es-client-insufficient-cpu': [(5, [(5, 'insufficient-resources', 'cpu')], None)],
    'mongodb-operator-volume-node-affinity-conflict': [
        (3, [(1, 'insufficient-resources', 'cpu'), (2, 'volume-node-affinity-conflict', '')], None)
    ],
    'optscale-unreachable-node-taint': [
        (1, [(1, 'untolerated-taint', 'node.kubernetes.io/unreachable')], (1, [(1, 'preemption-not-helpful')]))
    ],
    'klotho-eks-nodegroup-selector-mismatch': [(4, [(4, 'node-selector-mismatch', '')], (4, [(4, 'preemption-not-helpful')]))],
    'k8s-116713-node-affinity-insufficient-memory': [
        (20, [(13, 'node-selector-mismatch', ''), (7, 'insufficient-resources', 'memory')], None)
    ],
    'nvidia-283-gpu-node-selector-openshift': [
        (6, [(3, 'node-selector-mismatch', ''), (6, 'insufficient-resources', 'nvidia.com/gpu')], None)
    ],
    'nvidia-22-podtoleratesnodetaints-gpu-legacy': [
        (3, [(1, 'untolerated-taint', ''), (3, 'insufficient-resources', 'nvidia.com/gpu')], None)
    ],
    'bitnami-postgresql-unbound-pvc-legacy': [(None, [(None, 'unbound-pvc', '')], None)],
    'ocs-operator-topology-spread-taints': [
        (
            6,
            [
                (1, 'untolerated-taint', 'unschedulable=true'),
                (2, 'topology-spread', ''),
                (3, 'untolerated-taint', 'node-role.kubernetes.io/master'),
            ],
            (6, [(2, 'topology-spread'), (4, 'preemption-not-helpful')]),
        )
    ],
    'kubespray-coredns-anti-affinity-legacy': [
        (3, [(3, 'pod-affinity', 'pod affinity/anti-affinity'), (3, 'pod-affinity', "existing pods' anti-affinity")], None)
    ],
    'opendistro-es-node-selector': [(3, [(3, 'node-selector-mismatch', '')], None)],
    'gpushare-insufficient-extended-resource': [(2, [(2, 'insufficient-resources', 'aliyun.com/gpu-mem')], None)],
    'mindwm-neo4j-insufficient-cpu-preemption': [(1, [(1, 'insufficient-resources', 'cpu')], (1, [(1, 'no-preemption-victims')]))],
    'gist-legacy-failed-to-fit-in-any-node': [(19, [(15, 'insufficient-resources', 'cpu'), (4, 'insufficient-resources', 'memory')], None)],
    'kubeshark-mizu-too-many-pods': [(3, [(3, 'too-many-pods', '')], None)],
    'microk8s-too-many-pods-unreachable-taint': [
        (2, [(1, 'too-many-pods', ''), (1, 'untolerated-taint', 'node.kubernetes.io/unreachable')], None)
    ],
    'k8s-107194-insufficient-pods-legacy': [(5, [(2, 'unschedulable-nodes', ''), (3, 'too-many-pods', '')], None)],
    'cilium-eks-too-many-pods-pod-affinity': [
        (
            3,
            [(1, 'too-many-pods', ''), (2, 'pod-affinity', 'pod affinity')],
            (3, [(1, 'no-preemption-victims'), (2, 'preemption-not-helpful')]),
        )
    ],
    'csi-digitalocean-exceed-max-volume-count': [
        (2, [(2, 'volume-limit', '')], None),
        (3, [(1, 'untolerated-taint', ''), (2, 'volume-limit', '')], None),
    ],
    'fusion-aks-exceed-max-volume-count-node-affinity': [
        (4, [(1, 'volume-limit', ''), (3, 'node-selector-mismatch', '')], None),
        (
            4,
            [
                (1, 'volume-limit', ''),
                (1, 'untolerated-taint', 'ToBeDeletedByClusterAutoscaler=1636478510'),
                (2, 'node-selector-mismatch', ''),
            ],
            None,
        ),
        (
            5,
            [
                (1, 'volume-limit', ''),
                (1, 'untolerated-taint', 'ToBeDeletedByClusterAutoscaler=1636478510'),
                (3, 'node-selector-mismatch', ''),
            ],
            None,
        ),
    ],
    'karpenter-mixed-volume-count-too-many-pods-unschedulable': [
        (
            13,
            [
                (1, 'too-many-pods', ''),
                (1, 'untolerated-taint', 'kubernetes.io/arch=arm64'),
                (1, 'unschedulable-nodes', ''),
                (5, 'volume-limit', ''),
                (5, 'untolerated-taint', 'nd.group-name=kube-system'),
            ],
            None,
        )
    ],
    'microk8s-single-node-unschedulable': [(1, [(1, 'unschedulable-nodes', '')], None)],
    'os-climate-unschedulable-and-taints': [
        (
            13,
            [
                (2, 'untolerated-taint', 'node-role.kubernetes.io/master'),
                (2, 'unschedulable-nodes', ''),
                (3, 'node-selector-mismatch', ''),
                (3, 'untolerated-taint', 'node-role.kubernetes.io/infra'),
                (3, 'untolerated-taint', 'nvidia.com/gpu'),
            ],
            None,
        )
    ],
    'k8s-17154-no-nodes-available-legacy': [(0, [], None)],
    'rancher-4587-no-nodes-available-event-log': [(0, [], None), (0, [], None)],
    'edge-stack-no-free-ports': [(2, [(2, 'host-port-conflict', '')], None)],
    'k3d-istio-no-free-ports': [(1, [(1, 'host-port-conflict', '')], None)],
    'kind-ingress-no-free-ports-node-selector': [
        (3, [(3, 'host-port-conflict', '')], None),
        (3, [(1, 'node-selector-mismatch', ''), (2, 'host-port-conflict', '')], None),
    ],
    'tekton-pod-affinity-rules-transitional': [
        (1, [(1, 'pod-affinity', 'pod affinity'), (1, 'pod-affinity', 'pod affinity/anti-affinity')], None)
    ],
    'hwameistor-pod-affinity-rules-preemption': [
        (
            3,
            [
                (1, 'node-selector-mismatch', ''),
                (1, 'untolerated-taint', 'node-role.kubernetes.io/control-plane'),
                (3, 'pod-affinity', 'pod affinity'),
            ],
            (3, [(3, 'preemption-not-helpful')]),
        )
    ],
    'tempo-operator-pod-anti-affinity-rules': [(1, [(1, 'pod-affinity', 'pod anti-affinity')], (1, [(1, 'no-preemption-victims')]))],
    'aws-do-eks-existing-pods-anti-affinity-dra-form': [
        (1, [(1, 'pod-affinity', "existing pods' anti-affinity")], (1, [(1, 'no-preemption-victims')]))
    ],
    'node-readiness-untolerated-taints-redacted-dra': [(2, [(2, 'untolerated-taint', '')], (2, [(2, 'preemption-not-helpful')]))],
}


def scheduler_messages(case: dict) -> list[str]:
    texts = [e.get("message") for e in case.get("events") or []] + [case.get("status_message")] + list(case.get("logs") or [])
    out: list[str] = []
    for text in texts:
        if text and SCHEDULER_MESSAGE.search(text) and text not in out:
            out.append(text)
    return out


def shape(verdict):
    preemption = None
    if verdict.preemption is not None:
        preemption = (verdict.preemption.total, [(r.count, r.kind) for r in verdict.preemption.reasons])
    return (verdict.total, [(r.count, r.kind, r.detail) for r in verdict.reasons], preemption)


def test_every_scheduler_message_of_the_corpus_is_in_the_table():
    assert {c["id"] for c in CASES if scheduler_messages(c)} == set(EXPECTED)


@pytest.mark.parametrize("case", [c for c in CASES if c["id"] in EXPECTED], ids=lambda c: c["id"])
def test_corpus_message(case):
    verdicts = [parse_scheduler_message(m) for m in scheduler_messages(case)]
    assert all(v is not None for v in verdicts), case["source"]
    assert [shape(v) for v in verdicts] == EXPECTED[case["id"]], case["source"]


@pytest.mark.parametrize(
    "message, expected",
    [
        # k8s 1.5-1.6, quoted in ../shared/notes/message-formats.md; https://github.com/argoproj/argo-workflows/issues/190
        (
            "No nodes are available that match all of the following predicates:: Insufficient cpu (9), Insufficient memory (15), MatchNodeSelector (18).",
            (
                None,
                [(9, "insufficient-resources", "cpu"), (15, "insufficient-resources", "memory"), (18, "node-selector-mismatch", "")],
                None,
            ),
        ),
        # the same form with one colon; https://github.com/SeldonIO/seldon-core/issues/47
        (
            "No nodes are available that match all of the predicates: Insufficient cpu (5).",
            (None, [(5, "insufficient-resources", "cpu")], None),
        ),
        # Volcano; https://github.com/volcano-sh/volcano/issues/3191
        (
            "0/2 nodes are unavailable: 1 plugin NodeUnschedulable predicates failed node(s) were unschedulable, 1 plugin NodeVolumeLimits predicates failed node(s) exceed max volume count.",
            (2, [(1, "unschedulable-nodes", ""), (1, "volume-limit", "")], None),
        ),
        # the double period; https://github.com/NVIDIA/k8s-device-plugin/issues/430
        (
            "0/1 nodes are available: 1 Insufficient nvidia.com/gpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..",
            (1, [(1, "insufficient-resources", "nvidia.com/gpu")], (1, [(1, "no-preemption-victims")])),
        ),
    ],
)
def test_formats_the_corpus_lacks(message, expected):
    assert shape(parse_scheduler_message(message)) == expected


def test_summaries():
    by_id = {c["id"]: scheduler_messages(c)[0] for c in CASES if c["id"] in EXPECTED}
    summary = {k: parse_scheduler_message(m).summary() for k, m in by_id.items()}
    assert summary["os-climate-unschedulable-and-taints"] == (
        "13 nodes: 2 have taint node-role.kubernetes.io/master, 2 are cordoned, 3 do not match the node selector/affinity, "
        "3 have taint node-role.kubernetes.io/infra, 3 have taint nvidia.com/gpu"
    )
    assert summary["gist-legacy-failed-to-fit-in-any-node"] == "19 nodes: 15 lack cpu, 4 lack memory"
    assert (
        summary["aws-do-eks-existing-pods-anti-affinity-dra-form"]
        == "1 node: 1 fails existing pods' anti-affinity rules; preemption: 1 node: 1 has no pods to preempt"
    )
    assert summary["k8s-17154-no-nodes-available-legacy"] == "the cluster has no nodes the scheduler can use"
    dra = parse_scheduler_message(by_id["node-readiness-untolerated-taints-redacted-dra"])
    assert dra.notes == ["no new claims to deallocate"]
    assert sum(r.count for r in dra.reasons if r.kind == "untolerated-taint") == 2


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        42,
        # https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/
        "Back-off restarting failed container",
        # the cluster autoscaler's verdict, not the scheduler's; https://github.com/kubernetes/autoscaler/pull/3855
        "pod didn't trigger scale-up (it wouldn't fit if a new node is added)",
    ],
)
def test_other_text_is_not_a_verdict(text):
    assert parse_scheduler_message(text) is None
