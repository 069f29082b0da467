"""`s` before the terminal is handed over: the menu of running containers and shells, the session's
last shell offered first, the SelfSubjectAccessReview for pods/exec, and the refusals (read-only, a
snapshot, no running container). The session itself runs in a real terminal: tests/pty/test_shell.py."""

from __future__ import annotations

import time

import pytest
from textual.app import App, ComposeResult
from textual.widgets import OptionList, Static

from k8sdoctor.actions.context import ActionContext
from k8sdoctor.cluster.live.client import KubeClient
from k8sdoctor.cluster.live.fetch import LiveFetcher
from k8sdoctor.fakeapi import FakeApiServer, Rule
from k8sdoctor.tui.actions.menu import MenuScreen
from k8sdoctor.tui.actions.shell import READ_ONLY, SNAPSHOT, ShellLauncher
from tests.actions.helpers import CLUSTER, DESCRIBE
from tests.tui.actions.helpers import context

SINK = ("lab", "kitchen-sink-0")  # app and sidecar running, an ephemeral debugger running, an init container done
CRASHING = ("shop", "kb-5c7d8f9b6-q4w2e")  # its one container crash-loops: nothing runs
READER = [Rule(("get", "list", "watch"), ("pods", "events", "namespaces", "nodes", "persistentvolumeclaims"))]


@pytest.fixture
def served():
    with FakeApiServer(auth=True) as srv:
        srv.load_scenario(CLUSTER)
        srv.load_scenario(DESCRIBE)
        yield srv


def kubeclient(server: FakeApiServer, path, rules=None) -> KubeClient:
    token = server.add_user("dev", rules) if rules is not None else server.admin_token
    return KubeClient(str(server.write_kubeconfig(path, token=token)))


class LauncherApp(App[None]):
    """A plain screen; `s` starts the launcher on one pod, as the main screen does."""

    BINDINGS = [("s", "shell", "Shell")]

    def __init__(self, ctx: ActionContext, pod: tuple[str, str]) -> None:
        super().__init__()
        self.ctx, self.pod = ctx, pod
        self.animation_level = "none"

    def compose(self) -> ComposeResult:
        yield Static("main screen", id="main")

    def action_shell(self) -> None:
        ShellLauncher(self, self.ctx, *self.pod).start()


def live_app(engine, client: KubeClient, pod=SINK, **kw) -> LauncherApp:
    return LauncherApp(context(engine, LiveFetcher(client).pod(*pod), client, **kw), pod)


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def until(pilot, condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)


def test_snapshot_menu(snap_compare, engine, served, tmp_path):
    """100×24: each running container (app first, the ephemeral debugger noted) with sh and bash; the
    init container, which has terminated, is not offered."""
    app = live_app(engine, kubeclient(served, tmp_path / "kc"))
    assert snap_compare(app, terminal_size=(100, 24), press=["s"])


async def test_the_menu_offers_each_running_container_and_remembers_the_shell(engine, served, tmp_path):
    app = live_app(engine, kubeclient(served, tmp_path / "kc"))
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.press("s")
        menu = app.screen
        assert isinstance(menu, MenuScreen)
        assert [item.id for item in menu.items] == [
            "app/sh",
            "app/bash",
            "sidecar/sh",
            "sidecar/bash",
            "debugger-x7k2p/sh",
            "debugger-x7k2p/bash",
        ]
        assert [item.key for item in menu.items] == ["s", "b", "1", "2", "3", "4"]
        options = menu.query_one(OptionList)
        assert options.highlighted is not None and options.get_option_at_index(options.highlighted).id == "app/sh"
        assert app.ctx.choices.shell == "sh"
        await pilot.press("escape")  # cancelled: nothing chosen, nothing remembered
        assert not isinstance(app.screen, MenuScreen) and app.ctx.choices.shell == "sh"
        served.clear_requests()
        await pilot.press("s", "2")  # bash in the sidecar; headless, there is no terminal to hand over
        await until(pilot, lambda: toasts(app))
        assert app.ctx.choices.shell == "bash"
        (review,) = served.requests("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
        assert review.json()["spec"]["resourceAttributes"] == {
            "namespace": "lab",
            "verb": "create",
            "resource": "pods",
            "subresource": "exec",
            "name": "kitchen-sink-0",
        }
        assert toasts(app) == ["no terminal to attach; run: kubectl exec -it -n lab kitchen-sink-0 -c sidecar -- bash"]
        await pilot.press("s")  # the shell chosen last is highlighted, in the first container
        options = app.screen.query_one(OptionList)
        assert options.highlighted is not None and options.get_option_at_index(options.highlighted).id == "app/bash"


async def test_without_pods_exec_it_says_so_and_opens_nothing(engine, served, tmp_path):
    app = live_app(engine, kubeclient(served, tmp_path / "kc", READER))
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.press("s", "s")
        await until(pilot, lambda: toasts(app))
    assert toasts(app) == [
        "Cannot open a shell: you may not create pods/exec in namespace lab "
        "(kubectl exec -it -n lab kitchen-sink-0 -c app -- sh would be refused)."
    ]
    assert not [r for r in served.requests("GET") if r.path.endswith("/exec")]


async def test_no_running_container_read_only_and_snapshots_say_why_in_one_line(engine, served, tmp_path):
    client = kubeclient(served, tmp_path / "kc")
    cases = [
        (live_app(engine, client, CRASHING), f"No container of {CRASHING[1]} is running: a shell needs one (x adds a debug container)."),
        (live_app(engine, client, read_only=True), READ_ONLY),
        (LauncherApp(context(engine), SINK), SNAPSHOT),
    ]
    for app, said in cases:
        served.clear_requests()
        async with app.run_test(size=(100, 24)) as pilot:
            await pilot.press("s")
            await pilot.pause()
            assert not isinstance(app.screen, MenuScreen)
        assert toasts(app) == [said]
        assert served.requests() == []
