"""What the app reads pods from: the live cluster or a saved snapshot, behind one small interface."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from k8sdoctor.cluster.live.client import KubeClient
    from k8sdoctor.model.feed import ViewFeed


@dataclass(frozen=True)
class SourceInfo:
    """Where the data comes from, as the header shows it."""

    live: bool
    context: str = ""
    cluster: str = ""
    server: str = ""
    default_namespace: str | None = None  # the context's namespace; None for a snapshot
    snapshot: str = ""  # "cluster.json (kubectl cluster-info dump)"


class Source(Protocol):
    info: SourceInfo

    @property
    def client(self) -> KubeClient | None:
        """The client of a live cluster (None for a snapshot)."""

    def start(self, feed: ViewFeed, namespace: str | None) -> None:
        """Begin a new feed generation for this scope (None: all namespaces). Must not block long."""

    def stop(self) -> None:
        """Stop feeding (threads, watches). Blocks briefly."""

    def namespaces(self) -> list[str]:
        """Namespace names to choose from. Blocking: call it from a worker."""
