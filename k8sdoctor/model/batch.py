"""What the feed thread hands to the UI: immutable snapshots, safe to read on the UI thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from k8sdoctor.cluster.view import ObjectRow, PodRow
    from k8sdoctor.core.facts import EventFact, PodFacts
    from k8sdoctor.core.inventory import Inventory, Key, Ref


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
    forbidden: tuple[tuple[str, str], ...] = ()  # (kind, the server's message) of every kind we may not list


@dataclass(frozen=True)
class Link:
    """An object the selected pod is joined to: its workload, a Service that selects it, a claim it
    mounts, its node; with that object's row (None: not known to the view, e.g. a missing claim)."""

    relation: str  # "workload", "service", "claim", "node"
    ref: Ref
    row: ObjectRow | None


@dataclass(frozen=True)
class PodDetail:
    """The selected pod: its row, its normalized facts (containers, events), a private inventory
    holding the pod and what it references, for the action screens, and the objects it is joined to."""

    row: PodRow
    facts: PodFacts
    inventory: Inventory
    links: tuple[Link, ...] = ()
    #: Why the events could not be read (the API server's refusal), when they could not: an empty
    #: list then means "unknown", not "none".
    events_unread: str = ""


@dataclass(frozen=True)
class PodScope:
    """The pods of one object (a workload's, a Service's, a node's, a claim's), for a drill-down;
    `ref` None: every pod again."""

    ref: Ref | None
    keys: frozenset[Key] = frozenset()


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
    objects: list[ObjectRow] = field(default_factory=list)  # other kinds' rows diagnosed again
    objects_removed: list[Ref] = field(default_factory=list)
    scope: PodScope | None = None  # the drill-down's pods, when they changed
