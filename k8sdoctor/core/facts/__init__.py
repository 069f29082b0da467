"""Facts: normalized, typed views of the objects a playbook looks at, built from raw API dicts.

Everything the engine and the playbooks read is here, so matching never digs through raw JSON and never
trips over a missing or oddly typed field. `pod` holds a pod with its containers, events, node, claims
and log tails; `objects` any other kind; `events` one event.
"""

from k8sdoctor.core.facts.events import EventFact
from k8sdoctor.core.facts.objects import ObjectFacts, build_object_facts
from k8sdoctor.core.facts.pod import ContainerFact, PodFacts, build_pod_facts

__all__ = ["ContainerFact", "EventFact", "ObjectFacts", "PodFacts", "build_object_facts", "build_pod_facts"]
