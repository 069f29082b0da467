"""`x` in the demo, end to end: the main TUI on the demo cluster (live, through the fake API server),
the plan, the confirmation, the PATCH, the simulated kubelet starting the container, then a real attach
over the websocket from a pseudo-terminal where a user types, and back to the main screen."""

from __future__ import annotations

import os
import pty
import threading
import time

from k8sdoctor.actions.attach import TerminalAttach
from k8sdoctor.demo.runner import start_demo
from k8sdoctor.model.live_source import LiveSource
from k8sdoctor.tui.actions.debug import DebugScreen
from k8sdoctor.tui.app import DoctorApp
from k8sdoctor.tui.options import TuiOptions
from tests.tui.helpers import detail_shown, settle


class UserAtATerminal:
    """A TerminalAttach on a pseudo-terminal, and a user who types `hostname` then `exit`."""

    def __init__(self, server) -> None:
        self.server = server
        self.screen = b""

    def __call__(self, client, namespace, pod, container):
        master, slave = pty.openpty()
        terminal = os.fdopen(slave, "r+b", buffering=0)

        def user() -> None:
            deadline = time.monotonic() + 10
            while not self.server.attach_sessions() and time.monotonic() < deadline:
                time.sleep(0.02)
            os.write(master, b"hostname\rexit\r")

        def read() -> None:
            while True:
                try:
                    data = os.read(master, 1024)
                except OSError:
                    return
                self.screen += data

        threading.Thread(target=user, daemon=True).start()
        threading.Thread(target=read, daemon=True).start()
        try:
            return TerminalAttach(terminal, terminal)(client, namespace, pod, container)
        finally:
            time.sleep(0.1)
            terminal.close()
            os.close(master)


async def test_x_on_a_failing_pod_attaches_and_returns(engine, monkeypatch):
    demo = start_demo(tick=0.05, crash_every=3600, node_after=3600, fix_after=3600)
    user = UserAtATerminal(demo.server)
    monkeypatch.setattr("k8sdoctor.tui.actions.debug.TerminalAttach", lambda: user)
    app = DoctorApp(TuiOptions(all_namespaces=True), open_source=lambda: LiveSource.connect(str(demo.kubeconfig), None), engine=engine)
    try:
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot, lambda: detail_shown(app), timeout=20)
            selected = app.main_screen.table.selected
            assert selected.problem
            await pilot.press("x")
            await settle(pilot, lambda: isinstance(app.screen, DebugScreen) and app.screen.state == "ready")
            name = app.screen.ready.plan.container
            await pilot.press("enter", "y")
            await settle(pilot, lambda: app.screen is app.main_screen, timeout=20)
            assert app.main_screen.table.selected.key == selected.key
    finally:
        demo.close()
    (session,) = demo.server.attach_sessions()
    assert (session.pod, session.container) == (selected.name, name)
    assert user.screen.startswith(f"Attached to {name} in {selected.namespace}/{selected.name}".encode())
    assert user.screen.endswith(b"/ # hostname\r\n" + selected.name.encode() + b"\r\n/ # exit\r\n")
    pod = demo.server.get("Pod", selected.namespace, selected.name)
    assert [c["name"] for c in pod["spec"]["ephemeralContainers"]] == [name]
