"""`k8sdoctor demo`: the TUI on a simulated cluster full of broken pods, served by the local fake API
server and reached through a kubeconfig, i.e. through the same live code path as a real cluster.

`--serve-only` runs just the server (and its timeline) and prints the kubeconfig, for trying other
commands or kubectl against it.
"""

from __future__ import annotations

import contextlib
import threading
from argparse import Namespace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from k8sdoctor.demo.runner import DemoCluster


class DemoSource:
    """Opens the demo for the app: called by the app's worker after the first paint, it starts the
    server and its timeline, then connects to it like to any cluster. `close()` stops the server."""

    def __init__(self, port: int = 0, selector: str | None = None, **timeline_options: float) -> None:
        self.port = port
        self.selector = selector
        self.timeline_options: dict = timeline_options
        self.cluster: DemoCluster | None = None

    def __call__(self):
        from k8sdoctor.demo.runner import start_demo
        from k8sdoctor.model.live_source import LiveSource

        cluster = self.cluster = start_demo(port=self.port, **self.timeline_options)
        return LiveSource.connect(str(cluster.kubeconfig), None, self.selector)

    def close(self) -> None:
        if self.cluster is not None:
            self.cluster.close()


def _serve_only(port: int) -> int:
    from k8sdoctor.demo.runner import start_demo

    with start_demo(port=port) as demo:
        print(f"demo API server: {demo.server.url}", flush=True)
        print(f"kubeconfig: {demo.kubeconfig}", flush=True)
        print(f"try: KUBECONFIG={demo.kubeconfig} k8sdoctor -A   (Ctrl-C stops the server)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


def run_demo(args: Namespace) -> int:
    if args.serve_only:
        return _serve_only(args.port)
    from k8sdoctor.cli.tui_cmd import launch
    from k8sdoctor.tui.options import TuiOptions

    options = TuiOptions(
        namespace=args.namespace,
        all_namespaces=args.namespace is None,
        selector=args.selector,
        playbooks=tuple(args.playbooks or ()),
        read_only=args.read_only,
    )
    source = DemoSource(args.port, args.selector)
    try:
        return launch(options, open_source=source)
    finally:
        source.close()
