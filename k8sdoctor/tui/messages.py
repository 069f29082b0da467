"""Messages from background threads to the app."""

from __future__ import annotations

from textual.message import Message

from k8sdoctor.model.batch import Batch


class FeedBatch(Message):
    """The feed thread published a batch (posted from the feed thread; Textual queues it safely)."""

    def __init__(self, batch: Batch) -> None:
        super().__init__()
        self.batch = batch
