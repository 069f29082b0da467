"""What an action needs to know about where it runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from k8sdoctor.core.kube.timeutil import utcnow

if TYPE_CHECKING:
    from k8sdoctor.cluster.live.client import KubeClient
    from k8sdoctor.core.findings import Diagnosis
    from k8sdoctor.core.inventory import Inventory


@dataclass
class ActionContext:
    """The TUI passes one of these to every action screen.

    `client` is None in snapshot mode: the actions then work from `inventory` alone (describe, logs that
    the snapshot holds) and live-only actions (follow, debug) are disabled with a note. `read_only`
    disables debug entirely (`--read-only`). `diagnosis` returns the current diagnosis of a pod, so an
    action can mark what a finding cited (fields in describe, lines in logs). `clock` gives "now" for
    ages. `rediagnose`, when the app sets it, is called with (namespace, name) after the debug action
    changed the pod, so the app can diagnose it again at once.
    """

    inventory: Inventory
    client: KubeClient | None
    read_only: bool
    diagnosis: Callable[[str, str], Diagnosis | None]
    clock: Callable[[], datetime] = utcnow
    rediagnose: Callable[[str, str], None] | None = None

    @property
    def live(self) -> bool:
        return self.client is not None
