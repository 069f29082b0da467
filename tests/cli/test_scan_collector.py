"""A scan's cyclic collector (`collect_for_scan`): what survives a full collection is frozen out of its
sight, so later full collections do not walk every result again; garbage made later is still collected."""

from __future__ import annotations

import gc
import weakref

from k8sdoctor.cli.diagnose import _freeze_survivors, collect_for_scan


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


def test_survivors_of_a_full_collection_are_frozen_and_later_garbage_is_collected():
    was_enabled = gc.isenabled()
    try:
        collect_for_scan()
        collect_for_scan()  # idempotent: one callback
        assert gc.isenabled() and gc.callbacks.count(_freeze_survivors) == 1
        kept = [Node() for _ in range(100)]  # results the scan keeps
        before = gc.get_freeze_count()
        gc.collect()
        assert gc.get_freeze_count() >= before + len(kept)  # out of the next full collections' sight
        garbage = Node()
        gone = weakref.ref(garbage)
        del garbage
        gc.collect(0)  # a young collection
        assert gone() is None
        assert kept[0].me is kept[0]
    finally:
        gc.callbacks.remove(_freeze_survivors)
        gc.unfreeze()
        if not was_enabled:
            gc.disable()
