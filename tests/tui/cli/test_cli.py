"""`k8sdoctor` (the TUI) and `k8sdoctor demo` from the command line: errors before the screen is taken
are one line and exit code 2; errors the app finds end it the same way; `demo --serve-only` serves."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from k8sdoctor.cli.main import main
from k8sdoctor.errors import ClusterError
from k8sdoctor.tui.app import DoctorApp
from k8sdoctor.tui.options import TuiOptions
from tests.tui.helpers import demo_pod_count, settle


def test_no_kubeconfig_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "missing"))
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    assert main([]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert (
        err[0]
        == f"k8sdoctor: error: no kubeconfig at {tmp_path / 'missing'} (set KUBECONFIG or pass --kubeconfig), and not running inside a cluster"
    )
    assert err[1] == "to try k8sdoctor without a cluster: k8sdoctor demo"


def test_missing_snapshot_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["--snapshot", str(tmp_path / "nope.json")]) == 2
    assert capsys.readouterr().err.strip() == f"k8sdoctor: error: snapshot {tmp_path / 'nope.json'}: no such file or directory"


async def test_an_unusable_kubeconfig_ends_the_app_with_its_error(tmp_path, engine):
    bad = tmp_path / "kubeconfig"
    bad.write_text("apiVersion: v1\nkind: Config\ncontexts: []\nclusters: []\nusers: []\n")
    app = DoctorApp(TuiOptions(kubeconfig=str(bad)), engine=engine)
    async with app.run_test() as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            if app.startup_error is not None:
                break
    assert isinstance(app.startup_error, ClusterError)
    assert str(app.startup_error).startswith(f"kubeconfig {bad}:")
    assert app.return_code == 2


@pytest.mark.skipif(sys.platform == "win32", reason="signals")
def test_demo_serve_only_prints_a_working_kubeconfig_and_stops_on_ctrl_c(tmp_path):
    env = {**os.environ, "K8SDOCTOR_STATE_DIR": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "k8sdoctor", "demo", "--serve-only"], stdout=subprocess.PIPE, text=True, env=env)
    try:
        lines = [proc.stdout.readline() for _ in range(2)]
        kubeconfig = lines[1].split("kubeconfig: ", 1)[1].strip()
        from k8sdoctor.cluster.live.client import KubeClient

        pods = KubeClient(kubeconfig).get("/api/v1/pods")["items"]
        assert len(pods) == demo_pod_count()
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0


async def test_demo_reaches_the_simulated_cluster_through_the_live_path(engine):
    from k8sdoctor.cli.demo import DemoSource

    source = DemoSource(crash_every=0.5, node_after=1.0, fix_after=1.5, tick=0.1)
    app = DoctorApp(TuiOptions(all_namespaces=True), open_source=source, engine=engine)
    try:
        async with app.run_test(size=(160, 45)) as pilot:
            rows = lambda: app.main_screen.table.all_rows  # noqa: E731
            await settle(pilot, lambda: len(rows()) >= demo_pod_count() and not app.main_screen.table.pending, 20)
            assert app.info.live and app.info.server.startswith("http://127.0.0.1:")
            kestra = [r for r in rows().values() if r.name.startswith("kestra-")]
            restarts = min(r.restart_count for r in kestra)
            # the timeline plays: a node joins and the pending pod runs, the image is fixed, restarts climb
            await settle(
                pilot,
                lambda: (
                    all(not r.problem for r in rows().values() if r.name.startswith(("odfe-client-", "cloudnative-pg-")))
                    and min(r.restart_count for r in rows().values() if r.name.startswith("kestra-")) > restarts
                ),
                20,
            )
            # selecting a pod reads what its finding asked for (the Secret's key names) and diagnoses it again
            key = ("default", "aegis-workload-demo")
            app.main_screen.select_pod(key)

            def key_names_quoted() -> bool:
                shown = app.main_screen.detail.detail
                return (
                    shown is not None
                    and shown.row.key == key
                    and any("Did you mean value?" in e.text for e in shown.row.diagnosis.findings[0].evidence)
                )

            await settle(pilot, key_names_quoted, 20)
    finally:
        source.close()


def test_malformed_selector_is_one_line_and_exit_2(capsys):
    assert main(["-l", "app in (web", "--snapshot", "/dev/null"]) == 2
    assert capsys.readouterr().err.startswith("k8sdoctor: error: -l app in (web: ")


async def test_snapshot_mode_reads_the_file_and_applies_the_selector(tmp_path, engine):
    import orjson

    from k8sdoctor.demo.cluster import scenario
    from k8sdoctor.fakeapi.scenario import load
    from tests.tui.helpers import FIXED_NOW, detail_shown

    path = tmp_path / "cluster.json"
    path.write_bytes(orjson.dumps({"apiVersion": "v1", "kind": "List", "items": list(load(scenario(), FIXED_NOW).objects)}))
    app = DoctorApp(TuiOptions(snapshot=str(path), selector="app=kestra"), engine=engine, clock=lambda: FIXED_NOW)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        assert not app.info.live and str(path) in app.info.snapshot
        assert {k[1][:7] for k in app.main_screen.table.all_rows} == {"kestra-"}
        await pilot.press("x")  # a snapshot is read-only: x says so, nothing opens
        await pilot.pause(0.1)
        assert app.screen is app.main_screen and [n.message for n in app._notifications][-1].startswith("Debug needs a live cluster")
