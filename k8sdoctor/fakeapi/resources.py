"""The resource types the fake API server serves, as discovery describes them.

One `ResourceType` per (group, version, plural). `storage` names the collection that holds the objects:
events.k8s.io/v1 events are a second view of the core/v1 events, as in a real cluster.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CRUD_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
NO_COLLECTION_DELETE = ("create", "delete", "get", "list", "patch", "update", "watch")

#: Field selector labels every kind accepts, besides the kind's own (see `ResourceType.field_labels`).
META_FIELDS = ("metadata.name", "metadata.namespace")

_POD_FIELDS = (
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.schedulerName",
    "spec.serviceAccountName",
    "spec.hostNetwork",
    "status.phase",
    "status.podIP",
    "status.podIPs",
    "status.nominatedNodeName",
)
_EVENT_FIELDS = (
    "involvedObject.kind",
    "involvedObject.namespace",
    "involvedObject.name",
    "involvedObject.uid",
    "involvedObject.apiVersion",
    "involvedObject.resourceVersion",
    "involvedObject.fieldPath",
    "reason",
    "reportingComponent",
    "source",
    "type",
)


@dataclass(frozen=True, slots=True)
class Subresource:
    name: str
    kind: str
    verbs: tuple[str, ...]
    group: str | None = None  # when the subresource's kind lives in another group (Scale, Eviction)
    version: str | None = None


@dataclass(frozen=True, slots=True)
class ResourceType:
    group: str
    version: str
    plural: str
    kind: str
    namespaced: bool
    short_names: tuple[str, ...] = ()
    verbs: tuple[str, ...] = CRUD_VERBS
    categories: tuple[str, ...] = ()
    subresources: tuple[Subresource, ...] = ()
    #: Field selector labels beyond metadata.*; None → only metadata.name/namespace (the default
    #: conversion, whose error message differs).
    field_labels: tuple[str, ...] | None = None
    storage_group: str | None = None  # set for a view onto another group's collection
    singular: str = field(default="")

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def list_kind(self) -> str:
        return self.kind + "List"

    @property
    def group_resource(self) -> str:
        """`pods`, `deployments.apps`: how Status messages name the resource."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def storage(self) -> tuple[str, str]:
        return (self.group if self.storage_group is None else self.storage_group, self.plural)

    @property
    def singular_name(self) -> str:
        return self.singular or self.kind.lower()

    def subresource(self, name: str) -> Subresource | None:
        return next((s for s in self.subresources if s.name == name), None)


def _status(kind: str) -> Subresource:
    return Subresource("status", kind, ("get", "patch", "update"))


def _scale() -> Subresource:
    return Subresource("scale", "Scale", ("get", "patch", "update"), group="autoscaling", version="v1")


_WORKLOAD = ("all",)

RESOURCE_TYPES: tuple[ResourceType, ...] = (
    # core/v1
    ResourceType(
        "",
        "v1",
        "pods",
        "Pod",
        True,
        ("po",),
        categories=_WORKLOAD,
        field_labels=_POD_FIELDS,
        subresources=(
            Subresource("attach", "PodAttachOptions", ("create", "get")),
            Subresource("binding", "Binding", ("create",)),
            Subresource("ephemeralcontainers", "Pod", ("get", "patch", "update")),
            Subresource("eviction", "Eviction", ("create",), group="policy", version="v1"),
            Subresource("exec", "PodExecOptions", ("create", "get")),
            Subresource("log", "Pod", ("get",)),
            Subresource("portforward", "PodPortForwardOptions", ("create", "get")),
            Subresource("proxy", "PodProxyOptions", ("create", "delete", "get", "patch", "update")),
            _status("Pod"),
        ),
    ),
    ResourceType("", "v1", "events", "Event", True, ("ev",), field_labels=_EVENT_FIELDS),
    ResourceType(
        "",
        "v1",
        "nodes",
        "Node",
        False,
        ("no",),
        field_labels=("spec.unschedulable",),
        subresources=(Subresource("proxy", "NodeProxyOptions", ("create", "delete", "get", "patch", "update")), _status("Node")),
    ),
    ResourceType(
        "",
        "v1",
        "namespaces",
        "Namespace",
        False,
        ("ns",),
        verbs=NO_COLLECTION_DELETE,
        field_labels=("status.phase",),
        subresources=(Subresource("finalize", "Namespace", ("update",)), _status("Namespace")),
    ),
    ResourceType(
        "", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", True, ("pvc",), subresources=(_status("PersistentVolumeClaim"),)
    ),
    ResourceType("", "v1", "persistentvolumes", "PersistentVolume", False, ("pv",), subresources=(_status("PersistentVolume"),)),
    ResourceType("", "v1", "configmaps", "ConfigMap", True, ("cm",)),
    ResourceType("", "v1", "secrets", "Secret", True, field_labels=("type",)),
    ResourceType(
        "",
        "v1",
        "serviceaccounts",
        "ServiceAccount",
        True,
        ("sa",),
        subresources=(Subresource("token", "TokenRequest", ("create",), group="authentication.k8s.io", version="v1"),),
    ),
    ResourceType(
        "",
        "v1",
        "services",
        "Service",
        True,
        ("svc",),
        verbs=NO_COLLECTION_DELETE,
        categories=_WORKLOAD,
        subresources=(Subresource("proxy", "ServiceProxyOptions", ("create", "delete", "get", "patch", "update")), _status("Service")),
    ),
    ResourceType(
        "",
        "v1",
        "replicationcontrollers",
        "ReplicationController",
        True,
        ("rc",),
        categories=_WORKLOAD,
        field_labels=("status.replicas",),
        subresources=(_scale(), _status("ReplicationController")),
    ),
    # apps/v1
    ResourceType(
        "apps", "v1", "deployments", "Deployment", True, ("deploy",), categories=_WORKLOAD, subresources=(_scale(), _status("Deployment"))
    ),
    ResourceType(
        "apps",
        "v1",
        "replicasets",
        "ReplicaSet",
        True,
        ("rs",),
        categories=_WORKLOAD,
        field_labels=("status.replicas",),
        subresources=(_scale(), _status("ReplicaSet")),
    ),
    ResourceType(
        "apps", "v1", "statefulsets", "StatefulSet", True, ("sts",), categories=_WORKLOAD, subresources=(_scale(), _status("StatefulSet"))
    ),
    ResourceType("apps", "v1", "daemonsets", "DaemonSet", True, ("ds",), categories=_WORKLOAD, subresources=(_status("DaemonSet"),)),
    # batch/v1
    ResourceType(
        "batch", "v1", "jobs", "Job", True, categories=_WORKLOAD, field_labels=("status.successful",), subresources=(_status("Job"),)
    ),
    ResourceType("batch", "v1", "cronjobs", "CronJob", True, ("cj",), categories=_WORKLOAD, subresources=(_status("CronJob"),)),
    # storage.k8s.io/v1
    ResourceType("storage.k8s.io", "v1", "storageclasses", "StorageClass", False, ("sc",)),
    # events.k8s.io/v1: a view of the core events
    ResourceType(
        "events.k8s.io",
        "v1",
        "events",
        "Event",
        True,
        ("ev",),
        storage_group="",
        field_labels=tuple(f.replace("involvedObject.", "regarding.") for f in _EVENT_FIELDS),
    ),
    ResourceType("", "v1", "resourcequotas", "ResourceQuota", True, ("quota",), subresources=(_status("ResourceQuota"),)),
    ResourceType("", "v1", "limitranges", "LimitRange", True, ("limits",)),
    ResourceType("", "v1", "endpoints", "Endpoints", True, ("ep",)),
    # discovery.k8s.io/v1
    ResourceType("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", True),
    # networking.k8s.io/v1
    ResourceType("networking.k8s.io", "v1", "ingresses", "Ingress", True, ("ing",), subresources=(_status("Ingress"),)),
    ResourceType("networking.k8s.io", "v1", "ingressclasses", "IngressClass", False),
    ResourceType("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", True, ("netpol",)),
    # autoscaling/v2
    ResourceType(
        "autoscaling",
        "v2",
        "horizontalpodautoscalers",
        "HorizontalPodAutoscaler",
        True,
        ("hpa",),
        categories=_WORKLOAD,
        subresources=(_status("HorizontalPodAutoscaler"),),
    ),
    # policy/v1
    ResourceType(
        "policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", True, ("pdb",), subresources=(_status("PodDisruptionBudget"),)
    ),
    # admissionregistration.k8s.io/v1
    ResourceType("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", False),
    ResourceType("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", False),
    # apiregistration.k8s.io/v1
    ResourceType("apiregistration.k8s.io", "v1", "apiservices", "APIService", False, subresources=(_status("APIService"),)),
    # rbac.authorization.k8s.io/v1: served so manifests that carry RBAC apply (not enforced: see auth.py)
    ResourceType("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", False),
    ResourceType("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", False),
    ResourceType("rbac.authorization.k8s.io", "v1", "roles", "Role", True),
    ResourceType("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", True),
    # monitoring.coreos.com/v1: the Prometheus Operator's custom resources, as in a cluster that runs it
    ResourceType("monitoring.coreos.com", "v1", "servicemonitors", "ServiceMonitor", True, ("smon",)),
    ResourceType("monitoring.coreos.com", "v1", "prometheusrules", "PrometheusRule", True, ("promrule",)),
    # authorization.k8s.io/v1: create-only review resources
    ResourceType("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", False, verbs=("create",)),
    ResourceType("authorization.k8s.io", "v1", "selfsubjectrulesreviews", "SelfSubjectRulesReview", False, verbs=("create",)),
    ResourceType("authorization.k8s.io", "v1", "subjectaccessreviews", "SubjectAccessReview", False, verbs=("create",)),
    ResourceType("authorization.k8s.io", "v1", "localsubjectaccessreviews", "LocalSubjectAccessReview", True, verbs=("create",)),
)

#: Groups in the order `/apis` lists them (core is served under `/api`).
GROUPS: tuple[str, ...] = (
    "apiregistration.k8s.io",
    "apps",
    "events.k8s.io",
    "authorization.k8s.io",
    "autoscaling",
    "batch",
    "networking.k8s.io",
    "policy",
    "storage.k8s.io",
    "admissionregistration.k8s.io",
    "discovery.k8s.io",
    "rbac.authorization.k8s.io",
    "monitoring.coreos.com",
)

_BY_PATH = {(r.group, r.version, r.plural): r for r in RESOURCE_TYPES}
_BY_KIND = {(r.api_version, r.kind): r for r in RESOURCE_TYPES}


def lookup(group: str, version: str, plural: str) -> ResourceType | None:
    return _BY_PATH.get((group, version, plural))


def for_object(obj: dict) -> ResourceType | None:
    """The resource type of an object, from its apiVersion and kind."""
    return _BY_KIND.get((obj.get("apiVersion") or "", obj.get("kind") or ""))


def for_kind(kind: str) -> ResourceType | None:
    """By kind alone (`Pod`, `Deployment`, also `pods`/`deploy`): the stored, primary resource type."""
    lowered = kind.lower()
    for rtype in RESOURCE_TYPES:
        if rtype.storage_group is None and lowered in (rtype.kind.lower(), rtype.plural, *rtype.short_names):
            return rtype
    return None


def is_stored(rtype: ResourceType) -> bool:
    """False for review resources, which are answered and never stored."""
    return rtype.group != "authorization.k8s.io"


def group_versions(group: str) -> list[ResourceType]:
    return [r for r in RESOURCE_TYPES if r.group == group]


def stored_as(rtype: ResourceType) -> ResourceType:
    """The resource type objects are stored as (core/v1 events for events.k8s.io/v1)."""
    if rtype.storage_group is None:
        return rtype
    stored = lookup(rtype.storage_group, "v1", rtype.plural)
    assert stored is not None
    return stored
