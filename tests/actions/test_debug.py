"""debug: the exact PATCH the fake server receives for each profile and Pod Security level, the checks
before it, the refusals, and the flow through `k8sdoctor debug` with an injected attach runner."""

from __future__ import annotations

import io
import random
import re
import threading

import pytest

from k8sdoctor.actions import debug
from k8sdoctor.actions.profiles import choose_profile
from k8sdoctor.cli.actions_cmd import run_debug
from k8sdoctor.cli.main import build_parser, main
from k8sdoctor.cluster.live.client import KubeClient
from k8sdoctor.cluster.live.fetch import LiveFetcher
from k8sdoctor.demo.timeline import DemoTimeline
from k8sdoctor.errors import NotFoundError, UserError
from k8sdoctor.fakeapi import FakeApiServer, Rule
from tests.actions.helpers import CLUSTER, AttachRecorder, has_kubectl, kubectl

KB = ("shop", "kb-5c7d8f9b6-q4w2e")
PATCH_PATH = "/api/v1/namespaces/{}/pods/{}/ephemeralcontainers"
RESTRICTED = {
    "allowPrivilegeEscalation": False,
    "capabilities": {"drop": ["ALL"]},
    "runAsNonRoot": True,
    "seccompProfile": {"type": "RuntimeDefault"},
}
CONTEXTS = {
    "general": {"capabilities": {"add": ["SYS_PTRACE"]}},
    "baseline": None,
    "restricted": RESTRICTED,
    "netadmin": {"capabilities": {"add": ["NET_ADMIN", "NET_RAW"]}},
    "sysadmin": {"privileged": True},
}


def app_pod(namespace: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "app-0", "namespace": namespace},
        "spec": {"nodeName": "compute-0", "containers": [{"name": "app", "image": "nginx:1.27.2"}]},
        "status": {
            "phase": "Running",
            "containerStatuses": [{"name": "app", "ready": True, "restartCount": 0, "state": {"running": {"startedAt": "-1h"}}}],
        },
    }


def add_namespace(server: FakeApiServer, name: str, level: str | None) -> None:
    labels = {"pod-security.kubernetes.io/enforce": level} if level else {}
    server.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}})
    server.apply(app_pod(name))


def expected_body(name: str, profile: str, target: str = "app", image: str = "busybox:1.36") -> dict:
    container = {
        "image": image,
        "name": name,
        "resources": {},
        "stdin": True,
        "targetContainerName": target,
        "terminationMessagePolicy": "File",
        "tty": True,
    }
    if CONTEXTS[profile] is not None:
        container["securityContext"] = CONTEXTS[profile]
    return {"spec": {"ephemeralContainers": [container]}}


def send(client: KubeClient, namespace: str, name: str, **options) -> debug.DebugPlan:
    ready = debug.prepare(client, LiveFetcher(client).pod(namespace, name), namespace, name, rng=random.Random(5), **options)
    debug.create(client, ready.plan)
    return ready.plan


@pytest.mark.parametrize(
    ("level", "profile"),
    [("privileged", "general"), ("baseline", "baseline"), ("restricted", "restricted"), (None, "general"), ("no-such-level", "restricted")],
)
def test_the_profile_follows_the_namespaces_pod_security_level(server, client, level, profile):
    add_namespace(server, "psa", level)
    plan = send(client, "psa", "app-0")
    assert plan.choice.profile == profile
    (request,) = server.requests("PATCH", PATCH_PATH.format("psa", "app-0"))
    assert request.headers["Content-Type"] == "application/strategic-merge-patch+json"
    assert request.json() == expected_body(plan.container, profile)
    assert re.fullmatch(r"debugger-[bcdfghjklmnpqrstvwxz2456789]{5}", plan.container)
    assert plan.container == debug.debugger_name(server.get("Pod", "psa", "app-0") | {"spec": {}}, random.Random(5))
    stored = server.get("Pod", "psa", "app-0")["spec"]["ephemeralContainers"]
    assert [c["name"] for c in stored] == [plan.container]


@pytest.mark.parametrize("profile", sorted(CONTEXTS))
def test_each_profile_sends_kubectl_debugs_security_context(server, client, profile):
    add_namespace(server, "psa", "privileged")
    plan = send(client, "psa", "app-0", profile=profile, image="nicolaka/netshoot:v0.13")
    (request,) = server.requests("PATCH", PATCH_PATH.format("psa", "app-0"))
    assert request.json() == expected_body(plan.container, profile, image="nicolaka/netshoot:v0.13")
    assert plan.choice.warning is None


def test_a_profile_the_level_forbids_is_sent_only_with_a_warning():
    choice = choose_profile("lab", {"metadata": {"labels": {"pod-security.kubernetes.io/enforce": "baseline"}}}, "general")
    assert choice.warning == (
        "namespace lab enforces Pod Security level 'baseline', which rejects the 'general' profile; use --profile baseline"
    )
    unread = choose_profile("lab", None, None, "forbidden: cannot get namespaces")
    assert unread.profile == "baseline" and "could not be read (forbidden: cannot get namespaces)" in unread.reason


def test_the_target_is_the_failing_container(server, client):
    plan = send(client, *KB)
    assert plan.target == "kb"
    assert plan.kubectl_debug() == ("kubectl debug -it -n shop kb-5c7d8f9b6-q4w2e --image=busybox:1.36 --target=kb --profile=general")
    assert plan.request_text().startswith(
        "PATCH /api/v1/namespaces/shop/pods/kb-5c7d8f9b6-q4w2e/ephemeralcontainers\n"
        "Content-Type: application/strategic-merge-patch+json\n\n{\n"
    )


# ---- refusals ---------------------------------------------------------------------------------------
@pytest.fixture
def auth_server():
    with FakeApiServer(auth=True) as srv:
        srv.load_scenario(CLUSTER)
        yield srv


def reader_args(server: FakeApiServer, tmp_path, *extra: str, rules=None):
    """`k8sdoctor debug pod` argv for a user who may read pods, events and namespaces only."""
    rules = rules or [Rule(("get", "list", "watch"), ("pods", "events", "namespaces", "pods/log"))]
    token = server.add_user("dev", rules)
    kubeconfig = server.write_kubeconfig(tmp_path / "dev.kubeconfig", token=token)
    return ["--kubeconfig", str(kubeconfig), "debug", "pod", KB[1], "-n", "shop", *extra]


def test_a_user_without_the_permissions_is_told_which_and_given_the_kubectl_command(auth_server, tmp_path, capsys):
    assert main(reader_args(auth_server, tmp_path, "--yes")) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        "k8sdoctor: error: cannot debug pod kb-5c7d8f9b6-q4w2e: you lack patch pods/ephemeralcontainers in "
        "namespace shop (to add the debug container); create pods/attach in namespace shop (to attach "
        "your terminal to it)"
    )
    assert err[1].startswith(
        "ask for that permission, or run it where you have it: kubectl debug -it -n shop "
        "kb-5c7d8f9b6-q4w2e --image=busybox:1.36 --target=kb --profile=general"
    )
    reviews = [r.json()["spec"]["resourceAttributes"] for r in auth_server.requests("POST")]
    assert [(a["verb"], a["subresource"]) for a in reviews] == [("patch", "ephemeralcontainers"), ("create", "attach")]
    assert auth_server.requests("PATCH") == []


def test_a_403_on_the_patch_names_the_missing_permission(auth_server, tmp_path, capsys):
    auth_server.fail("selfsubjectaccessreviews", 500)  # the review cannot tell: the real request decides
    assert main(reader_args(auth_server, tmp_path, "--yes", "--no-attach")) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line == (
        'k8sdoctor: error: the API server refused the debug container: pods "kb-5c7d8f9b6-q4w2e" is '
        'forbidden: User "dev" cannot patch resource "pods/ephemeralcontainers" in API group "" in the '
        'namespace "shop"'
    )


def test_a_cluster_without_ephemeral_containers_gets_one_line_and_the_alternative(server, kubeconfig, capsys):
    server.fail("pods/ephemeralcontainers", 404, message="the server could not find the requested resource")
    assert main(["--kubeconfig", str(kubeconfig), "debug", "pod", KB[1], "-n", "shop", "--yes"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "k8sdoctor: error: this cluster does not serve pods/ephemeralcontainers (the server could not find "
        "the requested resource): it is older than Kubernetes 1.23 or has ephemeral containers disabled",
        "debug with a copy of the pod instead: kubectl debug -it -n shop kb-5c7d8f9b6-q4w2e "
        "--image=busybox:1.36 --copy-to=kb-5c7d8f9b6-q4w2e-debug",
    ]


def test_a_pod_gone_before_the_patch(server, client):
    ready = debug.prepare(client, LiveFetcher(client).pod(*KB), *KB)
    server.delete("Pod", *KB)
    with pytest.raises(NotFoundError, match=r'^pod "kb-5c7d8f9b6-q4w2e" not found in namespace "shop" \(it is gone\)$'):
        debug.create(client, ready.plan)


def test_an_unknown_target_container(server, kubeconfig, capsys):
    assert main(["--kubeconfig", str(kubeconfig), "debug", "pod", KB[1], "-n", "shop", "--target", "kbb", "--yes"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        'k8sdoctor: error: container "kbb" not found in pod "kb-5c7d8f9b6-q4w2e" (it has: kb)',
        "did you mean: kb?",
    ]


# ---- the command ------------------------------------------------------------------------------------
def args_for(kubeconfig, *extra: str):
    return build_parser().parse_args(["--kubeconfig", str(kubeconfig), "debug", "pod", KB[1], "-n", "shop", *extra])


def test_cancel_sends_nothing(server, kubeconfig):
    out, asked = io.StringIO(), []
    code = run_debug(args_for(kubeconfig), confirm=lambda q: asked.append(q) or False, attach=AttachRecorder(), out=out)
    assert code == 0 and out.getvalue().endswith("cancelled: nothing was sent\n")
    (question,) = asked
    assert question.startswith("Add debug container debugger-") and question.endswith(" to pod kb-5c7d8f9b6-q4w2e?")
    assert server.requests("PATCH") == []


def test_yes_creates_waits_until_running_then_attaches(server, kubeconfig):
    kubelet = DemoTimeline(server, tick=0.05)  # starts ephemeral containers as a kubelet would
    kubelet.start()
    out, runner = io.StringIO(), AttachRecorder()
    try:
        assert run_debug(args_for(kubeconfig, "--yes"), attach=runner, out=out) == 0
    finally:
        kubelet.stop()
    (request,) = server.requests("PATCH", PATCH_PATH.format(*KB))
    name = request.json()["spec"]["ephemeralContainers"][0]["name"]
    assert runner.calls == [("shop", KB[1], name)]
    assert f"created {name} in pod shop/{KB[1]}" in out.getvalue() and out.getvalue().endswith("session ended\n")
    watch = [r for r in server.requests("GET", "/api/v1/namespaces/shop/pods") if r.query.get("watch") == "true"]
    assert watch and watch[0].query["fieldSelector"] == f"metadata.name={KB[1]}"


def test_no_attach_creates_and_prints_the_attach_command(server, kubeconfig):
    out, runner = io.StringIO(), AttachRecorder()
    assert run_debug(args_for(kubeconfig, "--yes", "--no-attach"), attach=runner, out=out) == 0
    (request,) = server.requests("PATCH", PATCH_PATH.format(*KB))
    name = request.json()["spec"]["ephemeralContainers"][0]["name"]
    assert out.getvalue().endswith(f"attach with: kubectl attach -it -n shop {KB[1]} -c {name}\n")
    assert runner.calls == []


def test_read_only_disables_debug_before_any_request(server, kubeconfig, capsys):
    server.clear_requests()
    assert main(["--read-only", "--kubeconfig", str(kubeconfig), "debug", "pod", KB[1], "-n", "shop", "--yes"]) == 2
    assert capsys.readouterr().err == (
        "k8sdoctor: error: debug is disabled by --read-only: adding a debug container is the one write k8sdoctor makes\n"
    )
    assert server.requests() == []


def test_without_a_terminal_and_without_yes_it_refuses_instead_of_hanging(server, kubeconfig, monkeypatch):
    server.clear_requests()
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(UserError, match="there is no terminal to ask on: pass --yes to go ahead"):
        run_debug(args_for(kubeconfig))
    assert server.requests() == []


def test_snapshot_mode_refuses(tmp_path):
    args = build_parser().parse_args(["--snapshot", str(tmp_path), "debug", "pod", "x", "--yes"])
    with pytest.raises(UserError, match="debug needs a live cluster: a --snapshot is read-only"):
        run_debug(args)


# ---- waiting and hints ------------------------------------------------------------------------------
def test_waiting_stops_when_the_debug_image_cannot_be_pulled(server, client):
    image = "xxxxxxxxxxxxxxxxxxxx/test-service:latest"
    ready = debug.prepare(client, LiveFetcher(client).pod(*KB), *KB, image=image)
    created = debug.create(client, ready.plan)

    def kubelet_fails_to_pull() -> None:
        pod = server.get("Pod", *KB)
        # source: https://github.com/rancher-archives/rke/issues/167
        message = f'Failed to pull image "{image}": rpc error: code = Unknown desc = unauthorized: authentication required'
        pod["status"]["ephemeralContainerStatuses"] = [
            {
                "name": ready.plan.container,
                "image": image,
                "ready": False,
                "restartCount": 0,
                "state": {"waiting": {"reason": "ErrImagePull", "message": message}},
            }
        ]
        server.apply(pod)

    threading.Timer(0.2, kubelet_fails_to_pull).start()
    with pytest.raises(UserError, match="cannot start: ErrImagePull: Failed to pull image") as failed:
        debug.wait_running(client, ready.plan, created, timeout=10)
    assert failed.value.hint == "pick another image with --image"


def test_the_distroless_hint():
    def pod(image: str, events: list[str] = ()) -> tuple[dict, object]:
        from k8sdoctor.core.inventory import Inventory

        inventory = Inventory()
        raw = {
            "metadata": {"name": "p", "namespace": "x", "uid": "u"},
            "spec": {"containers": [{"name": "app", "image": image}]},
            "status": {},
        }
        inventory.put_pod(raw)
        for i, message in enumerate(events):
            inventory.put_event(
                {
                    "metadata": {"name": f"e{i}", "namespace": "x", "uid": f"e{i}"},
                    "message": message,
                    "involvedObject": {"kind": "Pod", "name": "p", "namespace": "x", "uid": "u"},
                }
            )
        return raw, inventory

    raw, inventory = pod("gcr.io/distroless/static-debian12:nonroot")
    assert debug.distroless_hint(raw, "app", inventory) == (
        "gcr.io/distroless/static-debian12:nonroot is a distroless image: it has no shell, so kubectl exec cannot get "
        "into app; the debug container brings its own tools and shares its processes"
    )
    # source: https://github.com/kubeflow/mpi-operator/issues/254
    raw, inventory = pod(
        "mpioperator/kubectl-delivery:latest",
        [
            'docker: Error response from daemon: OCI runtime create failed: container_linux.go:346: starting container '
            'process caused "exec: \\"/bin/sh\\": stat /bin/sh: no such file or directory": unknown.'
        ],
    )
    assert debug.distroless_hint(raw, "app", inventory).startswith("the runtime found no shell in mpioperator/kubectl-delivery:latest")
    # source: https://github.com/aylei/kubectl-debug/pull/30
    raw, inventory = pod(
        "aylei/debug-agent:latest",
        [
            'OCI runtime exec failed: exec failed: container_linux.go:345: starting container process caused "exec: '
            '\\"sh\\": executable file not found in $PATH": unknown'
        ],
    )
    assert debug.distroless_hint(raw, "app", inventory) is not None
    raw, inventory = pod("nginx:1.27.2")
    assert debug.distroless_hint(raw, "app", inventory) is None


# ---- init containers and native sidecars as targets ------------------------------------------------
SIDECAR_POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "mesh-0", "namespace": "shop"},
    "spec": {
        "nodeName": "compute-0",
        "initContainers": [
            {"name": "setup", "image": "busybox:1.36"},
            {"name": "proxy", "image": "envoyproxy/envoy:v1.31.0", "restartPolicy": "Always"},
        ],
        "containers": [{"name": "app", "image": "nginx:1.27.2"}],
        "ephemeralContainers": [{"name": "debugger-old", "image": "busybox:1.36"}],
    },
    "status": {
        "phase": "Running",
        "initContainerStatuses": [
            {"name": "setup", "restartCount": 0, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
            {"name": "proxy", "restartCount": 0, "ready": True, "state": {"running": {"startedAt": "-1h"}}},
        ],
        "containerStatuses": [{"name": "app", "restartCount": 0, "ready": True, "state": {"running": {"startedAt": "-1h"}}}],
    },
}


@pytest.mark.parametrize("target", ["proxy", "setup"])
def test_an_init_container_or_a_native_sidecar_can_be_the_target(server, kubeconfig, tmp_path, capsys, target):
    """As kubectl debug --target sends it (the API server accepts app and init containers); the
    container spec is kubectl's but for its random name."""
    server.load_scenario({"objects": [SIDECAR_POD]})
    argv = ["--kubeconfig", str(kubeconfig), "debug", "pod", "mesh-0", "-n", "shop", "--target", target, "--profile", "general"]
    assert main([*argv, "--yes", "--no-attach"]) == 0
    assert f"--target={target}" in capsys.readouterr().out
    (ours,) = server.requests("PATCH", PATCH_PATH.format("shop", "mesh-0"))
    sent = ours.json()["spec"]["ephemeralContainers"][0]
    assert sent == expected_body(sent["name"], "general", target=target)["spec"]["ephemeralContainers"][0]
    if not has_kubectl():
        return
    result = kubectl(
        kubeconfig,
        tmp_path / "home",
        "debug",
        "mesh-0",
        "-n",
        "shop",
        "-it",
        "--attach=false",
        "--image=busybox:1.36",
        f"--target={target}",
        "--profile=general",
    )
    assert result.returncode == 0, result.stderr
    theirs = server.requests("PATCH", PATCH_PATH.format("shop", "mesh-0"))[-1].json()["spec"]["ephemeralContainers"]
    (kubectls,) = [c for c in theirs if c["name"] not in ("debugger-old", sent["name"])]
    assert {k: v for k, v in kubectls.items() if k != "name"} == {k: v for k, v in sent.items() if k != "name"}


def test_an_ephemeral_container_is_not_a_target(server, client):
    server.load_scenario({"objects": [SIDECAR_POD]})
    with pytest.raises(UserError, match=r"^--target debugger-old: that is an ephemeral container; target an app or init container$"):
        debug.prepare(client, LiveFetcher(client).pod("shop", "mesh-0"), "shop", "mesh-0", target="debugger-old")


# ---- a webhook's denial, whole ----------------------------------------------------------------------
# source: https://github.com/karmada-io/karmada/issues/3261 (Kyverno's validating webhook denying a request;
# kubectl showed it after "error: failed to create deployment: ")
KYVERNO_DENIAL = (
    'admission webhook "validate.kyverno.svc-fail" denied the request: \n'
    "\n"
    "resource Deployment/default/nginx was blocked due to the following policies\n"
    "\n"
    "require-labels:\n"
    "  autogen-check-for-labels: 'validation error: label ''app.kubernetes.io/name'' is\n"
    "    required. Rule autogen-check-for-labels failed at path /spec/template/metadata/labels/app.kubernetes.io/name/'"
)


def test_a_webhook_denial_is_shown_on_as_many_lines_as_it_has(server, kubeconfig, capsys):
    server.fail("pods/ephemeralcontainers", 400, message=KYVERNO_DENIAL + "\x1b]0;owned\x07")
    assert main(["--kubeconfig", str(kubeconfig), "debug", "pod", KB[1], "-n", "shop", "--yes", "--no-attach"]) == 2
    err = capsys.readouterr().err
    assert err == f"k8sdoctor: error: API server error 400: {KYVERNO_DENIAL}\\x1b]0;owned\\x07\n"
    assert len(err.splitlines()) == 7


def test_image_and_target_choices_come_from_the_pod_and_the_command_quotes_them():
    pod = {
        "metadata": {"name": "p", "namespace": "n"},
        "spec": {
            "initContainers": [{"name": "init", "image": "busybox:1.36"}],
            "containers": [
                {"name": "a", "image": "nginx:1.25.4"},
                {"name": "b", "image": "x; rm -rf /"},
                {"name": "c", "image": ["not", "a", "string"]},
            ],
            "ephemeralContainers": [{"name": "debugger-abcde", "image": "busybox:1.36"}],
        },
    }
    assert debug.image_choices(pod) == [debug.DEFAULT_IMAGE, "nginx:1.25.4", "x; rm -rf /"]
    assert debug.target_choices(pod) == ["a", "b", "c", "init"]  # app first, then init; never an ephemeral one
    plan = debug.plan_debug(pod, choose_profile("n", None), image="x; rm -rf /", target="b", rng=random.Random(1))
    assert plan.kubectl_debug() == "kubectl debug -it -n n p --image='x; rm -rf /' --target=b --profile=general"
