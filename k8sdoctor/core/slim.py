"""A smaller form of a plainly healthy pod, for views that hold a whole cluster in memory (the TUI).

Diagnosis skips healthy pods, and the cluster-wide indexes read only their names, labels, owners,
placement, images, ports and resource requests; their status feeds the table. The rest of the spec
(env, probes, mounts, volumes...) is most of a pod's size. When a pod turns unhealthy the watch
delivers it whole again, and screens that show everything (describe) read the pod fresh from the API.
"""

from __future__ import annotations

_META = ("name", "namespace", "uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "labels", "ownerReferences")
_SPEC = ("nodeName", "schedulerName", "priority", "overhead", "restartPolicy", "hostNetwork")
_CONTAINER = ("name", "image", "resources", "restartPolicy", "ports")
_ANNOTATIONS = ("kubectl.kubernetes.io/default-container",)


def slim_pod(pod: dict) -> dict:
    """The pod without what only a diagnosis of an unhealthy pod, or describe, needs."""
    meta = pod.get("metadata") if isinstance(pod.get("metadata"), dict) else {}
    spec = pod.get("spec") if isinstance(pod.get("spec"), dict) else {}
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
    out = {k: v for k, v in pod.items() if k not in ("metadata", "spec")}
    out["metadata"] = slim_meta
    out["spec"] = slim_spec
    return out
