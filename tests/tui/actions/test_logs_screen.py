"""The logs screen: the quoted line marked, the events instead of missing logs, following the fake
server's stream, the toggles, search, odd content and a bounded buffer."""

from __future__ import annotations

import time

import pytest
from textual.widgets import Static

from k8sdoctor.cluster.live.client import KubeClient
from k8sdoctor.cluster.live.fetch import LiveFetcher
from k8sdoctor.fakeapi import FakeApiServer
from k8sdoctor.tui.actions import logs_screen
from k8sdoctor.tui.actions.lines_view import LinesView
from k8sdoctor.tui.actions.logs import LogsScreen
from tests.actions.helpers import CLUSTER
from tests.tui.actions.helpers import ActionApp, context

KB = ("shop", "kb-5c7d8f9b6-q4w2e")
WEB = ("shop", "web-6d4cf56db6-abcde")
KAFDROP = ("myproject", "kafdrop-1-j4969")


def status(app) -> str:
    return str(app.screen.query_one("#status", Static).render())


def lines(app) -> list[str]:
    return app.screen.query_one(LinesView).lines


async def until(pilot, condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)


# ---- from a snapshot: deterministic screens ---------------------------------------------------------
def test_snapshot_previous_run_with_the_quoted_line(snap_compare, engine):
    app = ActionApp(lambda: logs_screen(context(engine), *KB, True))
    assert snap_compare(app, terminal_size=(80, 24))


def test_snapshot_no_logs_shows_the_events(snap_compare, engine):
    app = ActionApp(lambda: logs_screen(context(engine), *KAFDROP, False))
    assert snap_compare(app, terminal_size=(120, 24))


def test_snapshot_wrapped(snap_compare, engine):
    app = ActionApp(lambda: logs_screen(context(engine), *KB, True))
    assert snap_compare(app, terminal_size=(60, 20), press=["w"])


async def test_previous_when_there_is_none_says_why(engine):
    app = ActionApp(lambda: logs_screen(context(engine), *WEB, True))
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        assert lines(app)[0] == "No logs: container app has not restarted: there is no previous run to read."
        await pilot.press("p")  # to the current run, which the snapshot holds
        await until(pilot, lambda: len(lines(app)) == 3)
        assert lines(app)[0].startswith("10.131.0.1 - - [12/May/2024:10:00:01 +0000]")
        await pilot.press("escape")
        assert app.screen.query_one("#main")


# ---- live, through the fake server ------------------------------------------------------------------
@pytest.fixture
def live(tmp_path, engine):
    """(server, context factory) for the cluster scenario served live."""
    with FakeApiServer() as srv:
        srv.load_scenario(CLUSTER)
        client = KubeClient(str(srv.write_kubeconfig(tmp_path / "kubeconfig")))
        yield srv, lambda namespace, name: context(engine, LiveFetcher(client).pod(namespace, name), client)


async def test_follow_streams_new_lines_and_autoscroll_can_be_paused(live):
    server, ctx = live
    app = ActionApp(lambda: logs_screen(ctx(*WEB), *WEB, False))
    async with app.run_test(size=(100, 12)) as pilot:
        await until(pilot, lambda: len(lines(app)) == 3)
        assert "following" in status(app) and "autoscroll" in status(app)
        server.append_log(*WEB, "app", [f"request {n}" for n in range(20)])
        await until(pilot, lambda: len(lines(app)) == 23)
        view = app.screen.query_one(LinesView)
        await until(pilot, lambda: view.at_end)
        assert lines(app)[-1] == "request 19"
        await pilot.press("up")  # scrolling back stops the autoscroll
        assert "autoscroll off" in status(app)
        await pilot.press("g")
        server.append_log(*WEB, "app", "request 20")
        await until(pilot, lambda: len(lines(app)) == 24)
        assert view.top_line == 0 and "autoscroll off" in status(app)
        await pilot.press("t")
        assert lines(app)[-1].endswith("Z request 20") and lines(app)[-1][:4].isdigit()
        await pilot.press("f")  # stop following: the log is read once
        await until(pilot, lambda: "following" not in status(app) and len(lines(app)) == 24)
        server.append_log(*WEB, "app", "request 21")
        await pilot.pause(0.3)
        assert len(lines(app)) == 24
        await pilot.press("f")
        await until(pilot, lambda: "following" in status(app) and len(lines(app)) == 25)
        await pilot.press("escape")
    requests = server.requests("GET", "/api/v1/namespaces/shop/pods/web-6d4cf56db6-abcde/log")
    assert [r.query.get("follow") for r in requests] == ["true", None, "true"]
    assert requests[0].query == {"container": "app", "follow": "true", "tailLines": "10000", "timestamps": "true"}


async def test_search_keeps_the_match_in_view_while_lines_arrive(live):
    server, ctx = live
    server.append_log(
        *WEB, "app", [f"GET /item/{n} 200" for n in range(100)] + ["GET /item/boom 500"] + [f"GET /item/{n} 200" for n in range(100, 200)]
    )
    app = ActionApp(lambda: logs_screen(ctx(*WEB), *WEB, False))
    async with app.run_test(size=(100, 14)) as pilot:
        await until(pilot, lambda: len(lines(app)) == 204)
        await pilot.press("slash", *"500", "enter")
        view = app.screen.query_one(LinesView)
        assert status(app).endswith("/500: 1 of 1")
        assert view.top_line < 103 < view.top_line + 9
        server.append_log(*WEB, "app", [f"GET /late/{n} 200" for n in range(50)])
        await until(pilot, lambda: len(lines(app)) == 254)
        assert view.top_line < 103 < view.top_line + 9  # autoscroll paused by the search


async def test_terminal_escapes_in_logs_are_shown_not_obeyed(live):
    server, ctx = live
    server.append_log(*WEB, "app", "\x1b]0;pwned\x07\x1b[2J\x1b[31mred")
    app = ActionApp(lambda: logs_screen(ctx(*WEB), *WEB, False))
    async with app.run_test(size=(100, 12)) as pilot:
        await until(pilot, lambda: len(lines(app)) == 4)
        assert lines(app)[-1] == "\\x1b]0;pwned\\x07\\x1b[2J\\x1b[31mred"
        assert "pwned" in app.export_screenshot() and "\x1b" not in "".join(lines(app))


async def test_the_buffer_stays_bounded_however_much_is_logged(live):
    server, ctx = live
    app = ActionApp(lambda: LogsScreen(ctx(*WEB), *WEB, False, max_lines=500))
    async with app.run_test(size=(100, 12)) as pilot:
        await until(pilot, lambda: len(lines(app)) == 3)
        for start in range(0, 30_000, 3000):
            server.append_log(*WEB, "app", [f"busy line {n}" for n in range(start, start + 3000)])
        await until(pilot, lambda: lines(app) and lines(app)[-1] == "busy line 29999")
        assert len(lines(app)) == 500 and lines(app)[0] == "busy line 29500"
        assert "500 lines (last 500 kept of 30,003)" in status(app)


async def test_previous_run_and_another_container(live):
    _server, ctx = live
    app = ActionApp(lambda: logs_screen(ctx(*KB), *KB, False))
    async with app.run_test(size=(100, 20)) as pilot:
        await until(pilot, lambda: len(lines(app)) == 10)  # a crash-looping container's current log is its last run
        assert "1 quoted by the diagnosis (e)" not in status(app)
        await pilot.press("p")
        await until(pilot, lambda: "previous run" in str(app.screen.query_one("#title", Static).render()))
        await until(pilot, lambda: "1 quoted by the diagnosis (e)" in status(app))
    web = ActionApp(lambda: logs_screen(ctx(*WEB), *WEB, False))
    async with web.run_test(size=(100, 20)) as pilot:
        await until(pilot, lambda: len(lines(web)) == 3)
        await pilot.press("c")
        await until(pilot, lambda: "container log-shipper" in str(web.screen.query_one("#title", Static).render()))
        await until(pilot, lambda: lines(web) == [])
