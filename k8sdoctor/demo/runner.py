"""Start the demo cluster: the fake API server on loopback, loaded with the demo scenario, its
timeline running, and a kubeconfig pointing at it, so the TUI connects through the same live code path
as it does to a real cluster."""

from __future__ import annotations

import errno
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from k8sdoctor.demo.cluster import scenario
from k8sdoctor.demo.timeline import DemoTimeline

if TYPE_CHECKING:
    from k8sdoctor.fakeapi.server import FakeApiServer

DEMO_NAMESPACE = "shop"


@dataclass
class DemoCluster:
    server: FakeApiServer
    timeline: DemoTimeline | None
    kubeconfig: Path
    workdir: Path

    def close(self) -> None:
        if self.timeline is not None:
            self.timeline.stop()
        self.server.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> DemoCluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start_demo(*, port: int = 0, timeline: bool = True, **timeline_options: float) -> DemoCluster:
    """Serve the demo cluster; the caller must `close()` it (or use it as a context manager)."""
    from k8sdoctor.fakeapi.server import FakeApiServer

    server = FakeApiServer(port=port)
    try:
        server.start()
    except OSError as exc:
        from k8sdoctor.errors import UserError

        why = "it is in use" if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
        raise UserError(f"the demo cannot serve on port {port}: {why}", hint="leave out --port to use any free port") from None
    server.load_scenario(scenario())
    workdir = Path(tempfile.mkdtemp(prefix="k8sdoctor-demo-"))
    kubeconfig = server.write_kubeconfig(workdir / "kubeconfig", namespace=DEMO_NAMESPACE, context="k8sdoctor-demo")
    player = DemoTimeline(server, **timeline_options) if timeline else None
    if player is not None:
        player.start()
    return DemoCluster(server, player, kubeconfig, workdir)
