"""`k8sdoctor` with no command: the interactive TUI.

What can be checked without slow imports is checked here, so a missing kubeconfig or snapshot, or a
malformed `-l` selector, is one line and exit code 2 before the screen is taken over. Errors found by the app's worker (an unreadable
kubeconfig, an unknown context, a malformed snapshot) end the app and are raised here, so the same
one-line report follows.
"""

from __future__ import annotations

import os
from argparse import Namespace
from collections.abc import Callable

from k8sdoctor.errors import ClusterError, SnapshotError, UserError


def _check_sources(kubeconfig: str | None, snapshot: str | None, selector: str | None) -> None:
    if selector:
        from k8sdoctor.core.kube.selectors import SelectorError, parse_label_selector

        try:
            parse_label_selector(selector)
        except SelectorError as exc:
            raise UserError(f"-l {selector}: {exc}") from None
    if snapshot:
        if not os.path.exists(snapshot):
            raise SnapshotError(f"snapshot {snapshot}: no such file or directory")
        return
    path = kubeconfig or os.environ.get("KUBECONFIG") or os.path.expanduser("~/.kube/config")
    if any(os.path.exists(os.path.expanduser(p)) for p in path.split(os.pathsep) if p):
        return
    if kubeconfig is None and os.environ.get("KUBERNETES_SERVICE_HOST"):
        return
    raise ClusterError(
        f"no kubeconfig at {path} (set KUBECONFIG or pass --kubeconfig), and not running inside a cluster",
        hint="to try k8sdoctor without a cluster: k8sdoctor demo",
    )


def launch(options, open_source: Callable | None = None) -> int:
    """Run the app until it quits; raise the error that stopped it, if one did."""
    from k8sdoctor.tui.app import DoctorApp

    app = DoctorApp(options, open_source=open_source)
    app.run()
    if app.startup_error is not None:
        raise app.startup_error
    return app.return_code or 0


def run_tui(args: Namespace) -> int:
    from k8sdoctor.tui.options import TuiOptions

    options = TuiOptions.from_args(args)
    _check_sources(options.kubeconfig, options.snapshot, options.selector)
    return launch(options)
