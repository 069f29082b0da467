"""Joins the views navigate along, read from the live view's inventory on the feed thread: the pods of an
object (Enter on a Deployment, a Service, a node, a claim) and the objects a pod is joined to (its
workload, the Services that select it, its claims, its node), each through the inventory's indexes."""

from __future__ import annotations

from k8sdoctor.cluster.view import ClusterView
from k8sdoctor.core.inventory import Key, Ref, obj_key
from k8sdoctor.core.kube.kinds import WORKLOADS, is_namespaced
from k8sdoctor.core.kube.raw import dig
from k8sdoctor.core.kube.selectors import string_map
from k8sdoctor.core.relations import claims_of, owned_pods, scale_target, workload_of
from k8sdoctor.model.batch import Link

#: Kinds whose rows drill down into pods.
DRILLABLE = (*WORKLOADS, "Service", "Node", "PersistentVolumeClaim", "HorizontalPodAutoscaler")


def pods_of(view: ClusterView, ref: Ref) -> frozenset[Key]:
    """The pods an object stands for: a workload's (through its ReplicaSets or Jobs), a Service's
    selected pods, a node's, a claim's users, an autoscaler's target's."""
    inv = view.inventory
    kind, namespace, name = ref
    obj = inv.get(kind, namespace, name)
    if obj is None:
        return frozenset()
    if kind == "HorizontalPodAutoscaler":
        kind, obj = scale_target(inv, obj)
        if obj is None:
            return frozenset()
    if kind in WORKLOADS:
        pods = owned_pods(inv, kind, obj)
    elif kind == "Service":
        selector = string_map(dig(obj, "spec", "selector"))
        pods = inv.pods_matching(namespace, selector) if selector else []
    elif kind == "Node":
        pods = inv.pods_on_node(name)
    elif kind == "PersistentVolumeClaim":
        pods = inv.pods_using_claim(namespace, name)
    else:
        pods = []
    return frozenset(obj_key(p) for p in pods)


def pod_links(view: ClusterView, pod: dict) -> tuple[Link, ...]:
    """The objects a pod is joined to, workload first, each with its row in the view."""
    inv, rows = view.inventory, view.object_rows
    namespace = obj_key(pod)[0]
    refs: list[tuple[str, Ref]] = []
    workload = workload_of(inv, "Pod", pod)
    if workload is not None:
        refs.append(("workload", (workload.kind, namespace if is_namespaced(workload.kind) else "", workload.name)))
    refs += [("service", ref) for ref in sorted(view.dependents.services_selecting(pod))]
    refs += [("claim", ("PersistentVolumeClaim", namespace, name)) for name, _claim in claims_of(inv, pod)]
    node = dig(pod, "spec", "nodeName")
    if isinstance(node, str) and node:
        refs.append(("node", ("Node", "", node)))
    return tuple(Link(relation, ref, rows.get(ref)) for relation, ref in refs)
