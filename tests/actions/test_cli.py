"""`k8sdoctor describe|logs pod`: output, snapshots, and one clear line for each error."""

from __future__ import annotations

import io

import pytest

from k8sdoctor.cli.actions_cmd import CITED_MARK, HIGHLIGHT, RESET, run_describe, run_logs
from k8sdoctor.cli.main import build_parser, main
from k8sdoctor.fakeapi import FakeApiServer, Rule
from tests.actions.helpers import CLUSTER, PLANTED, has_kubectl, kubectl

KB = "kb-5c7d8f9b6-q4w2e"


@pytest.fixture
def run(kubeconfig, capsys):
    """`run(*argv)` → (exit code, stdout, stderr) of k8sdoctor against the fake server."""

    def go(*argv: str) -> tuple[int, str, str]:
        code = main(["--kubeconfig", str(kubeconfig), *argv])
        out = capsys.readouterr()
        return code, out.out, out.err

    return go


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


# ---- describe ---------------------------------------------------------------------------------------
def test_describe_prints_plain_text_to_a_pipe(run):
    code, out, err = run("describe", "pod", "memory-demo-2", "-n", "shop")
    assert code == 0 and err == ""
    assert "\x1b" not in out
    assert out.splitlines()[0] == "Name:         memory-demo-2"
    assert "    Last State:     Terminated\n      Reason:       OOMKilled\n      Exit Code:    137\n" in out


def test_describe_explain_highlights_the_cited_fields_on_a_terminal(kubeconfig, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    args = build_parser().parse_args(["--kubeconfig", str(kubeconfig), "describe", "pod", "memory-demo-2", "-n", "shop", "--explain"])
    out = Terminal()
    assert run_describe(args, out) == 0
    highlighted = [line for line in out.getvalue().splitlines() if line.startswith(HIGHLIGHT)]
    assert f"{HIGHLIGHT}      Reason:       OOMKilled{RESET}" in highlighted
    assert out.getvalue().endswith(f"{HIGHLIGHT}highlighted{RESET}: the fields the diagnosis cites as evidence\n")


def test_describe_adds_nothing_of_its_own_unless_asked(kubeconfig, run):
    """By default a terminal gets kubectl's text too: no highlight, no waiting message; --explain piped
    marks the cited lines with the finding's title instead of colour."""
    args = build_parser().parse_args(["--kubeconfig", str(kubeconfig), "describe", "pod", "db-0", "-n", "shop"])
    out = Terminal()
    assert run_describe(args, out) == 0
    init_section = out.getvalue().split("Init Containers:")[1].split("\nContainers:")[0]
    assert "\x1b" not in out.getvalue() and "Reason:       CreateContainerConfigError" in init_section and "Message:" not in init_section
    code, piped, _err = run("describe", "pod", "db-0", "-n", "shop")
    assert code == 0 and piped == out.getvalue()
    code, explained, _err = run("describe", "pod", "db-0", "-n", "shop", "--explain")
    # source: https://github.com/rustyrazorblade/easy-db-lab/issues/733
    assert any(line.startswith('      Message:      configmap "cluster-config" not found') for line in explained.splitlines())
    marked = [line for line in explained.splitlines() if CITED_MARK in line]
    assert marked and all(line.split(CITED_MARK)[1] for line in marked)
    assert explained.endswith("« marks the fields the diagnosis cites as evidence\n")


def test_describe_never_prints_a_secret_value(run):
    code, out, _err = run("describe", "pod", "kitchen-sink-0", "-n", "lab")
    assert code == 0 and "<set to the key 'token' in secret 'planted-secret'>" in out and PLANTED not in out


@pytest.mark.kubectl
def test_describe_from_a_cluster_info_dump_reads_as_live(server, kubeconfig, tmp_path, capsys):
    if not has_kubectl():
        pytest.skip("kubectl is not installed")
    dump = tmp_path / "dump"
    result = kubectl(kubeconfig, tmp_path / "home", "cluster-info", "dump", "--output-directory", str(dump), "--namespaces", "shop")
    assert result.returncode == 0, result.stderr
    web = "web-6d4cf56db6-abcde"  # no events: nothing in its text depends on when it is read
    assert main(["--snapshot", str(dump), "describe", "pod", web]) == 0
    from_dump = capsys.readouterr().out
    assert main(["--kubeconfig", str(kubeconfig), "describe", "pod", web, "-n", "shop"]) == 0
    assert from_dump == capsys.readouterr().out and "Containers:\n  app:\n" in from_dump
    assert main(["--snapshot", str(dump), "logs", "pod", web, "-c", "app"]) == 0
    assert '"GET /healthz HTTP/1.1" 200' in capsys.readouterr().out


# ---- logs -------------------------------------------------------------------------------------------
def test_logs_default_to_the_failing_container_and_offer_the_previous_run(run):
    code, out, err = run("logs", "pod", KB, "-n", "shop", "--tail", "1")
    # source: https://github.com/kubeedge/sedna/issues/320
    assert (code, out) == (0, "ModuleNotFoundError: No module named 'cv2'\n")
    assert err == "k8sdoctor: kb has restarted 9 time(s); --previous shows the run before\n"
    code, out, err = run("logs", "pod", "web-6d4cf56db6-abcde", "-n", "shop", "--tail", "1")
    assert code == 0 and err == 'k8sdoctor: logs of container "app" (-c to choose: app, log-shipper)\n'


def test_logs_escape_what_would_drive_the_terminal_and_pipe_it_as_it_is(server, kubeconfig, run):
    server.append_log("shop", "web-6d4cf56db6-abcde", "app", "\x1b]0;owned\x07\x1b[2Jgone")
    args = build_parser().parse_args(["--kubeconfig", str(kubeconfig), "logs", "pod", "web-6d4cf56db6-abcde", "-n", "shop", "-c", "app"])
    args.tail = 1
    out = Terminal()
    assert run_logs(args, out) == 0
    assert out.getvalue() == "\\x1b]0;owned\\x07\\x1b[2Jgone\n"
    code, piped, _err = run("logs", "pod", "web-6d4cf56db6-abcde", "-n", "shop", "-c", "app", "--tail", "1")
    assert (code, piped) == (0, "\x1b]0;owned\x07\x1b[2Jgone\n")


def test_a_container_without_logs_shows_why_and_the_events(kubeconfig, run):
    code, out, err = run("logs", "pod", "kafdrop-1-j4969", "-n", "myproject")
    assert (code, out) == (1, "")  # piped: nothing on stdout, as kubectl
    # source: https://github.com/red-hat-storage/ocs-ci/issues/4494
    assert err.splitlines()[0] == (
        'k8sdoctor: no logs: container kafdrop has never started (ImagePullBackOff: Back-off pulling image '
        '"obsidiandynamics/kafdrop:latest"), so it has written no logs; the pod\'s events instead:'
    )
    assert err.splitlines()[1] == "Events:" and "toomanyrequests: You have reached your pull rate limit." in err
    args = build_parser().parse_args(["--kubeconfig", str(kubeconfig), "logs", "pod", "kafdrop-1-j4969", "-n", "myproject"])
    terminal = Terminal()
    assert run_logs(args, terminal) == 1
    assert terminal.getvalue().splitlines()[0] == "Events:"


def test_logs_from_a_snapshot_without_kubectl(tmp_path, capsys):
    from tests.snapshot import cases
    from tests.snapshot.dump_fixture import write_dump

    write_dump(tmp_path / "dump")
    assert main(["--snapshot", str(tmp_path / "dump"), "logs", "pod", cases.WEKAN_POD, "-c", "wekan", "--tail", "2"]) == 0
    # source: https://github.com/wekan/wekan/issues/6363
    assert capsys.readouterr().out == "}\nNode.js v24.16.0\n"


# ---- one line per error -----------------------------------------------------------------------------
def test_a_pod_that_is_not_there(run):
    assert run("logs", "pod", "memory-demo", "-n", "shop")[1:] == (
        "",
        'k8sdoctor: error: pod "memory-demo" not found in namespace "shop"\ndid you mean: memory-demo-2?\n',
    )


def test_a_container_that_is_not_there(run):
    code, _out, err = run("logs", "pod", "web-6d4cf56db6-abcde", "-n", "shop", "-c", "shipper")
    assert code == 2
    assert err == (
        'k8sdoctor: error: container "shipper" not found in pod "web-6d4cf56db6-abcde" '
        "(it has: app, log-shipper)\ndid you mean: log-shipper, app?\n"
    )


def test_a_user_who_may_not_read_logs(tmp_path, capsys):
    with FakeApiServer(auth=True) as srv:
        srv.load_scenario(CLUSTER)
        token = srv.add_user("viewer", [Rule(("get", "list", "watch"), ("pods", "events"))])
        kubeconfig = srv.write_kubeconfig(tmp_path / "viewer", token=token)
        assert main(["--kubeconfig", str(kubeconfig), "logs", "pod", KB, "-n", "shop", "-c", "kb"]) == 2
    assert capsys.readouterr().err == (
        'k8sdoctor: error: pods "kb-5c7d8f9b6-q4w2e" is forbidden: User "viewer" cannot get resource "pods/log" in '
        'API group "" in the namespace "shop"\n'
    )


def test_describe_of_a_pod_that_is_not_there_reads_only_what_kubectl_reads(server, run):
    assert run("describe", "pod", "memory-demo", "-n", "shop")[1:] == (
        "",
        'k8sdoctor: error: pod "memory-demo" not found in namespace "shop"\ndid you mean: memory-demo-2?\n',
    )
    server.clear_requests()
    assert run("describe", "pod", "memory-demo-2", "-n", "shop")[0] == 0
    assert [(r.method, r.path) for r in server.requests()] == [
        ("GET", "/api/v1/namespaces/shop/pods/memory-demo-2"),
        ("GET", "/api/v1/namespaces/shop/events"),
    ]
