"""Crash loops, live: exit codes explained with their signal, the memory limit behind an OOM kill with a
suggested one, the liveness probe timed against the container's last run, the termination message,
and the command a command-not-found exit ran."""

from __future__ import annotations

import pytest

from tests.analyzers.builders import termination
from tests.analyzers_live.objects import (
    container,
    corpus_logs,
    corpus_message,
    event,
    evidence,
    finding,
    node,
    pod,
    terminated,
    waiting_status,
)

LAST = "status.containerStatuses[{}].lastState.terminated"
WEBHOOK = "cert-manager-webhook-hetzner"
HETZNER = "https://github.com/vadimkim/cert-manager-webhook-hetzner/issues/91"
MEMORY_DOCS = "https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/"
SEDNA = "https://github.com/kubeedge/sedna/issues/320"


def crashing(name, cname, image, *, owner, last, restarts=5, **container_fields):
    """A pod in CrashLoopBackOff on worker-1 after `last`, its container's last termination."""
    status = waiting_status(cname, image, "CrashLoopBackOff", restarts=restarts, last=last)
    return pod(name, "apps", node_name="worker-1", owner=owner, containers=[container(cname, image, **container_fields)], statuses=[status])


def memory_demo():
    target = crashing(
        "memory-demo-5c4b3a2d1-m3n4b",
        "memory-demo-2-ctr",
        "polinux/stress",
        owner=("ReplicaSet", "memory-demo-5c4b3a2d1"),
        last=terminated("OOMKilled", 137, ran=10),
        memory="50Mi",
        limits={"memory": "100Mi"},
        command=["stress"],
        args=["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"],
    )
    # https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/
    oom = corpus_message("k8s-docs-memory-demo-2-oomkilled", MEMORY_DOCS, contains="Memory cgroup out of memory")
    backoff = corpus_message("k8s-docs-memory-demo-2-oomkilled", MEMORY_DOCS, contains="Back-off")
    return [target, event(target, oom, reason="OOMKilling"), event(target, backoff, reason="BackOff", count=5)]


def webhook():
    """Killed by its liveness probe 31 s after start, every time: it never finishes starting."""
    probe = {"httpGet": {"path": "/healthz", "port": 8443, "scheme": "HTTPS"}}
    target = crashing(
        f"{WEBHOOK}-6d56ff8dd9-rw6vc",
        WEBHOOK,
        "cert-manager-webhook-hetzner:1.3.3",
        owner=("ReplicaSet", f"{WEBHOOK}-6d56ff8dd9"),
        last=terminated("Error", 143, ran=31),
        restarts=6,
        livenessProbe=probe,
        readinessProbe=probe,
    )
    # https://github.com/vadimkim/cert-manager-webhook-hetzner/issues/91
    unhealthy = corpus_message("cert-manager-webhook-hetzner-liveness-timeout-killing", HETZNER, contains="Liveness probe failed")
    killing = corpus_message(
        "cert-manager-webhook-hetzner-liveness-timeout-killing", HETZNER, contains="failed liveness probe, will be restarted"
    )
    path = f"spec.containers{{{WEBHOOK}}}"
    return [
        target,
        event(target, unhealthy, reason="Unhealthy", field_path=path, count=18),
        event(target, killing, reason="Killing", type_="Normal", field_path=path, count=6),
    ]


def exits():
    """Pods whose last run ended with the other exit codes the issue lists, from real cases where one
    exists (a bare exit code and reason are status fields, not messages)."""
    # https://github.com/kubeedge/sedna/issues/320: with FallbackToLogsOnError the kubelet copies the log's tail into the message
    sedna = crashing(
        "kb-0",
        "kb",
        "kubeedge/sedna-kb:v0.4.0",
        owner=("StatefulSet", "kb"),
        terminationMessagePolicy="FallbackToLogsOnError",
        last=terminated("Error", 1, ran=3, message="\n".join(corpus_logs("sedna-kb-python-module-not-found", SEDNA))),
    )
    return [
        sedna,
        # https://github.com/portainer/portainer/issues/5314 (the bare centos image: its default command exits at once)
        crashing(
            "centos-7d9c8b6f5-q2w4e", "centos", "centos:7", owner=("ReplicaSet", "centos-7d9c8b6f5"), last=terminated("Completed", 0, ran=0)
        ),
        crashing(
            "nightly-report-28374650-k4j7h",
            "report",
            "registry.example/report:3.2",
            owner=("Job", "nightly-report-28374650"),
            last=terminated("Error", 2, ran=1),
        ),
        # https://github.com/luksa/kubernetes-in-action/pull/15 (the script has no execute bit; its log is set below)
        crashing(
            "fortune-6c5d4b3a2-z8x7c",
            "html-generator",
            "luksa/fortune:args",
            owner=("ReplicaSet", "fortune-6c5d4b3a2"),
            last=terminated("Error", 126, ran=0),
        ),
        # https://github.com/apecloud/kubeblocks/issues/4633
        crashing(
            "mysql-cluster-mysql-0",
            "config-manager",
            "apecloud/kubeblocks-tools:0.5.0",
            owner=("StatefulSet", "mysql-cluster-mysql"),
            last=terminated("Error", 127, ran=0),
            command=["/bin/reloader"],
            args=["--config", "/opt/config/reload/reload.yaml"],
        ),
        crashing(
            "envoy-5f4e3d2c1-r6t5y",
            "envoy",
            "envoyproxy/envoy:v1.29.1",
            owner=("ReplicaSet", "envoy-5f4e3d2c1"),
            last=terminated("Error", 134, ran=2),
        ),
        # https://github.com/backstage/charts/issues/203 (exit code 139 and no reason)
        crashing(
            "backstage-6b7c8d9e0-u1i2o",
            "backstage",
            "ghcr.io/backstage/backstage:1.20.0",
            owner=("ReplicaSet", "backstage-6b7c8d9e0"),
            last=terminated(None, 139, ran=20),
        ),
    ]


@pytest.fixture(scope="module", autouse=True)
def cluster(server):
    server.apply_all([node("worker-1")] + memory_demo() + webhook() + exits())
    # https://github.com/kubeedge/sedna/issues/320
    server.set_logs("apps", "kb-0", "kb", corpus_logs("sedna-kb-python-module-not-found", SEDNA), previous=True)
    # https://github.com/luksa/kubernetes-in-action/pull/15
    fortune = corpus_logs("kia-fortuneloop-script-not-executable", "https://github.com/luksa/kubernetes-in-action/pull/15")
    server.set_logs("apps", "fortune-6c5d4b3a2-z8x7c", "html-generator", fortune, previous=True)


@pytest.mark.parametrize(
    "name, cname, read, meaning",
    [
        ("centos-7d9c8b6f5-q2w4e", "centos", "Completed, exit code 0", "expect it to run forever"),
        ("kb-0", "kb", "Error, exit code 1", "Exit code 1: a general error reported by the application itself."),
        (
            "nightly-report-28374650-k4j7h",
            "report",
            "Error, exit code 2",
            "Exit code 2: invalid command-line arguments or a shell builtin misused, or an unrecovered panic in a Go program.",
        ),
        ("fortune-6c5d4b3a2-z8x7c", "html-generator", "Error, exit code 126", "a script without the execute bit (exit code 126)"),
        ("mysql-cluster-mysql-0", "config-manager", "Error, exit code 127", "Exit code 127 means the shell could not find the command"),
        (
            "envoy-5f4e3d2c1-r6t5y",
            "envoy",
            "Error, exit code 134",
            "Exit code 134 = 128 + 6 (SIGABRT): it aborted itself: abort(), a failed assertion, or a fatal runtime error (glibc, JVM, Go).",
        ),
        ("memory-demo-5c4b3a2d1-m3n4b", "memory-demo-2-ctr", "OOMKilled, exit code 137", "exit code 137 is 128 + SIGKILL"),
        (
            "backstage-6b7c8d9e0-u1i2o",
            "backstage",
            "no reason, exit code 139",
            "Exit code 139 = 128 + 11 (SIGSEGV): a segmentation fault: invalid memory access in native code (a bug, or a library or architecture mismatch).",
        ),
        (
            f"{WEBHOOK}-6d56ff8dd9-rw6vc",
            WEBHOOK,
            "Error, exit code 143",
            "Exit code 143 = 128 + 15 (SIGTERM): it was asked to stop (pod deletion, eviction, rollout, or a failed liveness probe) and exited on the signal.",
        ),
    ],
)
def test_exit_code_is_quoted_and_explained_in_the_text(diagnose, name, cname, read, meaning):
    """The evidence is the termination's fields as read; what the code means is in the finding's text."""
    [f] = diagnose("apps", name)["findings"]
    assert f["container"] == cname
    assert termination(evidence(f, LAST.format(cname)), f["explanation"]) == read
    assert meaning in f["explanation"]


def test_oom_kill_shows_the_limit_and_suggests_a_larger_one(diagnose):
    f = finding(diagnose("apps", "memory-demo-5c4b3a2d1-m3n4b"), "oom-killed", "memory-demo-2-ctr")
    assert evidence(f, "spec.containers[memory-demo-2-ctr].resources") == ["memory limit 100Mi, request 50Mi"]
    assert f["remediation"][0] == {
        "text": "Raise the memory limit of memory-demo-2-ctr from 100Mi to 256Mi (2×), then watch its real peak and adjust.",
        "command": "kubectl -n apps set resources deployment/memory-demo -c memory-demo-2-ctr --limits=memory=256Mi",
    }


def test_liveness_probe_kills_it_before_it_has_started(diagnose):
    f = finding(diagnose("apps", f"{WEBHOOK}-6d56ff8dd9-rw6vc"), "liveness-probe-failure", WEBHOOK)
    # https://github.com/vadimkim/cert-manager-webhook-hetzner/issues/91
    assert evidence(f, "event Normal/Killing from kubelet (x6 over 5m, 12m ago)") == [
        "Container cert-manager-webhook-hetzner failed liveness probe, will be restarted"
    ]
    assert evidence(f, f"spec.containers[{WEBHOOK}].livenessProbe, status.containerStatuses[{WEBHOOK}].lastState.terminated") == [
        "the liveness probe can kill it 30 s after start (initialDelaySeconds 0 + periodSeconds 10 × failureThreshold 3; timeoutSeconds 1); "
        "its last run lasted 31 s, so it is killed before it ever becomes healthy (6 restarts)"
    ]
    assert f["remediation"][0] == {
        "text": "Add a startupProbe that allows about 62 s to start (liveness checks begin only after it succeeds): "
        "startupProbe: {httpGet: {path: /healthz, port: 8443, scheme: HTTPS}, periodSeconds: 10, failureThreshold: 7}",
        "command": "kubectl -n apps patch deployment/cert-manager-webhook-hetzner -p "
        "'{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"cert-manager-webhook-hetzner\",\"startupProbe\":"
        "{\"httpGet\":{\"path\":\"/healthz\",\"port\":8443,\"scheme\":\"HTTPS\"},\"periodSeconds\":10,\"failureThreshold\":7}}]}}}}'",
    }
    assert f["remediation"][1] == {
        "text": "Or raise livenessProbe.initialDelaySeconds to 62.",
        "command": "kubectl -n apps patch deployment/cert-manager-webhook-hetzner -p "
        "'{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"cert-manager-webhook-hetzner\",\"livenessProbe\":{\"initialDelaySeconds\":62}}]}}}}'",
    }


def test_termination_message_and_log_line_are_quoted(diagnose):
    f = finding(diagnose("apps", "kb-0"), "app-error", "kb")
    # https://github.com/kubeedge/sedna/issues/320
    assert evidence(f, LAST.format("kb") + ".message") == ["\n".join(corpus_logs("sedna-kb-python-module-not-found", SEDNA))]
    assert evidence(f, "logs kb (previous) line 10 of 10") == ["ModuleNotFoundError: No module named 'cv2'"]
    assert f["remediation"][0] == {
        "text": "Read the previous container's log.",
        "command": "kubectl -n apps logs kb-0 -c kb --previous --tail=100",
    }


def test_command_not_found_shows_the_command_and_args(diagnose):
    f = finding(diagnose("apps", "mysql-cluster-mysql-0"), "command-not-found", "config-manager")
    assert evidence(f, "spec.containers[config-manager].command, .args") == [
        'command ["/bin/reloader"], args ["--config","/opt/config/reload/reload.yaml"]'
    ]
    assert f["remediation"][0]["command"] == (
        "docker pull apecloud/kubeblocks-tools:0.5.0 && docker image inspect apecloud/kubeblocks-tools:0.5.0 --format '{{json .Config.Entrypoint}} {{json .Config.Cmd}}'"
    )
