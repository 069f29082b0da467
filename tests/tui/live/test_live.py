"""The TUI against the local API server through a kubeconfig: watch events move the table and the
detail pane; an outage keeps the last data (stale banner) and recovery shows exactly what the server
has, with no ghost and no missing pod."""

from __future__ import annotations

import os

from k8sdoctor.cluster.view import PodRow
from k8sdoctor.demo.cluster import CNPG_BAD
from k8sdoctor.demo.objects import container_status, waiting
from tests.tui.helpers import settle
from tests.tui.live.conftest import BACKOFF, EXEC_FORMAT_LOG, NS, crash_looping, now, recovered

TIMEOUT = 20.0


def rows(app) -> dict[tuple[str, str], PodRow]:
    return app.main_screen.table.all_rows


def pod_names(server) -> set[str]:
    return {p["metadata"]["name"] for p in server.list("Pod", NS)}


async def test_table_and_detail_follow_a_crash_loop_and_its_recovery(server, live_app, clock):
    app = live_app
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: len(rows(app)) == 3 and app.health.state == "ready", TIMEOUT)
        assert app.namespace == NS  # the context's namespace
        assert not any(r.problem for r in rows(app).values())
        target = sorted(rows(app))[1]
        app.main_screen.select_pod(target)
        await settle(pilot, lambda: app.main_screen.detail.detail is not None and app.main_screen.detail.detail.row.key == target, TIMEOUT)

        # the container starts crash-looping; its previous run logged why
        pod = server.get("Pod", NS, target[1])
        server.set_logs(NS, target[1], "web", [EXEC_FORMAT_LOG], previous=True)
        server.apply(crash_looping(pod, restarts=3))
        server.apply(
            {
                "apiVersion": "v1",
                "kind": "Event",
                "type": "Warning",
                "reason": "BackOff",
                "message": BACKOFF,
                "count": 5,
                "metadata": {"name": f"{target[1]}.backoff", "namespace": NS},
                "involvedObject": {
                    "kind": "Pod",
                    "namespace": NS,
                    "name": target[1],
                    "uid": pod["metadata"]["uid"],
                    "fieldPath": "spec.containers{web}",
                },
                "firstTimestamp": now(),
                "lastTimestamp": now(),
                "source": {"component": "kubelet", "host": "worker-1"},
            }
        )

        def diagnosed() -> bool:
            row = rows(app).get(target)
            shown = app.main_screen.detail.detail
            return (
                row is not None
                and row.status == "CrashLoopBackOff"
                and row.diagnosis.findings
                and row.diagnosis.findings[0].cause == "exec-format-error"
                and shown is not None
                and shown.row is row
                and any(e.reason == "BackOff" for e in shown.facts.events)
            )

        await settle(pilot, diagnosed, TIMEOUT)
        table = app.main_screen.table
        assert table.rows[0].key == target  # problems first
        assert table.cursor_key == target  # the cursor followed its pod to the top
        assert rows(app)[target].restarts.startswith("3 (")
        evidence = [e.text for e in rows(app)[target].diagnosis.findings[0].evidence]
        assert any(EXEC_FORMAT_LOG in text for text in evidence)  # the log tail was fetched and quoted

        # and it recovers: the container runs, and ten minutes later it is still ready
        clock.advance(660)
        server.apply(recovered(server.get("Pod", NS, target[1])))
        await settle(pilot, lambda: not rows(app)[target].problem and app.main_screen.detail.detail.row is rows(app)[target], TIMEOUT)
        row = rows(app)[target]
        assert row.status == "Running" and row.ready == "1/1"
        assert [f.severity for f in row.diagnosis.findings] == ["info"]  # the old restarts stay as history
        assert table.rows[-1].key == target or not table.rows[-1].problem  # no longer sorted among problems


async def test_outage_keeps_stale_data_then_recovers_without_ghosts(server, live_app):
    app = live_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: len(rows(app)) == 3 and app.health.state == "ready", TIMEOUT)
        before = {k[1] for k in rows(app)}
        banner = app.main_screen.query_one("#banner")

        server.stop()
        await settle(pilot, lambda: app.health.state == "disconnected", TIMEOUT)
        assert banner.display and "stale" in str(banner.render()) and "retry in" in str(banner.render())
        assert {k[1] for k in rows(app)} == before  # the last data stays on screen
        assert app.is_running

        # while the server is down: a pod is deleted, one is added, one starts crash-looping
        gone, changed, kept = sorted(before)
        server.delete("Pod", NS, gone)
        fresh = server.get("Pod", NS, kept)
        fresh["metadata"].update(name="web-replacement", uid="web-replacement-uid")
        fresh["metadata"].pop("resourceVersion", None)
        server.apply(fresh)
        server.apply(crash_looping(server.get("Pod", NS, changed), restarts=1))

        server.start()  # same port
        await settle(pilot, lambda: app.health.state == "ready" and {k[1] for k in rows(app)} == pod_names(server), TIMEOUT)
        assert gone not in {k[1] for k in rows(app)}  # no ghost
        assert "web-replacement" in {k[1] for k in rows(app)}  # nothing missing
        assert rows(app)[(NS, changed)].status == "CrashLoopBackOff"
        assert not banner.display


async def test_switching_context_watches_the_other_cluster(server, engine, tmp_path):
    import yaml

    from k8sdoctor.demo.objects import node
    from k8sdoctor.fakeapi import FakeApiServer
    from k8sdoctor.fakeapi.kubeconfig import kubeconfig
    from k8sdoctor.tui.app import DoctorApp
    from k8sdoctor.tui.options import TuiOptions
    from tests.tui.live.conftest import web_pods

    other = FakeApiServer()
    other.start()
    try:
        other.load_scenario({"objects": [node("worker-1"), *web_pods(replicas=5)]})
        first, second = kubeconfig(server.url, namespace=NS, name="prod"), kubeconfig(other.url, namespace=NS, name="staging")
        merged = {
            **first,
            "clusters": first["clusters"] + second["clusters"],
            "contexts": first["contexts"] + second["contexts"],
            "users": first["users"],
        }
        path = tmp_path / "two-contexts"
        path.write_text(yaml.safe_dump(merged))
        app = DoctorApp(TuiOptions(kubeconfig=str(path)), engine=engine)
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot, lambda: len(rows(app)) == 3, TIMEOUT)
            assert app.info.context == "prod"
            await pilot.press("C")
            await pilot.pause(0.5)
            assert type(app.screen).__name__ == "PickerScreen"
            await pilot.press(*"staging", "enter")
            await settle(pilot, lambda: app.info.context == "staging" and len(rows(app)) == 5 and app.health.state == "ready", TIMEOUT)
            assert app.info.server == other.url
            assert "ctx staging" in str(app.main_screen.query_one("#header-scope").render())
    finally:
        other.stop()


async def test_a_context_asked_for_earlier_does_not_replace_a_later_one_when_it_connects_late(server, engine, tmp_path, monkeypatch):
    """`:ctx slow` then `:ctx staging`: the slow context's exec credential plugin answers after the
    staging cluster is shown, and must not take the screen over (the latest request wins)."""
    import sys

    import yaml

    from k8sdoctor.demo.objects import node
    from k8sdoctor.fakeapi import FakeApiServer
    from k8sdoctor.fakeapi.kubeconfig import kubeconfig
    from k8sdoctor.tui.app import DoctorApp
    from k8sdoctor.tui.options import TuiOptions
    from tests.tui.live.conftest import web_pods

    other = FakeApiServer()
    other.start()
    try:
        other.load_scenario({"objects": [node("worker-1"), *web_pods(replicas=5)]})
        first, second = kubeconfig(server.url, namespace=NS, name="prod"), kubeconfig(other.url, namespace=NS, name="staging")
        credential = '{"apiVersion": "client.authentication.k8s.io/v1beta1", "kind": "ExecCredential", "status": {"token": "t"}}'
        slow_user = {
            "name": "slow",
            "user": {
                "exec": {
                    "apiVersion": "client.authentication.k8s.io/v1beta1",
                    "command": sys.executable,
                    "args": ["-c", f"import time; time.sleep(3); print({credential!r})"],
                    "interactiveMode": "Never",
                }
            },
        }
        slow_context = {"name": "slow", "context": {"cluster": first["clusters"][0]["name"], "user": "slow", "namespace": NS}}
        merged = {
            **first,
            "clusters": first["clusters"] + second["clusters"],
            "contexts": first["contexts"] + second["contexts"] + [slow_context],
            "users": first["users"] + [slow_user],
        }
        path = tmp_path / "three-contexts"
        path.write_text(yaml.safe_dump(merged))
        # The client hands the plugin our stdin when stdout is a terminal; pytest's captured stdin has no
        # file descriptor, and the plugin would fail at once instead of answering late.
        devnull = open(os.devnull)  # noqa: SIM115 (closed below)
        monkeypatch.setattr(sys, "stdin", devnull)
        app = DoctorApp(TuiOptions(kubeconfig=str(path)), engine=engine)
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot, lambda: len(rows(app)) == 3, TIMEOUT)
            app.switch_context("slow")
            await pilot.pause(0.3)
            app.switch_context("staging")
            await settle(pilot, lambda: app.info.context == "staging" and len(rows(app)) == 5 and app.health.state == "ready", TIMEOUT)
            await pilot.pause(4.0)  # the slow plugin has answered by now
            assert app.info.context == "staging"
            assert app.info.server == other.url
            assert len(rows(app)) == 5
            app.switch_context("slow")  # and the slow context does connect, when it is the one asked for
            await settle(pilot, lambda: app.info.context == "slow" and len(rows(app)) == 3, TIMEOUT)
        devnull.close()
    finally:
        other.stop()


async def test_the_selected_pods_fetch_reads_no_pods_events_or_nodes_the_watches_keep(server, live_app):
    """The one-pod fetch behind the detail pane reads what no watch carries (ReplicaSets, service accounts,
    log tails...), never the pod, event or node lists the view already holds: for an image pull failure
    that list would be every pod of the namespace, tens of megabytes on a large cluster."""
    app = live_app
    pod = server.get("Pod", NS, min(p["metadata"]["name"] for p in server.list("Pod", NS)))
    key = (NS, pod["metadata"]["name"])
    async with app.run_test(size=(160, 45)) as pilot:
        # The lists are done and every pod is healthy (a healthy pod's selection fetches nothing), so every
        # request from here on is the watches' or the one-pod fetch's, whatever row the cursor started on.
        await settle(pilot, lambda: len(rows(app)) == 3 and app.health.state == "ready", TIMEOUT)
        # ...and every kind's reflector has listed and is watching (a reflector of another kind that lists
        # late would read like the fetch): a watch opens once its list is done.
        watched = ("/storageclasses", "/persistentvolumeclaims", "/jobs")
        await settle(
            pilot,
            lambda: all(any(r.path.endswith(k) and r.query.get("watch") == "true" for r in server.requests("GET")) for k in watched),
            TIMEOUT,
        )
        server.clear_requests()
        pod["spec"]["containers"][0]["image"] = CNPG_BAD
        pod["status"]["containerStatuses"] = [
            container_status("web", CNPG_BAD, waiting("ImagePullBackOff", f'Back-off pulling image "{CNPG_BAD}"'))
        ]
        server.apply(pod)
        await settle(pilot, lambda: key in rows(app) and rows(app)[key].problem, TIMEOUT)
        app.main_screen.select_pod(key)
        # What this pod's findings can read: its ReplicaSet's revisions, pull secrets on its ServiceAccount.
        fetched = ("serviceaccounts", "replicasets")
        await settle(pilot, lambda: all(any(r.path.endswith(f"/{kind}") for r in server.requests("GET")) for kind in fetched), TIMEOUT)
        await pilot.pause(0.5)
        reads = [r.path for r in server.requests("GET") if r.query.get("watch") != "true"]
        assert f"/api/v1/namespaces/{NS}/pods/{key[1]}" in reads  # the pod itself, fresh and whole
        assert not [p for p in reads if p.endswith(("/pods", "/events", "/nodes"))]
        # nor what it cannot use: it mounts no claim and no Job owns it
        assert not [p for p in reads if p.endswith(("/persistentvolumeclaims", "/storageclasses", "/jobs"))]
