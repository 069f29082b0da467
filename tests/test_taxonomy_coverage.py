"""Every cause id in the taxonomy (issue 2) is exercised by at least one test built from a real message:
a row of ../shared/cases/real-failures.jsonl or tests/fixtures/public-messages.jsonl, each citing its
source, that tests/test_real_cases.py or tests/test_log_signatures.py runs through the engine."""

from __future__ import annotations

from tests.realcases import PUBLIC_MESSAGES, SHARED_CASES, expected, has_pod_evidence, load_cases

TAXONOMY = {
    "ImagePullBackOff": "image-not-found registry-auth registry-unreachable registry-tls rate-limited platform-mismatch invalid-image-name image-never-pull",
    "Pending": "insufficient-resources untolerated-taint node-selector-mismatch pod-affinity unbound-pvc volume-node-affinity-conflict "
    "topology-spread too-many-pods volume-limit unschedulable-nodes no-nodes scheduling-gated host-port-conflict",
    "CrashLoopBackOff": "oom-killed liveness-probe-failure command-not-found permission-denied exec-format-error completed-exit-zero "
    "port-in-use dns-failure dependency-unreachable missing-config app-error",
    "RunContainerError": "missing-secret missing-configmap missing-key command-not-found run-as-non-root invalid-mount permission-denied runtime-error",
    "Evicted": "disk-pressure memory-pressure",
    "ContainerCreating": "volume-mount-failure volume-attach-failure missing-configmap missing-secret network-setup-failure sandbox-failure",
    "NotReady": "readiness-probe-failure",
}


def test_every_cause_id_has_a_real_message_test(playbooks):
    covered = set()
    for case in load_cases(SHARED_CASES) + load_cases(PUBLIC_MESSAGES):
        if case["class"] == "LogSignature":
            covered.add(("CrashLoopBackOff", case["cause"]))
        elif has_pod_evidence(case):
            category, cause = expected(case)
            if cause:
                covered.add((category, cause))
    wanted = {(category, cause) for category, causes in TAXONOMY.items() for cause in causes.split()}
    assert wanted - covered == set()
    # and every one of them is a cause some built-in playbook can report
    reportable = {(pb.spec.category, c.spec.id) for pb in playbooks for c in (*pb.causes, pb.fallback)}
    assert wanted - reportable == set()
