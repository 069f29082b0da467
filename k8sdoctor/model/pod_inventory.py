"""A private Inventory for one pod: the pod and what it references, copied out of the live view.

Action screens (describe, logs, debug) read it on the UI thread while the feed thread keeps changing
the view's own inventory. Objects are shared, not copied: the view replaces objects on update and never
mutates one in place.
"""

from __future__ import annotations

from k8sdoctor.core.inventory import CLUSTER_KINDS, NAMESPACED_KINDS, Inventory, obj_key


def pod_inventory(source: Inventory, pod: dict) -> Inventory:
    namespace, name = obj_key(pod)
    out = Inventory()
    out.put_pod(pod)
    for event in source.events_for_pod(pod):
        out.put_event(event)
    for kind in NAMESPACED_KINDS:
        table = out.objects[kind]
        for key, obj in source.objects[kind].items():
            if key[0] == namespace:
                table[key] = obj
    node = ((pod.get("spec") or {}).get("nodeName")) or ""
    for kind in CLUSTER_KINDS:
        keep = source.objects[kind]
        if kind == "Node":
            if ("", node) in keep:
                out.objects[kind][("", node)] = keep[("", node)]
        elif kind == "Namespace":
            if ("", namespace) in keep:
                out.objects[kind][("", namespace)] = keep[("", namespace)]
        else:
            out.objects[kind].update(keep)
    for log_key, lines in source.logs.items():
        if log_key.namespace == namespace and log_key.pod == name:
            out.logs[log_key] = lines
    out.unreadable = list(source.unreadable_for(namespace))
    out.listed_names = set(source.listed_names)
    return out
