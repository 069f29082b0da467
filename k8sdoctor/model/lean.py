"""What the live view keeps of objects it holds by the thousand and reads little of.

An EndpointSlice is read for its Service (the `kubernetes.io/service-name` label), its ports, and how many
of its endpoints are ready (`core/analyzers/services.py`, `core/analyzers/admission.py`); addresses,
hints, zones and managed fields are dropped as each slice arrives, so 3,000 Services' slices cost little.
"""

from __future__ import annotations

from k8sdoctor.core.inventory import SERVICE_NAME_LABEL
from k8sdoctor.core.kube.raw import as_dict, dicts

_META_KEPT = ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
_ENDPOINT_KEPT = ("conditions", "targetRef", "nodeName")
_TARGET_KEPT = ("kind", "namespace", "name")


def lean_endpoint_slice(obj: dict) -> dict:
    """An EndpointSlice with only what the diagnosis reads."""
    meta = as_dict(obj.get("metadata"))
    kept_meta = {k: meta[k] for k in _META_KEPT if k in meta}
    service = as_dict(meta.get("labels")).get(SERVICE_NAME_LABEL)
    if isinstance(service, str):
        kept_meta["labels"] = {SERVICE_NAME_LABEL: service}
    endpoints = []
    for endpoint in dicts(obj.get("endpoints")):
        kept = {k: endpoint[k] for k in _ENDPOINT_KEPT if k in endpoint}
        if "targetRef" in kept:
            kept["targetRef"] = {k: v for k, v in as_dict(kept["targetRef"]).items() if k in _TARGET_KEPT}
        endpoints.append(kept)
    out: dict = {"kind": "EndpointSlice", "metadata": kept_meta, "endpoints": endpoints}
    for key in ("addressType", "ports"):
        if key in obj:
            out[key] = obj[key]
    return out
