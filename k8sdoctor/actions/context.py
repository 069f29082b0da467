"""What an action needs to know about where it runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from k8sdoctor.core.kube.timeutil import utcnow

if TYPE_CHECKING:
    from k8sdoctor.cluster.live.client import KubeClient
    from k8sdoctor.core.findings import Diagnosis
    from k8sdoctor.core.inventory import Inventory


@dataclass
class SessionChoices:
    """What the user chose in an action, offered first the next time in the same session. Kept in memory
    only: nothing is written to disk."""

    shell: str = "sh"  # the shell `s` opened last
    debug_target: dict[tuple[str, str], str] = field(default_factory=dict)  # (namespace, pod) → target container
    debug_image: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (namespace, pod, target) → image


@dataclass
class ActionContext:
    """The TUI passes one of these to every action screen.

    `client` is None in snapshot mode: the actions then work from `inventory` alone (describe, logs that
    the snapshot holds) and live-only actions (follow, debug) are disabled with a note. `read_only`
    disables debug entirely (`--read-only`). `diagnosis` returns the current diagnosis of a pod, so an
    action can mark what a finding cited (fields in describe, lines in logs). `clock` gives "now" for
    ages. `rediagnose`, when the app sets it, is called with (namespace, name) after the debug action
    changed the pod, so the app can diagnose it again at once. `choices` is what the user chose earlier in
    this session (the app keeps one for its lifetime).
    """

    inventory: Inventory
    client: KubeClient | None
    read_only: bool
    diagnosis: Callable[[str, str], Diagnosis | None]
    clock: Callable[[], datetime] = utcnow
    rediagnose: Callable[[str, str], None] | None = None
    choices: SessionChoices = field(default_factory=SessionChoices)

    @property
    def live(self) -> bool:
        return self.client is not None
