"""`--request-timeout` is honoured by `logs`, `debug` and the TUI (issue 17: they used 30 s whatever it
said), against a local API server that never answers."""

from __future__ import annotations

import time

import pytest

from k8sdoctor.fakeapi import FakeApiServer
from k8sdoctor.tui.app import DoctorApp
from k8sdoctor.tui.options import TuiOptions
from tests.cli.test_bad_input import assert_one_line
from tests.live.conftest import NS, pod
from tests.tui.helpers import Clock, settle


@pytest.fixture
def silent_server():
    with FakeApiServer() as srv:
        srv.apply(pod("web-1"))
        srv.hang("pods")
        yield srv
        srv.clear_faults()


@pytest.mark.parametrize("command", [["logs", "pod", "web-1"], ["debug", "pod", "web-1", "--yes"]], ids=["logs", "debug"])
def test_logs_and_debug_give_up_after_the_request_timeout(run_cli, silent_server, tmp_path, command):
    kubeconfig = silent_server.write_kubeconfig(tmp_path / "kc", namespace=NS)
    started = time.monotonic()
    result = run_cli(*command, "--request-timeout", "2", kubeconfig=kubeconfig, timeout=25)
    assert time.monotonic() - started < 15
    assert_one_line(result, "did not answer in time")


async def test_the_tui_gives_up_after_the_request_timeout(silent_server, tmp_path, engine):
    kubeconfig = silent_server.write_kubeconfig(tmp_path / "kc", namespace=NS)
    app = DoctorApp(TuiOptions(kubeconfig=str(kubeconfig), request_timeout=2.0), engine=engine, clock=Clock())
    app.animation_level = "none"
    async with app.run_test(size=(140, 40)) as pilot:
        started = time.monotonic()
        await settle(pilot, lambda: app.health.state == "disconnected", 15)
        assert time.monotonic() - started < 10
        assert "did not answer in time" in app.health.message
        await pilot.press("q")
