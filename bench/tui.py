#!/usr/bin/env python3
"""The TUI at scale: 10,000 pods served by the local API server, through a kubeconfig.

    python bench/tui.py                 # 10,000 pods, 200 events/s, a 2,000 events/s storm for 10 s
    python bench/tui.py --pods 1000 --storm-seconds 3

Measured, with targets from the TUI issue:

* first paint: a real `k8sdoctor -A` process in a pseudo-terminal, from spawn to the first frame on the
  terminal (target ≤ 0.5 s); and, in the same process, until the header counts every pod;
* table filled: in process, from the moment the informer hands over the complete pod list to the
  moment the table holds every row (target ≤ 2 s);
* keystroke latency: cursor moves while 200 pod events per second arrive, from the key event to the
  frame that shows the moved cursor (target ≤ 50 ms, p95 over keys 50 ms apart and keys 300 ms apart,
  between which the selected pod's detail renders);
* RSS of the app process with 10,000 pods (target ≤ 300 MB);
* an event storm: 2,000 pod events per second for 10 s; the feed's queue must not grow (sampled), the
  table must catch up with the server, and keys must stay responsive.

The API server runs in its own process, so its work does not count against the app. Pods come from
`bench/clusterdata.py` (about 4 KB each, three containers, a realistic mix of failures with cited
messages). Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import pty
import select
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

#: Targets of the TUI issue (10,000 pods) and of the bad-day issue (50,000 pods, 40% failing: the table
#: filled within 5 s, keys answered within 50 ms while the first diagnoses run).
TARGETS = {"first paint": 0.5, "table filled": 2.0, "table filled, large": 5.0, "keystroke": 0.050, "rss": 300.0}
LARGE = 20_000  # from this many pods on, the large-cluster targets apply


# ---- the API server process ----------------------------------------------------------------------
def serve(pods: int, failing: float, workdir: str, conn) -> None:
    """Serve a generated cluster; on ("churn", rate, seconds) change pods at that rate and reply with
    (events sent, seconds taken, highest resourceVersion's pod names)."""
    from bench.clusterdata import NOW, generate
    from k8sdoctor.fakeapi.server import FakeApiServer

    nodes, pod_list, events, logs = generate(pods, failing=failing)
    server = FakeApiServer(record_requests=False, clock=lambda: NOW)
    server.apply_all(nodes + pod_list + events)
    for entry in logs:
        server.set_logs(entry["namespace"], entry["pod"], entry["container"], entry["lines"], previous=True)
    server.start()
    conn.send(str(server.write_kubeconfig(Path(workdir) / "kubeconfig")))
    crashing = [p for p in pod_list if (p["status"].get("containerStatuses") or [{}])[0].get("restartCount")]
    healthy = [p for p in pod_list if (p["status"].get("containerStatuses") or [{}])[0].get("ready")]
    sent = 0
    while True:
        command = conn.recv()
        if command[0] == "stop":
            server.stop()
            return
        _, rate, seconds = command
        start = time.perf_counter()
        count = int(rate * seconds)
        for i in range(count):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            sent += 1
            if i % 3:  # two events in three: a crash-looping container restarts once more
                pod = crashing[sent % len(crashing)]
                cs = pod["status"]["containerStatuses"][0]
                cs["restartCount"] += 1
            else:  # one in three: a healthy pod's readiness flaps (a probe failed, then passed)
                pod = healthy[sent % len(healthy)]
                cs = pod["status"]["containerStatuses"][0]
                cs["ready"] = not cs["ready"]
            server.apply_all([pod])
        conn.send((count, time.perf_counter() - start))


class ApiServer:
    def __init__(self, pods: int, failing: float, workdir: str) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=serve, args=(pods, failing, workdir, child), daemon=True)
        self.process.start()
        self.kubeconfig = self.conn.recv()

    def churn(self, rate: float, seconds: float) -> None:
        self.conn.send(("churn", rate, seconds))

    def churned(self) -> tuple[int, float]:
        return self.conn.recv()

    def close(self) -> None:
        self.conn.send(("stop",))
        self.process.join(timeout=10)


# ---- first paint, in a pseudo-terminal -------------------------------------------------------------
def first_paint(kubeconfig: str, pods: int) -> tuple[float, float | None, float | None]:
    """Seconds from spawning `k8sdoctor -A` to its first frame, to a header that counts `pods`, and from
    pressing q to the process's exit."""
    env = {**os.environ, "KUBECONFIG": kubeconfig, "TERM": "xterm-256color", "COLUMNS": "160", "LINES": "45"}
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(sys.executable, [sys.executable, "-m", "k8sdoctor", "-A"], env)
    painted = filled = None
    buffer = b""
    deadline = start + 60
    try:
        while time.perf_counter() < deadline and filled is None:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                break
            buffer = buffer[-4096:] + chunk
            if painted is None and b"k8sdoctor" in buffer:
                painted = time.perf_counter() - start
            if f"{pods} pods".encode() in buffer:
                filled = time.perf_counter() - start
        os.write(fd, b"q")
        asked = time.perf_counter()
        quit_took = None
        end = asked + 10
        while time.perf_counter() < end:
            done, _status = os.waitpid(pid, os.WNOHANG)
            if done:
                quit_took = time.perf_counter() - asked
                break
            if select.select([fd], [], [], 0.05)[0]:
                with contextlib.suppress(OSError):
                    os.read(fd, 1 << 16)
        else:
            os.kill(pid, 9)
    finally:
        os.close(fd)
    return painted if painted is not None else float("nan"), filled, quit_took


# ---- in process ----------------------------------------------------------------------------------------
def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Probe:
    """Timestamps from inside the app: when the pod list reached the feed, frames drawn."""

    def __init__(self) -> None:
        self.list_at: float | None = None
        self.frames: list[float] = []

    def install(self, app) -> None:
        from k8sdoctor.cluster.live.informer import Replace
        from k8sdoctor.model.feed import ViewFeed

        probe = self
        reset = ViewFeed.reset

        def reset_with_probe(feed, inventory=None):
            sink = reset(feed, inventory)

            def probed(item):
                if isinstance(item, Replace) and item.kind == "Pod" and probe.list_at is None:
                    probe.list_at = time.perf_counter()
                sink(item)

            return probed

        ViewFeed.reset = reset_with_probe
        display = app._display

        def display_with_probe(screen, renderable):
            display(screen, renderable)
            probe.frames.append(time.perf_counter())

        app._display = display_with_probe


async def keystrokes(app, count: int, pause: float) -> list[float]:
    """Latency of `count` cursor moves: key event sent → first frame drawn after the cursor moved."""
    from textual import events

    probe: Probe = app.probe
    table = app.main_screen.table
    latencies = []
    for i in range(count):
        before = table.cursor_row
        key = "j" if before == 0 or (before < len(table.rows) - 1 and (i // 20) % 2 == 0) else "k"
        event = events.Key(key, key)
        event.set_sender(app)
        sent = time.perf_counter()
        frames = len(probe.frames)
        app._driver.send_message(event)
        while True:
            await asyncio.sleep(0.0005)
            if table.cursor_row != before and any(t > sent for t in probe.frames[frames:]):
                moved = next(t for t in probe.frames[frames:] if t > sent)
                latencies.append(moved - sent)
                break
            if time.perf_counter() - sent > 5:
                latencies.append(float("inf"))
                break
        await asyncio.sleep(pause)
    return latencies


def summary(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    return f"p50 {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms ({len(ms)} keys)"


async def in_process(server: ApiServer, pods: int, rate: float, storm_rate: float, storm_seconds: float, results: dict) -> None:
    from k8sdoctor.tui.app import DoctorApp
    from k8sdoctor.tui.options import TuiOptions

    app = DoctorApp(TuiOptions(kubeconfig=server.kubeconfig, all_namespaces=True))
    app.probe = Probe()
    app.probe.install(app)
    started = time.perf_counter()
    async with app.run_test(size=(160, 45)) as pilot:
        table = app.main_screen.table
        while len(table.all_rows) < pods:
            await pilot.pause(0.005)
            if time.perf_counter() - started > 120:
                raise SystemExit(f"the table never filled: {len(table.all_rows)} of {pods} rows")
        filled_at = time.perf_counter()
        results["list at"] = app.probe.list_at - started
        results["table filled"] = filled_at - app.probe.list_at
        results["rows on screen"] = f"{table.row_count:,} rows, {table.problem_count:,} problems, {len(table.pending):,} being diagnosed"
        await pilot.pause(1.0)
        results["rss"] = rss_mb()
        diagnosing = await keystrokes(app, 40, 0.05)
        results["keystroke (diagnosing)"] = summary(diagnosing)
        results["keystroke (diagnosing) p95"] = sorted(diagnosing)[int(len(diagnosing) * 0.95)]
        while table.pending:
            await pilot.pause(0.05)
        results["diagnosed"] = time.perf_counter() - app.probe.list_at
        await pilot.pause(1.0)

        results["keystroke (idle)"] = summary(await keystrokes(app, 40, 0.05))

        server.churn(rate, 16)
        await pilot.pause(1.0)
        fast = await keystrokes(app, 100, 0.05)  # faster than the detail pane follows: only the table moves
        slow = await keystrokes(app, 30, 0.3)  # slow enough that the selected pod's detail renders between keys
        sent, took = server.churned()
        results["keystroke"] = fast + slow
        results["keystroke fast"] = summary(fast)
        results["keystroke slow"] = summary(slow)
        results["churn"] = f"{sent} pod events in {took:.1f} s ({sent / took:.0f}/s)"

        server.churn(storm_rate, storm_seconds)
        backlog: list[int] = []
        storm_keys: list[float] = []
        end = time.perf_counter() + storm_seconds
        while time.perf_counter() < end:
            backlog.append(app.feed.backlog)
            storm_keys += await keystrokes(app, 5, 0.1)
        sent, took = server.churned()
        drained = time.perf_counter()
        while not app.feed.idle:
            await pilot.pause(0.01)
        results["storm"] = f"{sent} pod events in {took:.1f} s ({sent / took:.0f}/s)"
        results["storm backlog"] = (
            f"queue samples: max {max(backlog)}, last {backlog[-1]}, mean {statistics.mean(backlog):.0f}; "
            f"idle {time.perf_counter() - drained:.2f} s after the storm"
        )
        results["storm keystroke"] = summary(storm_keys)
        results["rss after storm"] = rss_mb()
        await pilot.press("q")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pods", type=int, default=10_000)
    parser.add_argument("--failing", type=float, default=0.12, help="share of pods failing (bench/clusterdata.py's bad day)")
    parser.add_argument("--rate", type=float, default=200, help="pod events per second while keys are timed")
    parser.add_argument("--storm-rate", type=float, default=2000)
    parser.add_argument("--storm-seconds", type=float, default=10)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="k8sdoctor-bench-tui-")
    os.environ.setdefault("K8SDOCTOR_STATE_DIR", workdir)
    print(f"serving {args.pods:,} generated pods ({args.failing:.0%} failing) from the local API server (own process)...", flush=True)
    server = ApiServer(args.pods, args.failing, workdir)
    results: dict = {}
    try:
        paint, filled, quit_took = first_paint(server.kubeconfig, args.pods)
        results["first paint"] = paint
        results["process: header counts every pod"] = filled
        results["quit"] = quit_took
        asyncio.run(in_process(server, args.pods, args.rate, args.storm_rate, args.storm_seconds, results))
    finally:
        server.close()

    keys = results.pop("keystroke")
    p95 = sorted(keys)[int(len(keys) * 0.95)]
    large = args.pods >= LARGE
    filled_target = TARGETS["table filled, large" if large else "table filled"]
    diagnosing_p95 = results["keystroke (diagnosing) p95"]
    rows = [
        (
            "first paint (k8sdoctor -A in a pty)",
            f"{results['first paint']:.3f} s",
            "≤ 0.5 s",
            results["first paint"] <= TARGETS["first paint"],
        ),
        (
            "table filled after the pod list arrived",
            f"{results['table filled']:.3f} s",
            f"≤ {filled_target:g} s",
            results["table filled"] <= filled_target,
        ),
        (
            "keystroke latency while the first diagnoses run (p95)",
            f"{diagnosing_p95 * 1000:.1f} ms",
            "≤ 50 ms",
            diagnosing_p95 <= TARGETS["keystroke"],
        ),
        (f"keystroke latency at {args.rate:.0f} events/s (p95)", f"{p95 * 1000:.1f} ms", "≤ 50 ms", p95 <= TARGETS["keystroke"]),
        (
            f"RSS with {args.pods:,} pods",
            f"{results['rss']:.0f} MB",
            "" if large else "≤ 300 MB",
            None if large else results["rss"] <= TARGETS["rss"],
        ),
    ]
    print()
    print(f"| TUI, {args.pods:,} pods | measured | target | |")
    print("|---|---|---|---|")
    for name, value, target, met in rows:
        print(f"| {name} | {value} | {target} | {'' if met is None else 'met' if met else 'MISSED'} |")
    notes = {
        "pod list received (from app start)": f"{results['list at']:.2f} s",
        "process: header counts every pod (from spawn)": f"{results['process: header counts every pod']:.2f} s"
        if results["process: header counts every pod"]
        else "not seen",
        "process: q to exit": f"{results['quit']:.2f} s" if results["quit"] is not None else "did not exit",
        "table": results["rows on screen"],
        "every pod diagnosed (after the list arrived)": f"{results['diagnosed']:.1f} s",
        "keystrokes while the first diagnoses run": results["keystroke (diagnosing)"],
        "keystrokes, no events arriving": results["keystroke (idle)"],
        f"keystrokes at {args.rate:.0f} events/s, 50 ms apart": results["keystroke fast"],
        f"keystrokes at {args.rate:.0f} events/s, 300 ms apart (the detail renders between)": results["keystroke slow"],
        "events sent while timing keys": results["churn"],
        f"storm ({args.storm_rate:.0f} events/s for {args.storm_seconds:.0f} s)": results["storm"],
        "storm: feed queue": results["storm backlog"],
        "storm: keystrokes": results["storm keystroke"],
        "RSS after the storm": f"{results['rss after storm']:.0f} MB",
    }
    for name, value in notes.items():
        print(f"| {name} | {value} | | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
