"""Other representations of stored objects: metadata-only, and events.k8s.io/v1 events.

Events are stored in their core/v1 form; the events.k8s.io/v1 API converts both ways, field for field,
as kube-apiserver does.
"""

from __future__ import annotations

import orjson

META_API_VERSION = "meta.k8s.io/v1"

# core/v1 Event field → events.k8s.io/v1 Event field
_EVENT_FIELDS = (
    ("involvedObject", "regarding"),
    ("message", "note"),
    ("related", "related"),
    ("reason", "reason"),
    ("type", "type"),
    ("action", "action"),
    ("eventTime", "eventTime"),
    ("series", "series"),
    ("reportingComponent", "reportingController"),
    ("reportingInstance", "reportingInstance"),
    ("source", "deprecatedSource"),
    ("firstTimestamp", "deprecatedFirstTimestamp"),
    ("lastTimestamp", "deprecatedLastTimestamp"),
    ("count", "deprecatedCount"),
)


def partial_metadata(obj: dict) -> dict:
    return {"kind": "PartialObjectMetadata", "apiVersion": META_API_VERSION, "metadata": obj.get("metadata") or {}}


def encode_partial_metadata(obj: dict) -> bytes:
    return orjson.dumps(partial_metadata(obj))


def event_to_v1(event: dict) -> dict:
    out = {"kind": "Event", "apiVersion": "events.k8s.io/v1", "metadata": event.get("metadata") or {}}
    for core, v1 in _EVENT_FIELDS:
        if event.get(core) not in (None, "", 0, {}):
            out[v1] = event[core]
    if "eventTime" not in out:
        out["eventTime"] = None
    return out


def encode_event_v1(event: dict) -> bytes:
    return orjson.dumps(event_to_v1(event))


def event_from_v1(event: dict) -> dict:
    out = {"kind": "Event", "apiVersion": "v1", "metadata": event.get("metadata") or {}}
    for core, v1 in _EVENT_FIELDS:
        if event.get(v1) not in (None, "", 0, {}):
            out[core] = event[v1]
    return out
