"""Crash loops: exit codes explained, the termination message, the memory limit behind an OOM kill
with a suggested one, and the liveness probe timed against the container's last run."""

from __future__ import annotations

from tests.analyzers.builders import (
    ago,
    cluster,
    container,
    corpus_message,
    diagnose,
    event,
    evidence,
    finding,
    node,
    pod,
    step,
    termination,
    waiting_status,
)

LAST = "status.containerStatuses[{}].lastState.terminated"


def crashing(name, cname, image, *, last, restarts=5, owner=("ReplicaSet", "api-6f5d4c3b2"), spec=None, **container_fields):
    status = waiting_status(cname, image, "CrashLoopBackOff", restarts=restarts, last=last)
    return pod(
        name, node_name="worker-1", owner=owner, containers=[container(cname, image, **container_fields)], statuses=[status], spec=spec
    )


def test_oom_kill_suggests_a_larger_limit(engine):
    target = crashing(
        "memory-demo-5c4b3a2d1-m3n4b",
        "memory-demo-2-ctr",
        "polinux/stress",
        owner=("ReplicaSet", "memory-demo-5c4b3a2d1"),
        last={"reason": "OOMKilled", "exitCode": 137, "startedAt": ago(200), "finishedAt": ago(190)},
        memory="50Mi",
        limits={"memory": "100Mi"},
    )
    # https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/
    oom = corpus_message(
        "k8s-docs-memory-demo-2-oomkilled",
        "https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/",
        contains="Memory cgroup out of memory",
    )
    backoff = corpus_message(
        "k8s-docs-memory-demo-2-oomkilled",
        "https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/",
        contains="Back-off",
    )
    inv = cluster(
        node("worker-1"),
        target,
        event(target, oom, reason="OOMKilling", type_="Warning"),
        event(target, backoff, reason="BackOff", type_="Warning"),
    )
    f = finding(diagnose(engine, inv, target), "oom-killed")
    assert termination(evidence(f, LAST.format("memory-demo-2-ctr")), f.explanation) == "OOMKilled, exit code 137"
    assert "exit code 137 is 128 + SIGKILL" in f.explanation  # the playbook's text says it
    assert evidence(f, "spec.containers[memory-demo-2-ctr].resources") == ["memory limit 100Mi, request 50Mi"]
    fix = f.remediation[0]
    assert fix.text == "Raise the memory limit of memory-demo-2-ctr from 100Mi to 256Mi (2×), then watch its real peak and adjust."
    assert fix.command == "kubectl -n shop set resources deployment/memory-demo -c memory-demo-2-ctr --limits=memory=256Mi"
    assert not any("--limits=memory=1Gi --requests=memory=512Mi" in (s.command or "") for s in f.remediation)


def test_oom_kill_of_a_large_container_grows_by_half(engine):
    target = crashing(
        "zk-0",
        "zookeeper",
        "zookeeper:3.9",
        owner=("StatefulSet", "zk"),
        last={"reason": "OOMKilled", "exitCode": 137},
        memory="2Gi",
        limits={"memory": "3Gi"},
    )
    # https://github.com/gimlet-io/gimlet/issues/649 (the case gives reason OOMKilled and exit code 137)
    f = finding(diagnose(engine, cluster(node("worker-1"), target), target), "oom-killed")
    assert f.remediation[0].text == "Raise the memory limit of zookeeper from 3Gi to 4.5Gi (1.5×), then watch its real peak and adjust."
    assert f.remediation[0].command == "kubectl -n shop set resources statefulset/zk -c zookeeper --limits=memory=4608Mi"


def test_oom_without_a_limit_is_the_node_running_out(engine):
    target = crashing(
        "kube-eventer-0",
        "app",
        "registry.example/eventer:1",
        owner=("StatefulSet", "kube-eventer"),
        last={"reason": "OOMKilled", "exitCode": 1},
    )
    # https://github.com/AliyunContainerService/kube-eventer/issues/285 (reason OOMKilled with exit code 1)
    f = finding(diagnose(engine, cluster(node("worker-1"), target), target), "oom-killed")
    assert termination(evidence(f, LAST.format("app")), f.explanation) == "OOMKilled, exit code 1"
    assert (
        "Exit code 1: killed by the kernel OOM killer: the container used more memory than its limit (the runtime reported exit code 1, not the usual 137)."
        in f.explanation
    )
    assert evidence(f, "spec.containers[app].resources") == ["no memory limit, request not set"]
    assert "With no memory limit of its own, the kernel killed it because the node ran out of memory." in f.explanation


WEBHOOK = "cert-manager-webhook-hetzner"
SOURCE_HETZNER = "https://github.com/vadimkim/cert-manager-webhook-hetzner/issues/91"
PROBE = {"httpGet": {"path": "/healthz", "port": 8443, "scheme": "HTTPS"}}


def webhook(run_seconds, *, probe=None, startup=None, exit_code=143):
    fields = {"livenessProbe": {**PROBE, **(probe or {})}}
    if startup:
        fields["startupProbe"] = startup
    last = {"reason": "Error", "exitCode": exit_code, "startedAt": ago(400 + run_seconds), "finishedAt": ago(400)}
    return crashing(
        "cert-manager-webhook-hetzner-6d56ff8dd9-rw6vc",
        WEBHOOK,
        "cert-manager-webhook-hetzner:1.3.3",
        owner=("ReplicaSet", "cert-manager-webhook-hetzner-6d56ff8dd9"),
        last=last,
        restarts=6,
        **fields,
    )


def probe_events(target):
    # https://github.com/vadimkim/cert-manager-webhook-hetzner/issues/91
    unhealthy = corpus_message("cert-manager-webhook-hetzner-liveness-timeout-killing", SOURCE_HETZNER, contains="Liveness probe failed")
    killing = corpus_message(
        "cert-manager-webhook-hetzner-liveness-timeout-killing", SOURCE_HETZNER, contains="failed liveness probe, will be restarted"
    )
    path = f"spec.containers{{{WEBHOOK}}}"
    return [
        event(target, unhealthy, reason="Unhealthy", type_="Warning", field_path=path, count=18),
        event(target, killing, reason="Killing", type_="Normal", field_path=path, count=6),
    ]


def test_liveness_probe_kills_it_before_it_has_started(engine):
    target = webhook(31)
    f = finding(diagnose(engine, cluster(node("worker-1"), target, probe_events(target)), target), "liveness-probe-failure")
    assert evidence(f, f"spec.containers[{WEBHOOK}].livenessProbe, status.containerStatuses[{WEBHOOK}].lastState.terminated") == [
        "the liveness probe can kill it 30 s after start (initialDelaySeconds 0 + periodSeconds 10 × failureThreshold 3; timeoutSeconds 1); "
        "its last run lasted 31 s, so it is killed before it ever becomes healthy (6 restarts)"
    ]
    startup = f.remediation[0]
    assert startup.text == (
        "Add a startupProbe that allows about 62 s to start (liveness checks begin only after it succeeds): "
        "startupProbe: {httpGet: {path: /healthz, port: 8443, scheme: HTTPS}, periodSeconds: 10, failureThreshold: 7}"
    )
    assert startup.command == (
        "kubectl -n shop patch deployment/cert-manager-webhook-hetzner -p "
        "'{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"cert-manager-webhook-hetzner\",\"startupProbe\":"
        "{\"httpGet\":{\"path\":\"/healthz\",\"port\":8443,\"scheme\":\"HTTPS\"},\"periodSeconds\":10,\"failureThreshold\":7}}]}}}}'"
    )
    delay = step(f, "Or raise livenessProbe.initialDelaySeconds to 62")
    assert '"livenessProbe":{"initialDelaySeconds":62}' in delay.command
    assert termination(evidence(f, LAST.format(WEBHOOK)), f.explanation) == "Error, exit code 143"
    assert (
        "Exit code 143 = 128 + 15 (SIGTERM): it was asked to stop (pod deletion, eviction, rollout, or a failed liveness probe) and exited on the signal."
        in f.explanation
    )


def test_a_startup_probe_that_is_too_short(engine):
    """No probe event here (they expire after an hour): the SIGTERM exit right at the startup probe's
    deadline is the evidence."""
    target = webhook(95, startup={**PROBE, "periodSeconds": 5, "failureThreshold": 18})
    f = finding(diagnose(engine, cluster(node("worker-1"), target), target), "app-error")
    assert evidence(f, f"spec.containers[{WEBHOOK}].startupProbe, status.containerStatuses[{WEBHOOK}].lastState.terminated") == [
        "the startup probe can kill it 90 s after start (initialDelaySeconds 0 + periodSeconds 5 × failureThreshold 18; timeoutSeconds 1); "
        "its last run lasted 95 s, so it is killed before it ever becomes healthy (6 restarts)"
    ]
    assert f.remediation[0].text == "Give start-up about 3m10s: raise startupProbe.failureThreshold to 38 (× periodSeconds 5)."


def test_liveness_after_a_startup_probe_passed(engine):
    target = webhook(1800, startup={**PROBE, "periodSeconds": 5, "failureThreshold": 18})
    f = finding(diagnose(engine, cluster(node("worker-1"), target, probe_events(target)), target), "liveness-probe-failure")
    assert evidence(f, f"spec.containers[{WEBHOOK}].livenessProbe, status.containerStatuses[{WEBHOOK}].lastState.terminated") == [
        "the liveness probe can kill it 30 s after its checks begin (initialDelaySeconds 0 + periodSeconds 10 × failureThreshold 3; timeoutSeconds 1); "
        "they begin once the startup probe (allowing 90 s) has passed; "
        "its last run lasted 30m: it started, then stopped answering later (a hang, overload or a slow dependency, not slow start-up)"
    ]


def test_liveness_probe_failing_long_after_start_is_not_slow_start_up(engine):
    target = webhook(3600, probe={"initialDelaySeconds": 15, "periodSeconds": 20})
    f = finding(diagnose(engine, cluster(node("worker-1"), target, probe_events(target)), target), "liveness-probe-failure")
    assert evidence(f, f"spec.containers[{WEBHOOK}].livenessProbe, status.containerStatuses[{WEBHOOK}].lastState.terminated") == [
        "the liveness probe can kill it 75 s after start (initialDelaySeconds 15 + periodSeconds 20 × failureThreshold 3; timeoutSeconds 1); "
        "its last run lasted 60m: it started, then stopped answering later (a hang, overload or a slow dependency, not slow start-up)"
    ]
    assert not any(s.text.startswith("Add a startupProbe that allows") for s in f.remediation)


def test_probe_timing_without_probe_events(engine):
    """Events expire after an hour; a SIGKILL right at the probe's deadline still points at the probe."""
    target = webhook(33, exit_code=137)
    f = finding(diagnose(engine, cluster(node("worker-1"), target), target), "app-error")
    assert evidence(f, f"spec.containers[{WEBHOOK}].livenessProbe, status.containerStatuses[{WEBHOOK}].lastState.terminated") == [
        "the liveness probe can kill it 30 s after start (initialDelaySeconds 0 + periodSeconds 10 × failureThreshold 3; timeoutSeconds 1); "
        "its last run lasted 33 s, so it is killed before it ever becomes healthy (6 restarts)"
    ]
    assert termination(evidence(f, LAST.format(WEBHOOK)), f.explanation) == "Error, exit code 137"
    assert "Exit code 137 = 128 + 9 (SIGKILL): killed with SIGKILL from outside" in f.explanation


def test_exit_codes_127_and_139(engine):
    shell = crashing(
        "config-manager-0",
        "config-manager",
        "apecloud/kubeblocks-tools:0.5.0",
        owner=("StatefulSet", "config-manager"),
        last={"reason": "Error", "exitCode": 127},
        command=["/bin/reloader"],
        args=["--config", "/etc/reload.yaml"],
    )
    # https://github.com/apecloud/kubeblocks/issues/4633 (reason Error, exit code 127)
    f = finding(diagnose(engine, cluster(node("worker-1"), shell), shell), "command-not-found")
    assert termination(evidence(f, LAST.format("config-manager")), f.explanation) == "Error, exit code 127"
    assert (
        "Exit code 127 means the shell could not find the command: a typo in command/args, a binary that is not in this image, or a script whose interpreter (#!) is missing"
        in f.explanation.replace("\n", " ")
    )
    assert evidence(f, "spec.containers[config-manager].command, .args") == [
        'command ["/bin/reloader"], args ["--config","/etc/reload.yaml"]'
    ]
    segfault = crashing("backstage-0", "backstage", "backstage:1.20", owner=("StatefulSet", "backstage"), last={"exitCode": 139})
    # https://github.com/backstage/charts/issues/203 (exit code 139 only)
    f = finding(diagnose(engine, cluster(node("worker-1"), segfault), segfault), "app-error")
    assert termination(evidence(f, LAST.format("backstage")), f.explanation) == "no reason, exit code 139"
    assert (
        "Exit code 139 = 128 + 11 (SIGSEGV): a segmentation fault: invalid memory access in native code (a bug, or a library or architecture mismatch)."
        in f.explanation
    )


def test_termination_message_is_quoted(engine):
    # With terminationMessagePolicy FallbackToLogsOnError the kubelet copies the log's tail into the message.
    # https://github.com/kubeedge/sedna/issues/320
    line = "ModuleNotFoundError: No module named 'cv2'"
    target = crashing(
        "kb-0",
        "kb",
        "kubeedge/sedna-kb:v0.4.0",
        owner=("StatefulSet", "kb"),
        last={"reason": "Error", "exitCode": 1, "message": line},
        terminationMessagePolicy="FallbackToLogsOnError",
    )
    f = finding(diagnose(engine, cluster(node("worker-1"), target), target), "app-error")
    assert evidence(f, LAST.format("kb") + ".message") == [line]
    assert termination(evidence(f, LAST.format("kb")), f.explanation) == "Error, exit code 1"
    assert "Exit code 1: a general error reported by the application itself." in f.explanation


def test_oom_killed_init_container_gets_a_patch(engine):
    init = container("init-myservice", "busybox:1.36", memory="32Mi", limits={"memory": "64Mi"})
    last = {"reason": "OOMKilled", "exitCode": 0}
    statuses = {"initContainerStatuses": [waiting_status("init-myservice", "busybox:1.36", "CrashLoopBackOff", restarts=2, last=last)]}
    target = pod(
        "myapp-0",
        node_name="worker-1",
        phase="Pending",
        owner=("StatefulSet", "myapp"),
        containers=[container("myapp", "busybox:1.36")],
        init_containers=[init],
        statuses=[],
        status=statuses,
    )
    # https://github.com/kubernetes/kubernetes/issues/104454 (an init container OOMKilled with exit code 0)
    f = finding(diagnose(engine, cluster(node("worker-1"), target), target), "oom-killed", "init-myservice")
    assert evidence(f, "spec.initContainers[init-myservice].resources") == ["memory limit 64Mi, request 32Mi"]
    assert f.remediation[0].command == (
        "kubectl -n shop patch statefulset/myapp -p "
        "'{\"spec\":{\"template\":{\"spec\":{\"initContainers\":[{\"name\":\"init-myservice\",\"resources\":{\"limits\":{\"memory\":\"128Mi\"}}}]}}}}'"
    )


def test_the_logs_note_quotes_names_for_the_shell_and_offers_no_command_for_an_option_like_name(engine):
    """Names in a snapshot are whatever the file says: the note's kubectl command quotes them, and a
    name that kubectl would read as an option gets no command at all."""
    # a crash with nothing recorded but its exit code: the crash-loop playbook wants the previous run's logs
    odd = crashing("web;id", "app", "registry.example/web:1", last={"reason": "Error", "exitCode": 1})
    [note] = [n for n in diagnose(engine, cluster(node("worker-1"), odd), odd).notes if n.startswith("no logs")]
    assert note.endswith(": kubectl logs -n shop 'web;id' -c app --previous"), note
    option = crashing("--server=https://evil.example", "app", "registry.example/web:1", last={"reason": "Error", "exitCode": 1})
    [note] = [n for n in diagnose(engine, cluster(node("worker-1"), option), option).notes if n.startswith("no logs")]
    assert note == "no logs were available for container app; its cause may be in them", note
