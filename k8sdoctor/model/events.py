"""Rows of the events view, parsed once per event object and kept newest first."""

from __future__ import annotations

from datetime import datetime, timezone

from k8sdoctor.core.facts import EventFact
from k8sdoctor.core.inventory import Inventory, event_subject, obj_key
from k8sdoctor.model.batch import EventRow

_OLDEST = datetime.min.replace(tzinfo=timezone.utc)


def event_row(eid: str, event: dict) -> EventRow:
    subject = event_subject(event)
    kind = str(subject.get("kind") or "?").lower()
    name = str(subject.get("name") or "?")
    return EventRow(id=eid, namespace=obj_key(event)[0], object=f"{kind}/{name}", fact=EventFact.from_raw(event))


class EventLog:
    """The events of a view as rows, newest first. Only new or changed events are parsed again."""

    def __init__(self) -> None:
        self._parsed: dict[str, tuple[dict, EventRow]] = {}

    def rows(self, inventory: Inventory) -> list[EventRow]:
        parsed: dict[str, tuple[dict, EventRow]] = {}
        for eid, event in inventory.events.items():
            known = self._parsed.get(eid)
            parsed[eid] = known if known is not None and known[0] is event else (event, event_row(eid, event))
        self._parsed = parsed
        rows = [row for _, row in parsed.values()]
        rows.sort(key=lambda r: (r.fact.last or _OLDEST, r.namespace, r.object, r.fact.type, r.fact.reason, r.fact.message), reverse=True)
        return rows
