"""What the feed thread hands to the UI: immutable snapshots, safe to read on the UI thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from k8sdoctor.cluster.view import PodRow
    from k8sdoctor.core.facts import EventFact, PodFacts
    from k8sdoctor.core.inventory import Inventory, Key


@dataclass(frozen=True)
class Health:
    """The connection as the user should see it.

    `state` is connecting (before the source opened), syncing, ready, empty, forbidden or disconnected.
    `stale_since` is when live data stopped (disconnected while pods are shown). `notes` name evidence
    that cannot be read (events or nodes forbidden) while pods themselves are fine.
    """

    state: str = "connecting"
    message: str = ""
    retry_at: float | None = None  # time.monotonic() of the next attempt
    stale_since: datetime | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PodDetail:
    """The selected pod: its row, its normalized facts (containers, events) and a private inventory
    holding the pod and what it references, for the action screens."""

    row: PodRow
    facts: PodFacts
    inventory: Inventory
    #: Why the events could not be read (the API server's refusal), when they could not: an empty
    #: list then means "unknown", not "none".
    events_unread: str = ""


@dataclass(frozen=True)
class EventRow:
    """One event of the events view."""

    id: str
    namespace: str
    object: str  # "pod/web-1", "deployment/web"
    fact: EventFact


@dataclass(frozen=True)
class Batch:
    """Changes since the previous batch, for one generation (one scope) of the view."""

    generation: int
    changed: list[PodRow]
    removed: list[Key]
    health: Health
    pod_count: int
    detail: PodDetail | None = None
    events: list[EventRow] | None = None
    provisional: list[PodRow] = field(default_factory=list)  # listed, not yet diagnosed ("diagnosing…")
