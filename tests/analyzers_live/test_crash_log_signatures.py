"""Log signatures, live: one crashing pod per runtime (Python, JVM, Go, Node, Ruby, .NET, nginx,
PostgreSQL) with the previous container's real log; a namespace scan quotes the matched line with its
line number in the tail and names the cause."""

from __future__ import annotations

import pytest

from tests.analyzers_live.objects import container, corpus_logs, node, pod, terminated, waiting_status

#: (pod, owner, container, image, exit code, corpus case, its source): the log is the case's, verbatim
CRASHES = [
    (
        "patroni-0",
        ("StatefulSet", "patroni"),
        "patroni",
        "registry.example/spilo:2.1",
        1,
        "logsig-python-psycopg2-connection-refused",
        "https://github.com/patroni/patroni/issues/2354",
    ),
    (
        "jlogstash-7d6c5b4a3-a1s2d",
        ("ReplicaSet", "jlogstash-7d6c5b4a3"),
        "jlogstash",
        "registry.example/jlogstash:1.3",
        1,
        "logsig-jvm-java-heap-space-jlogstash",
        "https://github.com/DTStack/jlogstash/issues/36",
    ),
    (
        "stork-5c4b3a2d1-f3g4h",
        ("ReplicaSet", "stork-5c4b3a2d1"),
        "stork",
        "openstorage/stork:2.0.0",
        2,
        "logsig-go-nil-pointer-panic-stork",
        "https://github.com/libopenstorage/stork/issues/45",
    ),
    (
        "wekan-6f5e4d3c2-j5k6l",
        ("ReplicaSet", "wekan-6f5e4d3c2"),
        "wekan",
        "wekanteam/wekan:v7.93",
        1,
        "wekan-node-cannot-find-module",
        "https://github.com/wekan/wekan/issues/6363",
    ),
    (
        "fluentd-x7c8v",
        ("DaemonSet", "fluentd"),
        "fluentd",
        "fluent/fluentd-kubernetes-daemonset:v1",
        1,
        "logsig-ruby-errno-econnrefused-fluentd",
        "https://github.com/fluent-plugins-nursery/fluent-plugin-kubernetes_metadata_filter/issues/16",
    ),
    (
        "frontend-8b7a6c5d4-z9x8c",
        ("ReplicaSet", "frontend-8b7a6c5d4"),
        "frontend",
        "registry.example/frontend:1.0",
        134,
        "logsig-dotnet-unhandled-exception-filenotfound",
        "https://github.com/dotnet/tye/issues/1620",
    ),
    (
        "jitsi-web-4d3c2b1a0-q1w2e",
        ("ReplicaSet", "jitsi-web-4d3c2b1a0"),
        "web",
        "jitsi/web:stable-4101",
        1,
        "logsig-nginx-emerg-open-config-missing",
        "https://github.com/jitsi/docker-jitsi-meet/issues/315",
    ),
    (
        "crunchy-master-0",
        ("StatefulSet", "crunchy-master"),
        "postgres",
        "crunchydata/crunchy-postgres:centos7-9.6-1.4.0",
        1,
        "logsig-postgresql-wrong-ownership-crunchy-nfs",
        "https://github.com/CrunchyData/crunchy-containers/issues/161",
    ),
]


@pytest.fixture(scope="module", autouse=True)
def cluster(server):
    server.apply(node("worker-1"))
    for name, owner, cname, image, code, case, source in CRASHES:
        status = waiting_status(cname, image, "CrashLoopBackOff", restarts=4, last=terminated("Error", code))
        server.apply(pod(name, "platform", node_name="worker-1", owner=owner, containers=[container(cname, image)], statuses=[status]))
        server.set_logs("platform", name, cname, corpus_logs(case, source), previous=True)


@pytest.fixture(scope="module")
def scan(k8sdoctor) -> dict:
    result = k8sdoctor("diagnose", "pods", "-n", "platform", "-o", "json")
    assert result.code == 1, result.err
    return {item["name"]: item for item in result.json()["items"]}


@pytest.mark.parametrize(
    "name, cause, source, line",
    [
        # https://github.com/patroni/patroni/issues/2354
        # (the matching continuation lines after it are quoted from the line the message starts on)
        (
            "patroni-0",
            "dependency-unreachable",
            "logs patroni (previous) line 4 of 6",
            "psycopg2.OperationalError: could not connect to server: Connection refused",
        ),
        # https://github.com/DTStack/jlogstash/issues/36
        (
            "jlogstash-7d6c5b4a3-a1s2d",
            "runtime-out-of-memory",
            "logs jlogstash (previous) line 5 of 5",
            'Exception in thread "elasticsearch[_client_][scheduler][T#1]" java.lang.OutOfMemoryError: Java heap space',
        ),
        # https://github.com/libopenstorage/stork/issues/45
        (
            "stork-5c4b3a2d1-f3g4h",
            "app-error",
            "logs stork (previous) line 3 of 7",
            "panic: runtime error: invalid memory address or nil pointer dereference",
        ),
        # https://github.com/wekan/wekan/issues/6363
        ("wekan-6f5e4d3c2-j5k6l", "app-error", "logs wekan (previous) line 4 of 16", "Error: Cannot find module '/build/main.js'"),
        # https://github.com/fluent-plugins-nursery/fluent-plugin-kubernetes_metadata_filter/issues/16
        (
            "fluentd-x7c8v",
            "dependency-unreachable",
            "logs fluentd (previous) line 1 of 2",
            "2016-03-03  03:32:39 +0000 [error]: unexpected error  error_class=Errno::ECONNREFUSED error=#<Errno::ECONNREFUSED:  Connection refused - connect(2)>",
        ),
        # https://github.com/dotnet/tye/issues/1620
        (
            "frontend-8b7a6c5d4-z9x8c",
            "missing-config",
            "logs frontend (previous) line 1 of 1",
            "Unhandled exception. System.IO.FileNotFoundException: Could not find file '/app/localhost.pfx'.",
        ),
        # https://github.com/jitsi/docker-jitsi-meet/issues/315
        (
            "jitsi-web-4d3c2b1a0-q1w2e",
            "missing-config",
            "logs web (previous) line 1 of 1",
            'nginx: [emerg] open() "/config/nginx/nginx.conf" failed (2: No such file or directory)',
        ),
        # https://github.com/CrunchyData/crunchy-containers/issues/161
        (
            "crunchy-master-0",
            "permission-denied",
            "logs postgres (previous) line 1 of 2",
            '2017-05-29 09:03:33 EDT [57]: [1-1] user=,db=,app=,client=FATAL:  data directory "/pgdata/peeking-mole-crunchy-master" has wrong ownership',
        ),
    ],
)
def test_matched_log_line_is_quoted_with_its_line_number(scan, name, cause, source, line):
    [f] = scan[name]["findings"]
    assert (f["category"], f["cause"]) == ("CrashLoopBackOff", cause)
    assert f["evidence"][0] == {"source": source, "text": line}


@pytest.mark.parametrize(
    "name, text, command",
    [
        (
            "fluentd-x7c8v",
            "Check that the dependency's Service exists and has ready endpoints.",
            "kubectl -n platform get svc,endpointslices",
        ),
        (
            "jitsi-web-4d3c2b1a0-q1w2e",
            "Compare the env and mounts the pod provides with what the app expects.",
            "kubectl -n platform set env deployment/jitsi-web -c web --list",
        ),
        (
            "crunchy-master-0",
            "Check the user the container runs as and the ownership of its volumes.",
            "kubectl -n platform get pod crunchy-master-0 -o jsonpath='{.spec.securityContext}{\"\\n\"}{.spec.containers[?(@.name==\"postgres\")].securityContext}'",
        ),
        (
            "stork-5c4b3a2d1-f3g4h",
            "Read the previous container's log.",
            "kubectl -n platform logs stork-5c4b3a2d1-f3g4h -c stork --previous --tail=100",
        ),
    ],
)
def test_each_cause_leads_with_its_own_step(scan, name, text, command):
    [f] = scan[name]["findings"]
    assert f["remediation"][0] == {"text": text, "command": command}


def test_heap_exhaustion_is_not_blamed_on_the_kernel(scan):
    [f] = scan["jlogstash-7d6c5b4a3-a1s2d"]["findings"]
    assert not any("the kernel killed it" in e["text"] for e in f["evidence"])
