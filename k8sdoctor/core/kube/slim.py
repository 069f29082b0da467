"""Smaller forms of objects, for views that hold a whole cluster in memory (the TUI).

`slim_pod`: diagnosis skips healthy pods, and the cluster-wide indexes read only their names, labels,
owners, placement, images, ports, resource requests and claims; their status feeds the table. The rest of the
spec (env, probes, mounts, volumes...) is most of a pod's size. When a pod turns unhealthy the watch
delivers it whole again, and screens that show everything (describe) read the pod fresh from the API.

`SharedStrings`: a JSON parser makes a new string for every value, so ten thousand pods hold ten thousand
copies of their namespace, node name, image and "True", and each pod holds several copies of the same
timestamp. Sharing one copy of each takes about a quarter off pods and events.
"""

from __future__ import annotations

from k8sdoctor.core.kube.raw import as_dict

_META = ("name", "namespace", "uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "labels", "ownerReferences")
_SPEC = ("nodeName", "schedulerName", "priority", "overhead", "restartPolicy", "hostNetwork")
_CONTAINER = ("name", "image", "resources", "restartPolicy", "ports")
_ANNOTATIONS = ("kubectl.kubernetes.io/default-container",)


def slim_pod(pod: dict) -> dict:
    """The pod without what only a diagnosis of an unhealthy pod, or describe, needs."""
    meta = as_dict(pod.get("metadata"))
    spec = as_dict(pod.get("spec"))
    slim_meta = {k: meta[k] for k in _META if k in meta}
    annotations = meta.get("annotations")
    if isinstance(annotations, dict):
        kept = {k: annotations[k] for k in _ANNOTATIONS if k in annotations}
        if kept:
            slim_meta["annotations"] = kept
    slim_spec = {k: spec[k] for k in _SPEC if k in spec}
    for key in ("initContainers", "containers"):
        containers = spec.get(key)
        if isinstance(containers, list):
            slim_spec[key] = [{k: c[k] for k in _CONTAINER if k in c} if isinstance(c, dict) else c for c in containers]
    claims = [v for v in spec.get("volumes") or () if isinstance(v, dict) and "persistentVolumeClaim" in v]
    if claims:  # which pods use a claim
        slim_spec["volumes"] = [{"name": v.get("name"), "persistentVolumeClaim": v["persistentVolumeClaim"]} for v in claims]
    out = {k: v for k, v in pod.items() if k not in ("metadata", "spec")}
    out["metadata"] = slim_meta
    out["spec"] = slim_spec
    return out


# Keys whose short values repeat across many objects; other short values are shared within one object.
_SHARED_ACROSS_OBJECTS = frozenset(
    {
        "apiVersion",
        "kind",
        "namespace",
        "nodeName",
        "schedulerName",
        "serviceAccountName",
        "serviceAccount",
        "image",
        "imagePullPolicy",
        "restartPolicy",
        "dnsPolicy",
        "phase",
        "qosClass",
        "type",
        "status",
        "reason",
        "key",
        "operator",
        "effect",
        "protocol",
        "fieldPath",
        "component",
        "host",
        "hostIP",
        "reportingComponent",
        "reportingInstance",
        "action",
        "terminationMessagePath",
        "terminationMessagePolicy",
    }
)
_LONGEST_SHARED = 64  # longer values (messages, UIDs in paths) rarely repeat


class SharedStrings:
    """One copy of each repeated short string in the objects a view holds.

    Values under keys that repeat across objects (namespaces, node names, images, reasons...) go in a
    table all objects share, bounded at `capacity` strings: once full it only hands out what it holds.
    Other short values (timestamps, names) are shared within their own object. Safe across threads."""

    def __init__(self, capacity: int = 65_536) -> None:
        self._table: dict[str, str] = {}
        self._capacity = capacity

    def __len__(self) -> int:
        return len(self._table)

    def share(self, obj: dict) -> dict:
        """`obj` with its repeated strings replaced, in place, by shared copies; returns `obj`."""
        table, capacity = self._table, self._capacity
        local: dict[str, str] = {}
        stack: list = [obj]
        while stack:
            node = stack.pop()
            for key, value in node.items() if type(node) is dict else enumerate(node):
                kind = type(value)
                if kind is str:
                    if len(value) > _LONGEST_SHARED:
                        continue
                    if key in _SHARED_ACROSS_OBJECTS:
                        shared = table.get(value)
                        if shared is None:
                            shared = local.setdefault(value, value)
                            if len(table) < capacity:
                                table[shared] = shared
                    else:
                        shared = local.setdefault(value, value)
                    if shared is not value:
                        node[key] = shared
                elif kind is dict or kind is list:
                    stack.append(value)
        return obj
