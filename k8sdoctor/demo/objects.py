"""Builders for the demo cluster's objects: nodes, Deployments with their ReplicaSets and pods, events.

Plain dicts in the API's shape. Times are relative strings ("-40m") that the fake API server resolves
against its clock when the scenario loads, so the demo always looks current.
"""

from __future__ import annotations

import hashlib


def stable_suffix(*parts: str, length: int = 5) -> str:
    """A pod-name-like suffix (kubernetes' alphabet), stable for the same inputs."""
    alphabet = "bcdfghjklmnpqrstvwxz2456789"
    digest = hashlib.sha256("/".join(parts).encode()).digest()
    return "".join(alphabet[b % len(alphabet)] for b in digest[:length])


def node(
    name: str,
    *,
    cpu: str = "4",
    memory: str = "16Gi",
    labels: dict | None = None,
    taints: list | None = None,
    images: list[list[str]] | None = None,
    created: str = "-30d",
) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "creationTimestamp": created,
            "labels": {
                "kubernetes.io/hostname": name,
                "kubernetes.io/os": "linux",
                "kubernetes.io/arch": "amd64",
                "topology.kubernetes.io/zone": "zone-a",
                **(labels or {}),
            },
        },
        "spec": {"taints": taints} if taints else {},
        "status": {
            "capacity": {"cpu": cpu, "memory": memory, "pods": "110", "ephemeral-storage": "100Gi"},
            "allocatable": {"cpu": cpu, "memory": memory, "pods": "110", "ephemeral-storage": "95Gi"},
            "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status"}],
            "nodeInfo": {
                "architecture": "amd64",
                "operatingSystem": "linux",
                "kubeletVersion": "v1.31.4",
                "containerRuntimeVersion": "containerd://1.7.24",
                "osImage": "Ubuntu 24.04.1 LTS",
                "kernelVersion": "6.8.0-51-generic",
            },
            "addresses": [{"type": "InternalIP", "address": f"10.0.0.{1 + int(hashlib.md5(name.encode()).hexdigest()[:2], 16) % 200}"}],
            "images": [{"names": names, "sizeBytes": 50_000_000} for names in images or []],
        },
    }


def running(started: str = "-3h") -> dict:
    return {"running": {"startedAt": started}}


def waiting(reason: str, message: str | None = None) -> dict:
    w = {"reason": reason}
    if message:
        w["message"] = message
    return {"waiting": w}


def container_id(*parts: str) -> str:
    """A containerd container ID, stable for the same inputs (a real runtime's is random)."""
    return "containerd://" + hashlib.sha256("/".join(parts).encode()).hexdigest()


def terminated(reason: str, exit_code: int, started: str, finished: str, message: str | None = None) -> dict:
    t = {
        "reason": reason,
        "exitCode": exit_code,
        "startedAt": started,
        "finishedAt": finished,
        "containerID": container_id(reason, str(exit_code), started, finished),
    }
    if message:
        t["message"] = message
    return {"terminated": t}


def container_status(name: str, image: str, state: dict, *, ready: bool | None = None, restarts: int = 0, last: dict | None = None) -> dict:
    is_running = "running" in state
    cs = {
        **({"containerID": container_id(name, image, str(state))} if is_running or "terminated" in state else {}),
        "name": name,
        "image": image,
        "imageID": "",
        "ready": is_running if ready is None else ready,
        "started": is_running,
        "restartCount": restarts,
        "state": state,
        "lastState": last or {},
    }
    return cs


def pod_status(
    phase: str,
    statuses: list[dict],
    *,
    scheduled: bool = True,
    conditions_extra: list | None = None,
    ip: str = "10.244.1.10",
    started: str = "-3h",
) -> dict:
    ready = all(s.get("ready") for s in statuses) and bool(statuses)
    conditions = [
        {"type": "PodScheduled", "status": "True" if scheduled else "False", "lastTransitionTime": started},
    ]
    if scheduled:
        conditions += [
            {"type": "Initialized", "status": "True", "lastTransitionTime": started},
            {"type": "ContainersReady", "status": "True" if ready else "False", "lastTransitionTime": started},
            {"type": "Ready", "status": "True" if ready else "False", "lastTransitionTime": started},
        ]
    status = {"phase": phase, "conditions": conditions + (conditions_extra or []), "qosClass": "Burstable"}
    if scheduled:
        status.update(hostIP="10.0.0.10", podIP=ip, startTime=started, containerStatuses=statuses)
    return status


def workload(
    namespace: str,
    name: str,
    *,
    replicas: int,
    containers: list[dict],
    revision: int = 1,
    labels: dict | None = None,
    spec_extra: dict | None = None,
    created: str = "-2d",
    ready_replicas: int | None = None,
) -> tuple[dict, dict, str]:
    """A Deployment and its current ReplicaSet; returns (deployment, replicaset, pod-template-hash)."""
    app = labels or {"app": name}
    template_hash = stable_suffix(namespace, name, str(revision), length=10)
    template = {"metadata": {"labels": {**app}}, "spec": {"containers": containers, **(spec_extra or {})}}
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "creationTimestamp": created,
            "labels": app,
            "annotations": {"deployment.kubernetes.io/revision": str(revision)},
            "generation": revision,
        },
        "spec": {"replicas": replicas, "selector": {"matchLabels": app}, "template": template},
        "status": {
            "replicas": replicas,
            "readyReplicas": replicas if ready_replicas is None else ready_replicas,
            "availableReplicas": replicas if ready_replicas is None else ready_replicas,
            "updatedReplicas": replicas,
            "observedGeneration": revision,
        },
    }
    rs_name = f"{name}-{template_hash}"
    replicaset = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": rs_name,
            "namespace": namespace,
            "creationTimestamp": created,
            "labels": {**app, "pod-template-hash": template_hash},
            "annotations": {"deployment.kubernetes.io/revision": str(revision)},
            "ownerReferences": [
                {"apiVersion": "apps/v1", "kind": "Deployment", "name": name, "controller": True, "blockOwnerDeletion": True}
            ],
        },
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {**app, "pod-template-hash": template_hash}},
            "template": {"metadata": {"labels": {**app, "pod-template-hash": template_hash}}, "spec": template["spec"]},
        },
        "status": {"replicas": replicas, "readyReplicas": replicas if ready_replicas is None else ready_replicas},
    }
    return deployment, replicaset, template_hash


def pod(
    namespace: str,
    name: str,
    *,
    containers: list[dict],
    status: dict,
    node_name: str | None,
    owner: dict | None = None,
    labels: dict | None = None,
    created: str = "-3h",
    spec_extra: dict | None = None,
) -> dict:
    meta = {"name": name, "namespace": namespace, "creationTimestamp": created, "labels": labels or {}}
    if owner:
        meta["ownerReferences"] = [
            {
                "apiVersion": owner.get("apiVersion", "apps/v1"),
                "kind": owner["kind"],
                "name": owner["name"],
                "controller": True,
                "blockOwnerDeletion": True,
            }
        ]
    spec = {
        "containers": containers,
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "serviceAccountName": "default",
        "terminationGracePeriodSeconds": 30,
        **(spec_extra or {}),
    }
    if node_name:
        spec["nodeName"] = node_name
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}


def replica_pods(
    deployment: dict, replicaset: dict, template_hash: str, count: int, *, status_for, nodes: list[str | None], created: str = "-3h"
) -> list[dict]:
    """`count` pods of a ReplicaSet; `status_for(pod_name)` gives each pod's status."""
    meta = deployment["metadata"]
    spec = replicaset["spec"]["template"]["spec"]
    pods = []
    for i in range(count):
        name = f"{meta['name']}-{template_hash}-{stable_suffix(meta['namespace'], meta['name'], template_hash, str(i))}"
        pods.append(
            pod(
                meta["namespace"],
                name,
                containers=spec["containers"],
                status=status_for(name),
                node_name=nodes[i % len(nodes)],
                owner={"kind": "ReplicaSet", "name": replicaset["metadata"]["name"]},
                labels=replicaset["spec"]["template"]["metadata"]["labels"],
                created=created,
                spec_extra={k: v for k, v in spec.items() if k != "containers"},
            )
        )
    return pods


def event(
    pod_obj: dict,
    type_: str,
    reason: str,
    message: str,
    *,
    count: int = 1,
    first: str = "-10m",
    last: str = "-1m",
    component: str = "kubelet",
    container: str | None = None,
) -> dict:
    meta = pod_obj["metadata"]
    obj = {"kind": "Pod", "namespace": meta["namespace"], "name": meta["name"], "apiVersion": "v1"}
    if container:
        obj["fieldPath"] = f"spec.containers{{{container}}}"
    host = pod_obj["spec"].get("nodeName") if component == "kubelet" else None
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {
            "name": f"{meta['name']}.{stable_suffix(meta['name'], reason, message, length=16)}",
            "namespace": meta["namespace"],
            "creationTimestamp": first,
        },
        "involvedObject": obj,
        "type": type_,
        "reason": reason,
        "message": message,
        "source": {"component": component, **({"host": host} if host else {})},
        "count": count,
        "firstTimestamp": first,
        "lastTimestamp": last,
        "reportingComponent": component,
        "reportingInstance": host or "",
    }
