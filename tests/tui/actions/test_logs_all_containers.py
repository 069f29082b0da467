"""The logs screen's `a` (every container at once, each line prefixed as `kubectl logs --all-containers
--prefix`), `S` (since) and ctrl+s (save the lines shown, as read). The pod and its logs are the kubectl
parity test's (tests/parity/test_logs_parity.py): four containers, a 1 MB line, bytes that are not UTF-8."""

from __future__ import annotations

import os
import subprocess

import pytest
from textual.widgets import Input, Static

from k8sdoctor.cluster.live.client import KubeClient
from k8sdoctor.cluster.live.fetch import LiveFetcher
from k8sdoctor.fakeapi import FakeApiServer
from k8sdoctor.tui.actions import logs_screen
from k8sdoctor.tui.actions.lines_view import LinesView
from k8sdoctor.tui.actions.logs import LogsScreen
from k8sdoctor.tui.actions.menu import MenuScreen
from k8sdoctor.tui.actions.save import SavePathScreen
from tests.actions.helpers import KUBECTL, has_kubectl
from tests.parity.test_logs_parity import APP_LOG, NS, POD, PREVIOUS_LOG, ingest_pod
from tests.tui.actions.helpers import ActionApp, context
from tests.tui.actions.test_logs_screen import WEB, lines, status, until

CONTAINERS = ("migrate", "proxy", "app", "shipper")


def prefix(container: str) -> str:
    return f"[pod/{POD}/{container}] "


@pytest.fixture
def ingest(tmp_path, engine):
    """(server, kubeconfig, screen factory) for the ingest pod served live."""
    with FakeApiServer() as srv:
        srv.load_scenario({"objects": [ingest_pod()]})
        srv.set_logs(NS, POD, "app", APP_LOG)
        srv.set_logs(NS, POD, "app", PREVIOUS_LOG, previous=True)
        srv.set_logs(NS, POD, "migrate", ["applied 3 migrations"])
        srv.set_logs(NS, POD, "proxy", ["[info] envoy started", "[info] all clusters initialized"])
        srv.set_logs(NS, POD, "shipper", ["[ info] [engine] started", b"[ warn] bad byte \xff"])
        kubeconfig = srv.write_kubeconfig(tmp_path / "kubeconfig")
        client = KubeClient(str(kubeconfig))
        yield srv, kubeconfig, lambda: LogsScreen(context(engine, LiveFetcher(client).pod(NS, POD), client), NS, POD, container="app")


def title(app) -> str:
    return str(app.screen.query_one("#title", Static).render())


async def test_a_shows_every_container_each_line_prefixed(ingest):
    _srv, _kubeconfig, screen = ingest
    app = ActionApp(screen)
    async with app.run_test(size=(120, 20)) as pilot:
        await until(pilot, lambda: len(lines(app)) == 6)
        assert "c: 3 other containers, a: all" in status(app)
        await pilot.press("a")
        await until(pilot, lambda: len(lines(app)) == 6 + 1 + 2 + 2)
        assert "· all containers (current run)" in title(app)
        assert all(line.startswith(tuple(prefix(c) for c in CONTAINERS)) for line in lines(app))
        assert f"{prefix('shipper')}[ warn] bad byte \ufffd" in lines(app)
        assert f"{prefix('migrate')}applied 3 migrations" in lines(app)
        await pilot.press("t")  # the timestamp after the prefix, as kubectl --prefix --timestamps
        assert all(line[line.index("] ") + 2 :][:4].isdigit() for line in lines(app) if line.startswith(prefix("proxy")))
        await pilot.press("t", "w", "slash", *"envoy", "enter")
        assert status(app).endswith("/envoy: 1 of 1") and "wrap" in status(app)
        view = app.screen.query_one(LinesView)
        assert view.top_line <= lines(app).index(f"{prefix('proxy')}[info] envoy started") < view.top_line + 15
        await pilot.press("c")  # back to the one container shown before
        await until(pilot, lambda: "· container app (current run)" in title(app) and len(lines(app)) == 6)
        assert not lines(app)[0].startswith("[pod/")


async def test_a_previous_reads_each_previous_run_and_says_which_have_none(ingest):
    _srv, _kubeconfig, screen = ingest
    app = ActionApp(screen)
    async with app.run_test(size=(120, 20)) as pilot:
        await until(pilot, lambda: len(lines(app)) == 6)
        await pilot.press("a", "p")
        await until(pilot, lambda: "no logs from" in status(app))
        await until(pilot, lambda: len(lines(app)) == 2)
        assert lines(app) == [prefix("app") + line for line in PREVIOUS_LOG]
        assert "no logs from migrate, proxy, shipper" in status(app)


@pytest.mark.kubectl
async def test_ctrl_s_saves_kubectls_bytes_and_asks_before_replacing(ingest, tmp_path, monkeypatch):
    """The file holds the lines shown as they were read: kubectl's bytes for the same choice, the 1 MB
    line whole and the bytes that are not UTF-8 as they are."""
    if not has_kubectl():
        pytest.skip("kubectl is not installed")
    _srv, kubeconfig, screen = ingest
    monkeypatch.chdir(tmp_path)
    app = ActionApp(screen)
    async with app.run_test(size=(120, 20)) as pilot:
        await until(pilot, lambda: len(lines(app)) == 6)
        await pilot.press("a")
        await until(pilot, lambda: len(lines(app)) == 11)
        await pilot.press("f")  # stop following: read once, container after container
        await until(pilot, lambda: "following" not in status(app) and len(lines(app)) == 11)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, SavePathScreen))
        assert app.screen.query_one(Input).value == f"./{NS}_{POD}_all-containers.log"
        await pilot.press("enter")
        saved = tmp_path / f"{NS}_{POD}_all-containers.log"
        await until(pilot, saved.exists)
        assert [str(n.message) for n in app._notifications][-1].startswith(f"Saved 11 lines ({saved.stat().st_size:,} bytes) to {saved}")
        env = {**os.environ, "HOME": str(tmp_path)}
        blocks = [
            subprocess.run(
                [KUBECTL, "--kubeconfig", str(kubeconfig), "logs", POD, "-n", NS, "-c", c, "--prefix"],
                capture_output=True,
                env=env,
                timeout=60,
                check=True,
            ).stdout
            for c in CONTAINERS
        ]
        assert saved.read_bytes() == b"".join(blocks)
        # again: the file exists, so the first enter asks and only the second replaces it
        saved.write_bytes(b"kept")
        await pilot.press("t", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, SavePathScreen))
        await pilot.press("enter")
        assert "exists: enter again to replace it" in str(app.screen.query_one("#menu-hint", Static).render())
        assert saved.read_bytes() == b"kept"
        await pilot.press("escape")
        assert isinstance(app.screen, LogsScreen) and saved.read_bytes() == b"kept"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, SavePathScreen))
        await pilot.press("enter", "enter")
        await until(pilot, lambda: saved.read_bytes() != b"kept")
        stamped = saved.read_bytes().splitlines(keepends=True)  # with the timestamps shown
        assert [line.split(b" ", 2)[0] + b" " + line.split(b" ", 2)[2] for line in stamped] == b"".join(blocks).splitlines(keepends=True)


async def test_since_is_a_menu_on_a_live_cluster(ingest):
    srv, _kubeconfig, screen = ingest
    app = ActionApp(screen)
    async with app.run_test(size=(120, 24)) as pilot:
        await until(pilot, lambda: len(lines(app)) == 6)
        await pilot.press("S")
        await until(pilot, lambda: isinstance(app.screen, MenuScreen))
        await pilot.press("2")  # 15m
        await until(pilot, lambda: "since 15m" in status(app))
        await until(pilot, lambda: srv.requests("GET", f"/api/v1/namespaces/{NS}/pods/{POD}/log")[-1].query.get("sinceSeconds") == "900")
        await pilot.press("S", "0")  # all again
        await until(pilot, lambda: "since" not in status(app))
        assert "sinceSeconds" not in srv.requests("GET", f"/api/v1/namespaces/{NS}/pods/{POD}/log")[-1].query


async def test_since_in_a_snapshot_says_why_not(engine):
    app = ActionApp(lambda: logs_screen(context(engine), *WEB, False))
    async with app.run_test(size=(120, 20)) as pilot:
        await until(pilot, lambda: len(lines(app)) == 3)
        await pilot.press("S")
        await pilot.pause()
        assert isinstance(app.screen, LogsScreen)
        assert [str(n.message) for n in app._notifications] == ["A snapshot holds no times: since needs a live cluster."]


async def test_the_quoted_line_stays_marked_with_all_containers(engine):
    kb = ("shop", "kb-5c7d8f9b6-q4w2e")
    app = ActionApp(lambda: logs_screen(context(engine), *kb, True))
    async with app.run_test(size=(120, 20)) as pilot:
        await until(pilot, lambda: "1 quoted by the diagnosis (e)" in status(app))
        await pilot.press("a")
        await until(pilot, lambda: lines(app) and lines(app)[0].startswith(f"[pod/{kb[1]}/kb] "))
        assert "1 quoted by the diagnosis (e)" in status(app)
        (marked,) = app.screen.marks
        assert lines(app)[marked] == f"[pod/{kb[1]}/kb] ModuleNotFoundError: No module named 'cv2'"


def test_snapshot_all_containers(snap_compare, engine):
    """From a snapshot: the app's lines prefixed, the container the snapshot holds no logs for named."""
    app = ActionApp(lambda: logs_screen(context(engine), *WEB, False))
    assert snap_compare(app, terminal_size=(110, 16), press=["a"])


def test_the_screens_help_names_each_new_key():
    keys = {key for _section, rows in LogsScreen.KEYS_HELP for key, _what in rows}
    assert {"a", "S", "ctrl+s"} <= keys
