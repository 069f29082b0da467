"""Bad input gets one clear line and exit code 2, never a traceback."""

from __future__ import annotations

import re
import socket

import pytest

from k8sdoctor.fakeapi import Rule


def assert_one_line(result, *fragments: str) -> None:
    assert result.code == 2, (result.code, result.err)
    assert "Traceback" not in result.err
    assert len(result.err_lines) == 1, result.err
    for fragment in fragments:
        assert fragment in result.err_lines[0], result.err


def test_unknown_pod_suggests_close_names(run_cli, demo_kubeconfig):
    result = run_cli("diagnose", "pod", "kestra", kubeconfig=demo_kubeconfig)
    assert result.code == 2
    assert result.err_lines[0] == 'k8sdoctor: error: pod "kestra" not found in namespace "shop"'
    assert result.err_lines[1].startswith("did you mean: kestra-")
    assert len(result.err_lines) == 2 and "Traceback" not in result.err


def test_no_kubeconfig(run_cli, tmp_path):
    result = run_cli("diagnose", "pods", env={"KUBECONFIG": str(tmp_path / "missing")})
    assert_one_line(result, "no kubeconfig at", "set KUBECONFIG or pass --kubeconfig")


def test_unreachable_api_server(run_cli, tmp_path):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(
        f"apiVersion: v1\nkind: Config\nclusters: [{{name: c, cluster: {{server: 'http://127.0.0.1:{port}'}}}}]\n"
        "users: [{name: u, user: {}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n"
    )
    result = run_cli("diagnose", "pods", kubeconfig=kubeconfig)
    assert_one_line(result, f"cannot reach the API server at http://127.0.0.1:{port}")
    assert result.err_lines[0] == f"k8sdoctor: error: cannot reach the API server at http://127.0.0.1:{port}: Connection refused"


def test_demo_on_a_port_in_use_is_one_line(run_cli):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("demo", "--serve-only", "--port", str(port))
    assert result.code == 2
    assert result.err_lines == [
        f"k8sdoctor: error: the demo cannot serve on port {port}: it is in use",
        "leave out --port to use any free port",
    ]


def test_forbidden_list_names_the_permission(run_cli, demo_server, tmp_path):
    token = demo_server.add_user("viewer-elsewhere", [Rule(("get", "list"), ("pods",), namespaces=("other",))])
    kubeconfig = demo_server.write_kubeconfig(tmp_path / "kc", token=token, namespace="shop")
    result = run_cli("diagnose", "pods", kubeconfig=kubeconfig)
    assert_one_line(
        result, 'pods is forbidden: User "viewer-elsewhere" cannot list resource "pods" in API group "" in the namespace "shop"'
    )


def test_forbidden_evidence_degrades_with_a_note(run_cli, demo_server, tmp_path):
    """A user who may read pods but not events, nodes or logs still gets a diagnosis, and is told."""
    token = demo_server.add_user("pods-only", [Rule(("get", "list"), ("pods",))])
    kubeconfig = demo_server.write_kubeconfig(tmp_path / "kc", token=token, namespace="mem-example")
    result = run_cli("diagnose", "pod", "memory-demo-2", "-o", "json", kubeconfig=kubeconfig)
    assert result.code == 1, result.err
    payload = result.json()
    assert payload["findings"][0]["cause"] == "oom-killed"
    assert any('cannot list resource "events"' in note for note in payload["notes"]), payload["notes"]


def test_malformed_playbook_names_file_field_and_reason(run_cli, tmp_path):
    bad = tmp_path / "playbooks"
    bad.mkdir()
    (bad / "broken.yaml").write_text(
        "id: broken\ncategory: X\ntitle: t\nmatch: {container.waiting.reason: X}\n"
        "causes:\n  - id: cause-a\n    title: t\n    explanation: e\n    remediation: [{text: r}]\n    match: {event: {message: {regex: '(a+)+$'}}}\n"
        "fallback: {id: fallback-a, title: t, explanation: e, remediation: [{text: r}]}\n"
    )
    snapshot = tmp_path / "empty.json"
    snapshot.write_text('{"apiVersion": "v1", "kind": "List", "items": []}')
    result = run_cli("diagnose", "pods", "--snapshot", str(snapshot), "--playbooks", str(bad))
    assert_one_line(result, "broken.yaml", "causes[0].match.event.message.regex", "nested quantifiers")


def test_malformed_snapshot(run_cli, tmp_path):
    truncated = tmp_path / "pods.json"
    truncated.write_text('{"apiVersion": "v1", "kind": "List", "items": [{"kind": "Pod", "metadata": {"name": "a"')
    result = run_cli("diagnose", "pods", "--snapshot", str(truncated))
    assert_one_line(result, "pods.json", "truncated")


@pytest.mark.parametrize(
    "argv", [["diagnose"], ["diagnose", "podz"], ["diagnose", "pods", "-o", "xml"], ["diagnose", "all", "web"], ["diagnose", "deploy/"]]
)
def test_usage_errors_exit_2(run_cli, argv):
    result = run_cli(*argv)
    assert result.code == 2
    assert "usage:" in result.err and "Traceback" not in result.err


def test_hanging_api_server_times_out_with_one_line(run_cli, demo_server, demo_kubeconfig):
    fault = demo_server.hang("pods")
    try:
        result = run_cli("diagnose", "pods", "--request-timeout", "1", kubeconfig=demo_kubeconfig, timeout=30)
    finally:
        demo_server.clear_faults()
    assert_one_line(result, "did not answer in time")
    assert fault is not None


def test_slow_but_answering_server_is_waited_for(run_cli, demo_server, demo_kubeconfig):
    demo_server.slow(0.5, "pods")
    try:
        result = run_cli("diagnose", "pods", "--request-timeout", "3", "-o", "json", kubeconfig=demo_kubeconfig)
    finally:
        demo_server.clear_faults()
    assert result.code == 1 and result.json()["items"], result.err


def test_malformed_config_file(run_cli, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("read_only: sometimes\n")
    result = run_cli("diagnose", "pods", env={"K8SDOCTOR_CONFIG": str(config)})
    assert_one_line(result, "config.yaml: read_only must be true or false")


def test_a_namespace_that_does_not_exist_is_an_error_with_the_closest_names(run_cli, demo_kubeconfig):
    result = run_cli("diagnose", "pods", "-n", "observabilty", kubeconfig=demo_kubeconfig)
    assert result.code == 2, result.out
    assert result.err_lines == ['k8sdoctor: error: namespace "observabilty" not found', "did you mean: observability?"]
    assert result.out == ""


def test_an_empty_namespace_that_exists_is_healthy(run_cli, demo_server, demo_kubeconfig):
    demo_server.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "quiet"}})
    try:
        result = run_cli("diagnose", "pods", "-n", "quiet", kubeconfig=demo_kubeconfig)
    finally:
        demo_server.delete("Namespace", "", "quiet")
    assert (result.code, result.err) == (0, "")
    assert "0 pods: 0 healthy" in result.out


def test_without_the_right_to_read_namespaces_an_empty_namespace_may_not_exist(run_cli, demo_server, tmp_path):
    token = demo_server.add_user("viewer", [Rule(verbs=("get", "list", "watch"), resources=("pods", "events"), api_groups=("",))])
    kubeconfig = demo_server.write_kubeconfig(tmp_path / "viewer", namespace="observabilty", token=token)
    result = run_cli("diagnose", "pods", kubeconfig=kubeconfig)
    assert result.code == 0
    assert result.err_lines == [
        'k8sdoctor: note: namespace "observabilty" has no pods, or does not exist: this user may not read namespaces to tell'
    ]


def test_a_pod_looked_for_in_the_wrong_namespace_says_where_it_is(run_cli, demo_kubeconfig):
    result = run_cli("diagnose", "pod", "loki-4hk5xk6tsn-5g5rr", kubeconfig=demo_kubeconfig)  # the context's namespace is shop
    assert result.code == 2
    assert result.err_lines == [
        'k8sdoctor: error: pod "loki-4hk5xk6tsn-5g5rr" not found in namespace "shop"; a pod of that name is in namespace '
        '"observability": add -n observability',
        "did you mean: -n observability?",
    ]


def test_a_pod_in_a_namespace_that_does_not_exist(run_cli, demo_kubeconfig):
    result = run_cli("diagnose", "pod", "web", "-n", "observabilty", kubeconfig=demo_kubeconfig)
    assert result.code == 2
    assert result.err_lines == [
        'k8sdoctor: error: pod "web" not found in namespace "observabilty": namespace "observabilty" does not exist',
        "did you mean: observability?",
    ]


def test_the_help_describes_every_argument_and_the_exit_codes(run_cli):
    """`diagnose --help`: -o says what each format is, NAME is described, the exit codes are listed;
    `playbooks --help` offers no cluster flags (it reads no cluster)."""
    text = run_cli("diagnose", "--help").out
    assert re.search(r"-o \{text,json,yaml,markdown\}.*\n\s+text \(default", text)
    assert re.search(r"\n  NAME\s+the object's name", text)
    codes = text.split("exit codes:", 1)[1]
    assert [line.split()[0] for line in codes.strip().splitlines()] == ["0", "1", "2", "130"]
    playbooks = run_cli("playbooks", "--help").out
    assert "--kubeconfig" not in playbooks and "--context" not in playbooks
