"""Deterministic apps for the TUI tests: in-memory sources, a fixed clock, and a way to wait until the
feed thread and the UI have settled (so snapshots never race the background thread)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from textual.pilot import Pilot

from k8sdoctor.core.inventory import Inventory
from k8sdoctor.model.feed import ViewFeed
from k8sdoctor.model.snapshot_source import InventorySource
from k8sdoctor.model.source import SourceInfo
from k8sdoctor.tui.app import DoctorApp
from k8sdoctor.tui.options import TuiOptions

FIXED_NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


def demo_pod_count() -> int:
    """How many pods the demo cluster starts with (every namespace)."""
    from k8sdoctor.demo.cluster import scenario

    return sum(o["kind"] == "Pod" for o in scenario()["objects"])


MONOTONIC = 1000.0  # what the app believes time.monotonic() says (retry countdowns)
DEMO_INFO = SourceInfo(live=True, context="kind-demo", cluster="kind-demo", server="https://127.0.0.1:6443", default_namespace="shop")
SNAPSHOT_INFO = SourceInfo(live=False, snapshot="cluster-dump.json (kubectl cluster-info dump)")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def demo_inventory(now: datetime = FIXED_NOW) -> Inventory:
    """The demo cluster's scenario (real, cited failure messages) at the tests' fixed time."""
    from k8sdoctor.demo.cluster import demo_inventory as load_demo

    return load_demo(now)


@dataclass
class ScriptedSource:
    """A source whose deltas the test hands over: at start, then with `push`."""

    info: SourceInfo = DEMO_INFO
    initial: list = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    client = None

    def __post_init__(self) -> None:
        self.sink: Callable[[object], None] | None = None
        self.started: list[str | None] = []

    def start(self, feed: ViewFeed, namespace: str | None) -> None:
        feed.listener = None
        self.sink = feed.reset()
        self.started.append(namespace)
        for delta in self.initial:
            self.sink(delta)

    def push(self, *deltas: object) -> None:
        assert self.sink is not None
        for delta in deltas:
            self.sink(delta)

    def stop(self) -> None:
        """Nothing runs."""

    def namespaces(self) -> list[str]:
        return list(self.names)


def make_app(
    engine,
    source=None,
    *,
    namespace: str | None = None,
    all_namespaces: bool = False,
    clock: Callable[[], datetime] | None = None,
    read_only: bool = False,
) -> DoctorApp:
    """An app over `source` (default: the demo inventory as if live) with a fixed clock."""
    source = source if source is not None else InventorySource(demo_inventory(), DEMO_INFO)
    options = TuiOptions(namespace=namespace, all_namespaces=all_namespaces, read_only=read_only)
    app = DoctorApp(options, open_source=lambda: source, engine=engine, clock=clock or Clock(), monotonic=lambda: MONOTONIC)
    app.animation_level = "none"
    return app


async def settle(pilot: Pilot, until: Callable[[], bool] | None = None, timeout: float = 10.0) -> None:
    """Wait until the feed is idle, the UI has applied everything, and `until()` holds."""
    app = pilot.app
    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause(0.02)
        feed = app.feed
        if feed is not None and feed.idle and (until is None or until()):
            await pilot.pause(0.05)
            if feed.idle and (until is None or until()):
                return
        if time.monotonic() > deadline:
            table = app.main_screen.table
            shown = app.main_screen.detail.detail
            raise AssertionError(
                f"the app did not settle: feed idle={feed.idle if feed else None} health={app.health} "
                f"rows={table.row_count} cursor={table.cursor_key} detail={shown.row.key if shown else None} "
                f"feed={feed and (feed._ui_ready, feed._has_work(), len(feed._view.dirty), feed._select_pending, feed._health == feed._published_health)}"
            )


def detail_shown(app: DoctorApp) -> bool:
    """The detail pane shows the pod under the cursor."""
    screen = app.main_screen
    shown = screen.detail.detail
    return shown is not None and shown.row.key == screen.table.cursor_key


def table_keys(app: DoctorApp) -> list[tuple[str, str]]:
    return [row.key for row in app.main_screen.table.rows]


def crash_looping(pod: dict, restarts: int = 4) -> dict:
    """`pod` with its first container crash-looping: waiting in CrashLoopBackOff, the last run ended
    with Error, exit code 1 (the shape of https://github.com/aquasecurity/tracee/issues/2757; no
    message text is invented here)."""
    out = dict(pod)
    status = dict(out["status"])
    cs = dict(status["containerStatuses"][0])
    cs.update(
        ready=False,
        restartCount=restarts,
        started=False,
        state={"waiting": {"reason": "CrashLoopBackOff"}},
        lastState={
            "terminated": {"reason": "Error", "exitCode": 1, "startedAt": "2026-11-26T11:58:00Z", "finishedAt": "2026-11-26T11:58:30Z"}
        },
    )
    status.update(containerStatuses=[cs], phase="Running")
    out["status"] = status
    return out
