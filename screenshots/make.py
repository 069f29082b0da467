#!/usr/bin/env python3
"""Render the README's screenshots: the main screen, the detail of one pod per failure category, the
events view and two views of other kinds (:problems, :svc), from the demo scenario, with a fixed clock so they only change when the UI does.

    python screenshots/make.py          # rerun whenever the UI changes; writes screenshots/*.svg

The pods come from `k8sdoctor.demo.cluster.scenario()` (real, cited failure messages), loaded the way
the demo's API server loads them, and are shown as if live from the demo's context.
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from k8sdoctor.core.engine import Engine  # noqa: E402
from k8sdoctor.core.inventory import Inventory  # noqa: E402
from k8sdoctor.model.snapshot_source import InventorySource  # noqa: E402
from k8sdoctor.model.source import SourceInfo  # noqa: E402
from k8sdoctor.playbook_files import load_playbooks  # noqa: E402
from k8sdoctor.tui.app import DoctorApp  # noqa: E402
from k8sdoctor.tui.options import TuiOptions  # noqa: E402

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)
INFO = SourceInfo(live=True, context="k8sdoctor-demo", cluster="k8sdoctor-demo", server="http://127.0.0.1:6443", default_namespace="shop")
SIZE = (160, 45)
DETAILS = {
    "imagepullbackoff": ("shop", "cloudnative-pg-tj9qq866hh-48x6t"),
    "pending": ("search", "odfe-client-pfg745vzt6-qff65"),
    "crashloopbackoff": ("shop", "kestra-7sx7k2s4th-bvjlm"),
    "runcontainererror": ("reportportal", "api-d258swfhkj-p6kzw"),
    "evicted": ("harbor", "harbor-chartmuseum-gftv7xz5mg-qrn87"),
    "containercreating": ("storage", "nginx-example"),
    "notready": ("observability", "grafana-gateway-x8s6wv8cl7-svg2p"),
}


def demo_inventory() -> Inventory:
    from k8sdoctor.demo.cluster import demo_inventory as load_demo

    return load_demo(NOW)


async def settled(app: DoctorApp, pilot, key=None) -> None:
    """Wait until the feed is idle and the detail pane shows the pod under the cursor (or `key`)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        await pilot.pause(0.05)
        screen = app.main_screen
        shown = screen.detail.detail
        if (
            app.feed is not None
            and app.feed.idle
            and shown is not None
            and shown.row.key == screen.table.cursor_key
            and (key is None or shown.row.key == key)
        ):
            await pilot.pause(0.1)
            return
    raise SystemExit("the app did not settle")


async def shoot(engine: Engine, name: str, key=None, keys: tuple[str, ...] = (), title: str = "k8sdoctor") -> None:
    app = DoctorApp(
        TuiOptions(all_namespaces=True),
        open_source=lambda: InventorySource(demo_inventory(), INFO),
        engine=engine,
        clock=lambda: NOW,
        monotonic=lambda: 0.0,
    )
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await settled(app, pilot)
        if key is not None:
            app.main_screen.select_pod(key)
            await settled(app, pilot, key)
        if keys:
            await pilot.press(*keys)
            while not app.feed.idle:
                await pilot.pause(0.05)
            await pilot.pause(0.2)
        path = HERE / f"{name}.svg"
        path.write_text(app.export_screenshot(title=title))
        print(f"wrote {path.relative_to(HERE.parent)}")


async def main() -> None:
    engine = Engine(load_playbooks(use_user_dir=False).playbooks)
    await shoot(engine, "main", key=DETAILS["crashloopbackoff"], title="k8sdoctor — every namespace, problems first")
    for category, key in DETAILS.items():
        await shoot(engine, f"detail-{category}", key=key, keys=("enter",), title=f"k8sdoctor — {key[0]}/{key[1]}")
    await shoot(engine, "events", keys=("e",), title="k8sdoctor — events")
    await shoot(engine, "problems", keys=("colon", *"problems", "enter"), title="k8sdoctor — :problems, every kind")
    await shoot(engine, "services", keys=("colon", *"svc", "enter"), title="k8sdoctor — :svc")


if __name__ == "__main__":
    asyncio.run(main())
