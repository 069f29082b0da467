"""The feed thread: batches at most ten times a second, waits for the UI's acknowledgement (changes
meanwhile coalesce instead of queueing up), drops deltas of an old generation, and sends the selected
pod's detail."""

from __future__ import annotations

import queue
import time

import pytest

from k8sdoctor.cluster.live.informer import Change, Replace, SourceState
from k8sdoctor.model.feed import ViewFeed
from tests.tui.helpers import FIXED_NOW, crash_looping, demo_inventory


@pytest.fixture
def feed(engine):
    batches: queue.Queue = queue.Queue()
    feed = ViewFeed(engine, batches.put, clock=lambda: FIXED_NOW)
    feed.batches = batches
    feed.start()
    yield feed
    feed.stop()


def next_batch(feed, timeout: float = 5.0):
    return feed.batches.get(timeout=timeout)


def shop_pods():
    return [p for (ns, _), p in demo_inventory().pods.items() if ns == "shop"]


def test_first_batch_has_every_pod_and_the_state(feed):
    sink = feed.reset()
    sink(Replace("Pod", shop_pods()))
    sink(SourceState("Pod", "ready"))
    batch = next_batch(feed)
    rows = list(batch.changed)
    while len(rows) < 11 or batch.health.state != "ready":
        feed.ack()
        batch = next_batch(feed)
        rows += batch.changed
    assert {r.namespace for r in rows} == {"shop"} and len({r.key for r in rows}) == 11
    assert batch.pod_count == 11 and batch.generation == feed.generation


def test_no_new_batch_until_acknowledged_and_changes_coalesce(feed):
    pods = shop_pods()
    sink = feed.reset()
    sink(Replace("Pod", pods))
    sink(SourceState("Pod", "ready"))
    sink(Replace("Event", []))
    diagnosed = {r.key for r in next_batch(feed).changed}
    while len(diagnosed) < len(pods):  # until every pod is diagnosed
        feed.ack()
        diagnosed |= {r.key for r in next_batch(feed).changed}
    # the last batch is not acknowledged
    target = pods[0]
    for restarts in range(1, 51):
        sink(Change("Pod", "MODIFIED", crash_looping(target, restarts=restarts)))
    time.sleep(0.5)
    assert feed.batches.empty()  # the UI is busy: nothing piles up in its queue
    assert feed.backlog == 0  # ...and the deltas did not pile up in the feed's either
    feed.ack()
    batch = next_batch(feed)
    changed = [r for r in batch.changed if r.key == (target["metadata"]["namespace"], target["metadata"]["name"])]
    assert len(changed) == 1 and changed[0].restart_count == 50  # fifty events, one row, the latest state


def test_deltas_of_an_old_generation_are_dropped(feed):
    old = feed.reset()
    new = feed.reset()
    old(Replace("Pod", shop_pods()))
    new(Replace("Pod", []))
    new(SourceState("Pod", "ready"))
    batches = [next_batch(feed)]
    while batches[-1].health.state != "empty":
        feed.ack()
        batches.append(next_batch(feed))
    assert all(not b.changed and not b.provisional for b in batches)  # the old generation's pods never show
    assert batches[-1].generation == 2


def test_selected_pod_gets_its_detail_with_events_and_a_private_inventory(feed):
    inventory = demo_inventory()
    sink = feed.reset(inventory)
    sink(SourceState("Pod", "ready"))
    key = ("shop", "kestra-7sx7k2s4th-bvjlm")
    next_batch(feed)
    feed.select(key)
    feed.ack()
    batch = next_batch(feed)
    while batch.detail is None:
        feed.ack()
        batch = next_batch(feed)
    detail = batch.detail
    assert detail.row.key == key and detail.facts.name == key[1]
    assert [e.reason for e in detail.facts.events] == ["BackOff"]
    assert detail.inventory is not inventory and list(detail.inventory.pods) == [key]
    assert detail.inventory.logs  # the previous run's log tail, for the logs screen


def test_suspects_are_listed_at_once_and_diagnosed_once_the_events_are_in(feed):
    from k8sdoctor.core.engine import is_plainly_healthy

    inventory = demo_inventory()
    pods = shop_pods()
    events = [e for e in inventory.events.values() if e["metadata"]["namespace"] == "shop"]
    suspects = {(p["metadata"]["namespace"], p["metadata"]["name"]) for p in pods if not is_plainly_healthy(p)}
    sink = feed.reset()
    sink(Replace("Pod", pods))
    sink(SourceState("Pod", "ready"))
    provisional, changed = {}, {}
    while len(provisional) + len(changed) < len(pods):
        batch = next_batch(feed)
        provisional.update({r.key: r for r in batch.provisional})
        changed.update({r.key: r for r in batch.changed})
        feed.ack()
    assert set(provisional) == suspects  # listed with kubectl's columns, not yet diagnosed
    assert all(not r.diagnosis.findings and r.status for r in provisional.values())
    assert set(changed) == {(p["metadata"]["namespace"], p["metadata"]["name"]) for p in pods} - suspects
    sink(Replace("Event", events))
    diagnosed = {}
    while set(diagnosed) != suspects:
        diagnosed.update({r.key: r for r in next_batch(feed).changed})
        feed.ack()
    kafdrop = next(r for k, r in diagnosed.items() if k[1].startswith("kafdrop-"))
    assert kafdrop.diagnosis.findings[0].cause == "rate-limited"  # read from its events


# caicloud/event_exporter#24 (https://github.com/caicloud/event_exporter/issues/24), the API server's refusal
EVENTS_FORBIDDEN = (
    'events is forbidden: User "system:serviceaccount:monitoring:event-exporter" cannot list resource "events" '
    'in API group "" at the cluster scope'
)


def test_events_that_cannot_be_read_are_not_shown_as_no_events(feed, engine):
    from rich.style import Style

    from k8sdoctor.tui.palette import Palette
    from k8sdoctor.tui.widgets.detail.pod_events import events_renderable

    sink = feed.reset()
    sink(Replace("Pod", shop_pods()))
    sink(SourceState("Pod", "ready"))
    sink(SourceState("Event", "forbidden", EVENTS_FORBIDDEN))
    key = ("shop", "kestra-7sx7k2s4th-bvjlm")
    feed.select(key)
    batch = next_batch(feed)
    while batch.detail is None:
        feed.ack()
        batch = next_batch(feed)
    detail = batch.detail
    assert detail.facts.events == [] and detail.events_unread == EVENTS_FORBIDDEN
    plain = Palette(*(Style(),) * 5)
    shown = events_renderable(detail.facts.events, plain, FIXED_NOW, detail.events_unread)
    assert shown.plain == f"Events could not be read: {EVENTS_FORBIDDEN}"
