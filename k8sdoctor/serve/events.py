"""`serve --emit-events`: a Kubernetes Event (reason `Diagnosed`) on the diagnosed object when its
findings start or change, so `kubectl describe` and every event pipeline show the diagnosis.

This is a write, so it is off unless asked for, and needs `events: create` (deploy/in-cluster's opt-in
RBAC file). Rate-limited twice: an object gets at most one event per `per_object` seconds (the latest
change is sent when the time comes), and all objects together at most `burst` events, refilled at
`per_minute`. A diagnosis still waiting for its log tails is held up to `settle` seconds, so the event
names the cause the logs show rather than a first guess. Every event is logged exactly as sent (JSON).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import time
from collections.abc import Callable
from datetime import datetime, timezone

from k8sdoctor.cluster.live.client import KubeClient
from k8sdoctor.cluster.live.fetch import ns_path
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.kinds import BY_KIND
from k8sdoctor.errors import ClusterError
from k8sdoctor.sanitize import one_line
from k8sdoctor.serve.diagnoser import Subject

log = logging.getLogger("k8sdoctor.serve.events")

REASON = "Diagnosed"
COMPONENT = "k8sdoctor"
MAX_MESSAGE = 1024  # what events.k8s.io/v1 allows in a note


class EventEmitter:
    def __init__(
        self,
        client: KubeClient,
        inventory: Inventory,
        *,
        per_object: float = 300.0,
        burst: int = 10,
        per_minute: float = 30.0,
        settle: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        on_result: Callable[[str], None] | None = None,
    ) -> None:
        self.client = client
        self.inventory = inventory
        self.per_object = per_object
        self.settle = settle
        self.burst, self.rate = burst, per_minute / 60.0
        self.clock = clock
        self.on_result = on_result or (lambda _r: None)
        self.tokens = float(burst)
        self._refilled = clock()
        self._sent: dict[tuple[str, str, str], tuple[tuple, float]] = {}  # ref -> (signature, when)
        self._pending: dict[tuple[str, str, str], Subject] = {}
        self._since: dict[tuple[str, str, str], float] = {}  # when a pending subject was first seen
        self.instance = os.environ.get("HOSTNAME") or "k8sdoctor"

    def update(self, subjects: dict[tuple[str, str, str], Subject]) -> None:
        """After a pass: queue the subjects whose findings started or changed, then send what the limits allow."""
        for ref in [r for r in self._sent if r not in subjects]:
            del self._sent[ref]  # cleared: if it comes back, that is a new start
        for ref in [r for r in self._pending if r not in subjects]:
            del self._pending[ref]
            self._since.pop(ref, None)
        now = self.clock()
        for ref, subject in subjects.items():
            sent = self._sent.get(ref)
            if sent is None or sent[0] != subject.signature:
                self._pending[ref] = subject
                self._since.setdefault(ref, now)
        self.flush()

    def flush(self) -> None:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self._refilled) * self.rate)
        self._refilled = now
        for ref, subject in list(self._pending.items()):
            sent = self._sent.get(ref)
            if sent is not None and now - sent[1] < self.per_object:
                continue  # sent recently: the latest change goes out when its time comes
            if not subject.complete and now - self._since.get(ref, now) < self.settle:
                continue  # its log tails are still being read: the cause may yet change
            if self.tokens < 1:
                self.on_result("rate_limited")
                return
            self.tokens -= 1
            del self._pending[ref]
            self._since.pop(ref, None)
            self._sent[ref] = (subject.signature, now)
            self._send(subject)

    def body(self, subject: Subject) -> dict:
        """The Event as sent: core/v1, about the subject (with its uid and apiVersion when known)."""
        info = BY_KIND.get(subject.kind)
        obj = self.inventory.get(subject.kind, subject.namespace, subject.name) or {}
        meta = obj.get("metadata") or {}
        involved = {"apiVersion": info.api_version if info else "v1", "kind": subject.kind, "name": subject.name}
        if subject.namespace:
            involved["namespace"] = subject.namespace
        if meta.get("uid"):
            involved["uid"] = meta["uid"]
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        namespace = subject.namespace or "default"  # events about cluster-scoped objects live in default, as kubelet's about nodes do
        return {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": f"{subject.name}.{secrets.token_hex(8)}", "namespace": namespace},
            "involvedObject": involved,
            "reason": REASON,
            "message": one_line(subject.message)[:MAX_MESSAGE],
            "type": "Normal" if subject.severity == "info" else "Warning",
            "source": {"component": COMPONENT},
            "reportingComponent": COMPONENT,
            "reportingInstance": self.instance,
            "firstTimestamp": stamp,
            "lastTimestamp": stamp,
            "count": 1,
        }

    def _send(self, subject: Subject) -> None:
        body = self.body(subject)
        path = ns_path(body["metadata"]["namespace"], "events")
        # the client's REST layer serializes a dict body with json.dumps: these are the bytes it sends
        log.info("sending event: POST %s %s", path, json.dumps(body))
        try:
            self.client.send("POST", path, body)
        except ClusterError as exc:
            log.warning("event not sent: %s", exc)
            self.on_result("failed")
            return
        self.on_result("sent")
