"""Events as facts: one Kubernetes event (core/v1 or events.k8s.io/v1 shape), normalized."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from k8sdoctor.core.inventory import Ref, event_subject, event_subject_ref
from k8sdoctor.core.kube.raw import as_dict, as_int, as_str
from k8sdoctor.core.kube.timeutil import human_duration, parse_time

_FIELD_PATH_CONTAINER = re.compile(r"spec\.(?:initContainers|containers|ephemeralContainers)\{([^}]*)\}")


@dataclass(slots=True)
class EventFact:
    """One Kubernetes event (core/v1 or events.k8s.io/v1 shape)."""

    type: str
    reason: str
    message: str
    count: int
    first: datetime | None
    last: datetime | None
    source: str
    container: str | None  # from involvedObject.fieldPath "spec.containers{web}"
    subject: Ref  # (kind, namespace, name) of the object the event is about
    #: How it is cited, when that is fixed in advance (the replica memo's placeholder); else computed.
    citation: str | None = None

    @classmethod
    def from_raw(cls, raw: dict) -> EventFact:
        series = as_dict(raw.get("series"))
        count = as_int(series.get("count")) or as_int(raw.get("count")) or as_int(raw.get("deprecatedCount")) or 1
        first = parse_time(raw.get("firstTimestamp")) or parse_time(raw.get("deprecatedFirstTimestamp")) or parse_time(raw.get("eventTime"))
        last = (
            parse_time(series.get("lastObservedTime"))
            or parse_time(raw.get("lastTimestamp"))
            or parse_time(raw.get("deprecatedLastTimestamp"))
            or parse_time(raw.get("eventTime"))
            or parse_time(as_dict(raw.get("metadata")).get("creationTimestamp"))
            or first
        )
        src = as_dict(raw.get("source"))
        component = as_str(src.get("component")) or as_str(raw.get("reportingComponent")) or as_str(raw.get("reportingController"))
        host = as_str(src.get("host")) or as_str(raw.get("reportingInstance"))
        source = f"{component}, {host}" if component and host and host != component else component or host
        match = _FIELD_PATH_CONTAINER.search(as_str(event_subject(raw).get("fieldPath")))
        return cls(
            type=as_str(raw.get("type")),
            reason=as_str(raw.get("reason")),
            message=as_str(raw.get("message") if raw.get("message") is not None else raw.get("note")),
            count=count,
            first=first or last,
            last=last,
            source=source,
            container=match.group(1) if match else None,
            subject=event_subject_ref(raw),
        )


def cite_event(e: EventFact, now: datetime) -> str:
    """How an event is cited as evidence: "event Warning/Failed from kubelet (x4 over 3m, 20s ago)", with
    the object it is about when the citation is not on that object's own diagnosis."""
    if e.citation is not None:
        return e.citation
    label = f"event {e.type or '?'}/{e.reason or '?'}"
    if e.source:
        label += f" from {e.source}"
    extra = []
    if e.count > 1:
        span = human_duration((e.last - e.first).total_seconds()) if e.first and e.last else "?"
        extra.append(f"x{e.count} over {span}")
    if e.last:
        extra.append(f"{human_duration((now - e.last).total_seconds())} ago")
    return f"{label} ({', '.join(extra)})" if extra else label
