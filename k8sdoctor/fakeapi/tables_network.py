"""`kubectl get` columns for the kinds on the path to an app: Services, Endpoints, EndpointSlices,
Ingresses and their classes, claims, volumes, StorageClasses, autoscalers, APIServices and
NetworkPolicies (ported from kubernetes' pkg/printers/internalversion/printers.go, 1.32)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from k8sdoctor.core.kube.timeutil import age

Printer = tuple[list[dict], Callable[[dict, datetime], list]]
_ACCESS_MODES = {"ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX", "ReadWriteOncePod": "RWOP"}
_MORE_AFTER = 3


def _column(name: str, description: str, *, priority: int = 0, fmt: str = "", kind: str = "string") -> dict:
    return {"name": name, "type": kind, "format": fmt, "description": description, "priority": priority}


_NAME = _column("Name", "Name must be unique within a namespace.", fmt="name")
_AGE = _column("Age", "CreationTimestamp is a timestamp representing the server time when this object was created.")


def _meta(obj: dict) -> dict:
    return obj.get("metadata") or {}


def _name_age(obj: dict, now: datetime) -> tuple[str, str]:
    meta = _meta(obj)
    return meta.get("name", ""), age(meta.get("creationTimestamp"), now)


def _listed(items: list[str], none: str = "<none>") -> str:
    """Up to three items, then "+ N more...", as kubectl's printers shorten lists."""
    if not items:
        return none
    shown = ",".join(items[:_MORE_AFTER])
    return shown + (f" + {len(items) - _MORE_AFTER} more..." if len(items) > _MORE_AFTER else "")


def _selector(selector: dict | None) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted((selector or {}).items())) or "<none>"


# ---- Service ------------------------------------------------------------------------------------
SERVICE_COLUMNS = [
    _NAME,
    _column("Type", "Type of the service."),
    _column("Cluster-IP", "ClusterIP of the service."),
    _column("External-IP", "External IP of the service."),
    _column("Port(s)", "The ports of the service."),
    _AGE,
    _column("Selector", "Route service traffic to pods with label keys and values matching this selector.", priority=1),
]


def _service_external(svc: dict) -> str:
    spec, status = svc.get("spec") or {}, svc.get("status") or {}
    kind = spec.get("type") or "ClusterIP"
    external = list(spec.get("externalIPs") or [])
    if kind == "ExternalName":
        return spec.get("externalName") or "<none>"
    if kind == "LoadBalancer":
        ingress = [i.get("ip") or i.get("hostname") or "" for i in (status.get("loadBalancer") or {}).get("ingress") or ()]
        return _listed([i for i in ingress if i] + external, none="<pending>")
    return _listed(external)


def service_cells(svc: dict, now: datetime) -> list:
    name, created = _name_age(svc, now)
    spec = svc.get("spec") or {}
    ports = []
    for p in spec.get("ports") or ():
        port = f"{p.get('port')}:{p['nodePort']}" if p.get("nodePort") else f"{p.get('port')}"
        ports.append(f"{port}/{p.get('protocol') or 'TCP'}")
    return [
        name,
        spec.get("type") or "ClusterIP",
        spec.get("clusterIP") or "<none>",
        _service_external(svc),
        ",".join(ports) or "<none>",
        created,
        _selector(spec.get("selector")),
    ]


# ---- Endpoints and EndpointSlices -------------------------------------------------------------------
ENDPOINTS_COLUMNS = [_NAME, _column("Endpoints", "Endpoints of the service."), _AGE]


def endpoints_cells(eps: dict, now: datetime) -> list:
    name, created = _name_age(eps, now)
    found = []
    for subset in eps.get("subsets") or ():
        ports = [p.get("port") for p in subset.get("ports") or ()] or [None]
        for address in subset.get("addresses") or ():
            found += [f"{address.get('ip')}:{p}" if p else str(address.get("ip")) for p in ports]
    return [name, _listed(found), created]


ENDPOINT_SLICE_COLUMNS = [
    _NAME,
    _column("AddressType", "The address type of the EndpointSlice."),
    _column("Ports", "Ports of the EndpointSlice."),
    _column("Endpoints", "Endpoints of the EndpointSlice."),
    _AGE,
]


def endpoint_slice_cells(eps: dict, now: datetime) -> list:
    name, created = _name_age(eps, now)
    ports = [str(p["port"]) if p.get("port") is not None else "<unset>" for p in eps.get("ports") or ()]
    addresses = [a for e in eps.get("endpoints") or () for a in e.get("addresses") or ()]
    return [name, eps.get("addressType") or "", _listed(ports, none="<unset>"), _listed(addresses, none="<unset>"), created]


# ---- Ingress and IngressClass ---------------------------------------------------------------------
INGRESS_COLUMNS = [
    _NAME,
    _column("Class", "The name of the IngressClass resource that should be used for ingress class for this resource."),
    _column("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
    _column("Address", "Address is a list containing ingress points for the load-balancer"),
    _column("Ports", "Ports of TLS configurations that open"),
    _AGE,
]


def ingress_cells(ing: dict, now: datetime) -> list:
    name, created = _name_age(ing, now)
    spec, status = ing.get("spec") or {}, ing.get("status") or {}
    hosts = [r.get("host") for r in spec.get("rules") or () if r.get("host")]
    addresses = [i.get("ip") or i.get("hostname") or "" for i in (status.get("loadBalancer") or {}).get("ingress") or ()]
    return [
        name,
        spec.get("ingressClassName") or "<none>",
        _listed(hosts, none="*"),
        ",".join(a for a in addresses if a),
        "80, 443" if spec.get("tls") else "80",
        created,
    ]


INGRESS_CLASS_COLUMNS = [
    _NAME,
    _column("Controller", "Controller that is responsible for handling this class"),
    _column("Parameters", "A reference to a resource with additional parameters"),
    _AGE,
]


def ingress_class_cells(ic: dict, now: datetime) -> list:
    name, created = _name_age(ic, now)
    spec = ic.get("spec") or {}
    params = spec.get("parameters") or {}
    shown = "<none>"
    if params:
        group = f"{params['apiGroup']}/" if params.get("apiGroup") else ""
        shown = (
            f"{params.get('kind', '')}.{group}{params.get('name', '')}" if group else f"{params.get('kind', '')}/{params.get('name', '')}"
        )
    return [name, spec.get("controller") or "", shown, created]


# ---- storage -------------------------------------------------------------------------------------
def _modes(modes: list | None) -> str:
    return ",".join(_ACCESS_MODES.get(m, m) for m in modes or ())


CLAIM_COLUMNS = [
    _NAME,
    _column("Status", "Status of the PersistentVolumeClaim."),
    _column("Volume", "Volume bound to the claim."),
    _column("Capacity", "Capacity of the volume."),
    _column("Access Modes", "Access modes of the volume."),
    _column("StorageClass", "StorageClass of the claim."),
    _column("VolumeAttributesClass", "VolumeAttributesClass of the claim."),
    _AGE,
    _column("VolumeMode", "Volume mode of the claim.", priority=1),
]


def claim_cells(pvc: dict, now: datetime) -> list:
    name, created = _name_age(pvc, now)
    spec, status = pvc.get("spec") or {}, pvc.get("status") or {}
    annotations = _meta(pvc).get("annotations") or {}
    storage_class = spec.get("storageClassName")
    if storage_class is None:
        storage_class = annotations.get("volume.beta.kubernetes.io/storage-class", "")
    bound = bool(spec.get("volumeName"))
    return [
        name,
        "Terminating" if _meta(pvc).get("deletionTimestamp") else status.get("phase") or "Pending",
        spec.get("volumeName") or "",
        (status.get("capacity") or {}).get("storage", "") if bound else "",
        _modes(status.get("accessModes")) if bound else "",
        storage_class,
        spec.get("volumeAttributesClassName") or "<unset>",
        created,
        spec.get("volumeMode") or "<unset>",
    ]


VOLUME_COLUMNS = [
    _NAME,
    _column("Capacity", "Capacity of the volume."),
    _column("Access Modes", "Access modes of the volume."),
    _column("Reclaim Policy", "What happens to the volume when its claim is released."),
    _column("Status", "Status of the PersistentVolume."),
    _column("Claim", "The claim bound to the volume."),
    _column("StorageClass", "StorageClass of the volume."),
    _column("VolumeAttributesClass", "VolumeAttributesClass of the volume."),
    _column("Reason", "Reason the volume is in this status."),
    _AGE,
    _column("VolumeMode", "Volume mode of the volume.", priority=1),
]


def volume_cells(pv: dict, now: datetime) -> list:
    name, created = _name_age(pv, now)
    spec, status = pv.get("spec") or {}, pv.get("status") or {}
    ref = spec.get("claimRef") or {}
    return [
        name,
        (spec.get("capacity") or {}).get("storage", ""),
        _modes(spec.get("accessModes")),
        spec.get("persistentVolumeReclaimPolicy") or "",
        "Terminating" if _meta(pv).get("deletionTimestamp") else status.get("phase") or "",
        f"{ref.get('namespace')}/{ref.get('name')}" if ref.get("name") else "",
        spec.get("storageClassName") or "",
        spec.get("volumeAttributesClassName") or "<unset>",
        status.get("reason") or "",
        created,
        spec.get("volumeMode") or "<unset>",
    ]


STORAGE_CLASS_COLUMNS = [
    _NAME,
    _column("Provisioner", "Indicates the type of the provisioner."),
    _column("ReclaimPolicy", "Indicates the type of the reclaim policy."),
    _column("VolumeBindingMode", "Indicates how volume should be bound."),
    _column("AllowVolumeExpansion", "Indicates whether the storage class allow volume expand."),
    _AGE,
]


def storage_class_cells(sc: dict, now: datetime) -> list:
    name, created = _name_age(sc, now)
    annotations = _meta(sc).get("annotations") or {}
    default = any(
        str(annotations.get(a, "")).lower() == "true"
        for a in ("storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class")
    )
    return [
        f"{name} (default)" if default else name,
        sc.get("provisioner") or "",
        sc.get("reclaimPolicy") or "Delete",
        sc.get("volumeBindingMode") or "Immediate",
        "true" if sc.get("allowVolumeExpansion") else "false",
        created,
    ]


# ---- autoscalers, APIServices, NetworkPolicies ----------------------------------------------------
HPA_COLUMNS = [
    _NAME,
    _column("Reference", "Reference to target resource"),
    _column("Targets", "Current and target utilization"),
    _column("MinPods", "Minimum number of replicas"),
    _column("MaxPods", "Maximum number of replicas", kind="integer"),
    _column("Replicas", "Current number of replicas", kind="integer"),
    _AGE,
]


def _targets(hpa: dict) -> str:
    """`cpu: <unknown>/70%` per resource utilization metric; `<unknown>/N` for the others."""
    current = {
        (m.get("resource") or {}).get("name"): (m.get("resource") or {}).get("current") or {}
        for m in (hpa.get("status") or {}).get("currentMetrics") or ()
        if m.get("type") == "Resource"
    }
    shown = []
    for metric in (hpa.get("spec") or {}).get("metrics") or ():
        if metric.get("type") != "Resource":
            shown.append("<unknown>")
            continue
        resource = metric.get("resource") or {}
        target = resource.get("target") or {}
        now_at = current.get(resource.get("name")) or {}
        if target.get("averageUtilization") is not None:
            value = f"{now_at['averageUtilization']}%" if now_at.get("averageUtilization") is not None else "<unknown>"
            shown.append(f"{resource.get('name')}: {value}/{target['averageUtilization']}%")
        else:
            value = now_at.get("averageValue") or "<unknown>"
            shown.append(f"{resource.get('name')}: {value}/{target.get('averageValue') or target.get('value') or ''}")
    return ", ".join(shown) or "<none>"


def hpa_cells(hpa: dict, now: datetime) -> list:
    name, created = _name_age(hpa, now)
    spec, status = hpa.get("spec") or {}, hpa.get("status") or {}
    ref = spec.get("scaleTargetRef") or {}
    return [
        name,
        f"{ref.get('kind', '')}/{ref.get('name', '')}",
        _targets(hpa),
        str(spec["minReplicas"]) if spec.get("minReplicas") is not None else "<unset>",
        spec.get("maxReplicas") or 0,
        status.get("currentReplicas") or 0,
        created,
    ]


APISERVICE_COLUMNS = [
    _NAME,
    _column("Service", "The reference to the service that hosts this API endpoint."),
    _column("Available", "Whether this service is available."),
    _AGE,
]


def apiservice_cells(svc: dict, now: datetime) -> list:
    name, created = _name_age(svc, now)
    backend = (svc.get("spec") or {}).get("service") or {}
    available: dict = next((c for c in (svc.get("status") or {}).get("conditions") or () if c.get("type") == "Available"), {})
    status = available.get("status") or "Unknown"
    shown = status if status == "True" or not available.get("reason") else f"{status} ({available['reason']})"
    return [name, f"{backend.get('namespace')}/{backend.get('name')}" if backend else "Local", shown, created]


NETWORK_POLICY_COLUMNS = [_NAME, _column("Pod-Selector", "The pods the policy applies to."), _AGE]


def network_policy_cells(np: dict, now: datetime) -> list:
    name, created = _name_age(np, now)
    selector = ((np.get("spec") or {}).get("podSelector") or {}).get("matchLabels")
    return [name, _selector(selector) if selector else "<none>", created]


PRINTERS: dict[str, Printer] = {
    "Service": (SERVICE_COLUMNS, service_cells),
    "Endpoints": (ENDPOINTS_COLUMNS, endpoints_cells),
    "EndpointSlice": (ENDPOINT_SLICE_COLUMNS, endpoint_slice_cells),
    "Ingress": (INGRESS_COLUMNS, ingress_cells),
    "IngressClass": (INGRESS_CLASS_COLUMNS, ingress_class_cells),
    "PersistentVolumeClaim": (CLAIM_COLUMNS, claim_cells),
    "PersistentVolume": (VOLUME_COLUMNS, volume_cells),
    "StorageClass": (STORAGE_CLASS_COLUMNS, storage_class_cells),
    "HorizontalPodAutoscaler": (HPA_COLUMNS, hpa_cells),
    "APIService": (APISERVICE_COLUMNS, apiservice_cells),
    "NetworkPolicy": (NETWORK_POLICY_COLUMNS, network_policy_cells),
}
