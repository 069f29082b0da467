"""The debug screen: the plan and the exact request, the confirmation, cancel, the attach through an
injected runner, and the refusals."""

from __future__ import annotations

import random
import time

import pytest
from textual.widgets import Static

from k8sdoctor.actions.context import ActionContext
from k8sdoctor.cluster.live.client import KubeClient
from k8sdoctor.cluster.live.fetch import LiveFetcher
from k8sdoctor.demo.timeline import DemoTimeline
from k8sdoctor.fakeapi import FakeApiServer, Rule
from k8sdoctor.tui.actions import debug_screen
from k8sdoctor.tui.actions.confirm_dialog import ConfirmDialog
from k8sdoctor.tui.actions.debug import DebugScreen
from k8sdoctor.tui.actions.menu import MenuScreen
from tests.actions.helpers import CLUSTER, AttachRecorder
from tests.tui.actions.helpers import ActionApp, context

KB = ("shop", "kb-5c7d8f9b6-q4w2e")
PATCH = "/api/v1/namespaces/shop/pods/kb-5c7d8f9b6-q4w2e/ephemeralcontainers"


@pytest.fixture
def served(tmp_path):
    with FakeApiServer(auth=True) as srv:
        srv.load_scenario(CLUSTER)
        yield srv


def kubeclient(server: FakeApiServer, path, rules=None) -> KubeClient:
    token = server.add_user("dev", rules) if rules is not None else server.admin_token
    return KubeClient(str(server.write_kubeconfig(path, token=token)))


def app_for(engine, client: KubeClient | None, *, runner=None, read_only=False, rediagnose=None) -> ActionApp:
    def make() -> DebugScreen:
        inventory = LiveFetcher(client).pod(*KB) if client is not None else None
        ctx = context(engine, inventory, client, read_only=read_only, rediagnose=rediagnose)
        return DebugScreen(ctx, *KB, attach=runner or AttachRecorder(), rng=random.Random(3))

    return ActionApp(make)


def state(app) -> str:
    return str(app.screen.query_one("#state", Static).render())


def verdict(app) -> str:
    return str(app.screen.query_one("#verdict", Static).render())


async def until(pilot, condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)


async def planned(pilot) -> None:
    await until(pilot, lambda: getattr(pilot.app.screen, "state", "") not in ("planning", ""))


def test_snapshot_plan(snap_compare, engine, served, tmp_path):
    """80×24: the profile and why, then the exact request (scrollable)."""
    app = app_for(engine, kubeclient(served, tmp_path / "kc"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=planned)


def test_snapshot_confirmation(snap_compare, engine, served, tmp_path):
    async def ask(pilot) -> None:
        await planned(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))

    app = app_for(engine, kubeclient(served, tmp_path / "kc"))
    assert snap_compare(app, terminal_size=(110, 32), run_before=ask)


def test_snapshot_permission_denied(snap_compare, engine, served, tmp_path):
    reader = [Rule(("get", "list", "watch"), ("pods", "events", "namespaces", "nodes", "persistentvolumeclaims"))]
    app = app_for(engine, kubeclient(served, tmp_path / "kc", reader))
    assert snap_compare(app, terminal_size=(120, 30), run_before=planned)


async def test_cancel_sends_nothing(engine, served, tmp_path):
    app = app_for(engine, kubeclient(served, tmp_path / "kc"))
    async with app.run_test(size=(100, 30)) as pilot:
        await planned(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")
        assert isinstance(app.screen, DebugScreen)
        assert state(app) == "Cancelled: nothing was sent. Enter to try again; esc: back"
        await pilot.press("escape")
        assert app.screen.query_one("#main")
    assert served.requests("PATCH") == []


async def test_confirm_creates_waits_attaches_and_rediagnoses(engine, served, tmp_path):
    runner, asked = AttachRecorder(), []
    kubelet = DemoTimeline(served, tick=0.05)
    kubelet.start()
    app = app_for(engine, kubeclient(served, tmp_path / "kc"), runner=runner, rediagnose=lambda *key: asked.append(key))
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await planned(pilot)
            name = app.screen.ready.plan.container
            await pilot.press("enter", "y")
            await until(pilot, lambda: runner.calls)
            await until(pilot, lambda: not isinstance(app.screen, DebugScreen))
            assert app.screen.query_one("#main")
    finally:
        kubelet.stop()
    (request,) = served.requests("PATCH", PATCH)
    assert request.json()["spec"]["ephemeralContainers"][0]["name"] == name
    assert runner.calls == [("shop", KB[1], name)] and asked == [KB]


async def test_read_only_disables_it_before_any_request(engine, served, tmp_path):
    client = kubeclient(served, tmp_path / "kc")
    served.clear_requests()

    def make() -> DebugScreen:
        return debug_screen(context(engine, client=client, read_only=True), *KB)

    app = ActionApp(make)
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.press("enter")
        assert verdict(app) == ("Debug is disabled by --read-only: adding a debug container is the one write k8sdoctor makes.")
    assert served.requests() == []


async def test_a_snapshot_cannot_be_debugged(engine):
    app = ActionApp(lambda: debug_screen(context(engine), *KB))
    async with app.run_test(size=(100, 20)):
        assert verdict(app) == "Debug needs a live cluster: this is a snapshot, which is read-only."


async def test_a_cluster_without_ephemeral_containers(engine, served, tmp_path):
    served.fail("pods/ephemeralcontainers", 404, message="the server could not find the requested resource")
    app = app_for(engine, kubeclient(served, tmp_path / "kc"))
    async with app.run_test(size=(100, 30)) as pilot:
        await planned(pilot)
        await pilot.press("enter", "y")
        await until(pilot, lambda: app.screen.state == "failed")
        assert verdict(app).startswith(
            "this cluster does not serve pods/ephemeralcontainers (the server could not find the requested resource)"
        )
        assert verdict(app).endswith("--copy-to=kb-5c7d8f9b6-q4w2e-debug")


WEB = ("shop", "web-6d4cf56db6-abcde")  # app (nginx) and log-shipper (fluent-bit)


def web_screen(engine, client: KubeClient, ctx=None) -> tuple[ActionApp, ActionContext]:
    ctx = ctx or context(engine, LiveFetcher(client).pod(*WEB), client)
    return ActionApp(lambda: DebugScreen(ctx, *WEB, attach=AttachRecorder(), rng=random.Random(3))), ctx


def planned_container(app) -> dict:
    return app.screen.ready.plan.body["spec"]["ephemeralContainers"][0]


async def test_image_and_target_are_chosen_and_remembered_for_the_pod(engine, served, tmp_path):
    app, ctx = web_screen(engine, kubeclient(served, tmp_path / "kc"))
    async with app.run_test(size=(110, 32)) as pilot:
        await planned(pilot)
        assert (planned_container(app)["image"], planned_container(app)["targetContainerName"]) == ("busybox:1.36", "app")
        await pilot.press("t")
        menu = app.screen
        assert isinstance(menu, MenuScreen) and [i.id for i in menu.items] == ["app", "log-shipper"]
        await pilot.press("2")
        await planned(pilot)
        assert planned_container(app)["targetContainerName"] == "log-shipper"
        await pilot.press("i")
        assert [i.id for i in app.screen.items] == ["busybox:1.36", "nginx:1.25.4", "fluent/fluent-bit:3.0.4"]
        await pilot.press("3")
        await planned(pilot)
        assert (planned_container(app)["image"], planned_container(app)["targetContainerName"]) == (
            "fluent/fluent-bit:3.0.4",
            "log-shipper",
        )
        assert state(app).startswith("Enter: add debugger-") and "(fluent/fluent-bit:3.0.4, target log-shipper), asked first" in state(app)
        await pilot.press("escape")  # back: nothing sent
    assert served.requests("PATCH") == []
    assert ctx.choices.debug_target == {WEB: "log-shipper"}
    assert ctx.choices.debug_image == {(*WEB, "log-shipper"): "fluent/fluent-bit:3.0.4"}
    again, _ = web_screen(engine, kubeclient(served, tmp_path / "kc2"), ctx)  # x again, same session
    async with again.run_test(size=(110, 32)) as pilot:
        await planned(pilot)
        assert (planned_container(again)["image"], planned_container(again)["targetContainerName"]) == (
            "fluent/fluent-bit:3.0.4",
            "log-shipper",
        )
        await pilot.press("t", "1")  # another target: its own image, the default until one is chosen for it
        await planned(pilot)
        assert (planned_container(again)["image"], planned_container(again)["targetContainerName"]) == ("busybox:1.36", "app")


def test_snapshot_target_menu(snap_compare, engine, served, tmp_path):
    async def target(pilot) -> None:
        await planned(pilot)
        await pilot.press("t")

    app, _ = web_screen(engine, kubeclient(served, tmp_path / "kc"))
    assert snap_compare(app, terminal_size=(100, 28), run_before=target)
