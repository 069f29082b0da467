"""Messages to the app: batches from the feed thread, and the requests screens make (messages flow up;
the app carries them out)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from k8sdoctor.model.batch import Batch

if TYPE_CHECKING:
    from k8sdoctor.core.inventory import Key, Ref


class FeedBatch(Message):
    """The feed thread published a batch (posted from the feed thread; Textual queues it safely)."""

    def __init__(self, batch: Batch) -> None:
        super().__init__()
        self.batch = batch


class ChangeNamespace(Message):
    """Watch another namespace (None: all). (`Message.namespace` is Textual's handler-name prefix, hence
    `kube_namespace`.)"""

    def __init__(self, kube_namespace: str | None) -> None:
        super().__init__()
        self.kube_namespace = kube_namespace


class SwitchContext(Message):
    """Watch another kubeconfig context."""

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context


class OpenSource(Message):
    """The main screen has painted: open the source now (in a worker)."""


class Reconnect(Message):
    """Restart the watches now instead of waiting for the next retry."""


class SourceOpened(Message):
    """A worker opened the source (or switched context): the app adopts it on the UI thread."""

    def __init__(self, source: object, kube_namespace: str | None) -> None:
        super().__init__()
        self.source = source
        self.kube_namespace = kube_namespace


class Navigate(Message):
    """Show a view: a kind's rows ("Pod": the pods, of `scope` when given) or "problems", the cursor on
    `select`; `fresh`: a new start (a `:` command), forgetting the way back; `filter`: the view's filter
    (`:deploy web`)."""

    def __init__(
        self, kind: str, select: Key | Ref | None = None, scope: Ref | None = None, fresh: bool = False, filter: str | None = None
    ) -> None:
        super().__init__()
        self.kind = kind
        self.select = select
        self.scope = scope
        self.fresh = fresh
        self.filter = filter


class GoBack(Message):
    """Back to the view shown before the last move (esc)."""
