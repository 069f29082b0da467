"""`GET pods/NAME/log`: container choice, previous logs, tail/limit/timestamps, the kubelet's refusals, follow."""

from __future__ import annotations

import re
import threading

import orjson
import pytest
from kubernetes.client.exceptions import ApiException

WEB = "web-6d4cf56db6-abcde"
KB = "kb-5c7d8f9b6-q4w2e"


def log(core, pod: str, namespace: str = "shop", **options) -> str:
    return core.read_namespaced_pod_log(pod, namespace, _preload_content=False, **options).data.decode()


def refusal(core, pod: str, namespace: str = "shop", **options) -> str:
    with pytest.raises(ApiException) as caught:
        core.read_namespaced_pod_log(pod, namespace, **options)
    assert caught.value.status == 400
    body = orjson.loads(caught.value.body)
    assert body["reason"] == "BadRequest"
    return body["message"]


def test_previous_logs_with_tail_and_limit(core):
    # source: https://github.com/kubeedge/sedna/issues/320
    text = log(core, KB, container="kb", previous=True)
    assert text.splitlines()[0] == "Traceback (most recent call last):"
    assert text.endswith("ModuleNotFoundError: No module named 'cv2'\n")
    assert log(core, KB, previous=True, tail_lines=1) == "ModuleNotFoundError: No module named 'cv2'\n"
    assert log(core, KB, previous=True, limit_bytes=9) == "Traceback"


def test_timestamps_prefix_each_line(core):
    lines = log(core, WEB, container="app", timestamps=True).splitlines()
    assert len(lines) == 3
    assert all(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z 10\.131\.0\.1 - - ", line) for line in lines)


def test_container_must_be_named_in_a_multi_container_pod(core):
    assert refusal(core, WEB) == (f"a container name must be specified for pod {WEB}, choose one of: [app log-shipper]")
    assert refusal(core, "db-0", container="nope") == "container nope is not valid for pod db-0"


def test_kubelet_refusals_follow_the_container_status(core):
    assert refusal(core, WEB, container="app", previous=True) == (f'previous terminated container "app" in pod "{WEB}" not found')
    assert refusal(core, "kafdrop-1-j4969", "myproject") == (
        'container "kafdrop" in pod "kafdrop-1-j4969" is waiting to start: trying and failing to pull image'
    )
    assert refusal(core, "db-0", container="setup-config") == (
        'container "setup-config" in pod "db-0" is waiting to start: CreateContainerConfigError'
    )


def test_current_log_of_a_restarting_container_is_its_last_run(core):
    assert log(core, KB) == log(core, KB, previous=True) != ""


def test_stored_logs_win_and_empty_logs_are_empty(server, core):
    assert log(core, WEB, container="log-shipper") == ""
    assert log(core, "es-client-0") == ""  # not scheduled: nothing to read
    # source: https://github.com/kubeedge/sedna/issues/320
    server.set_logs("shop", KB, "kb", ["ModuleNotFoundError: No module named 'cv2'"])
    assert log(core, KB) == "ModuleNotFoundError: No module named 'cv2'\n"


def test_follow_streams_appended_lines(server, core):
    response = core.read_namespaced_pod_log(WEB, "shop", container="app", follow=True, tail_lines=1, _preload_content=False)
    appended = [
        '10.131.0.1 - - [12/May/2024:10:00:31 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.32"',
        '10.131.0.1 - - [12/May/2024:10:00:41 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.32"',
    ]
    threading.Timer(0.2, server.append_log, ["shop", WEB, "app", appended]).start()
    lines = []
    for line in response:
        lines.append(line.decode().rstrip("\n"))
        if len(lines) == 3:
            break
    response.close()
    assert lines[0].startswith("10.131.0.1 - - [12/May/2024:10:00:21")
    assert lines[1:] == appended
