"""The kinds k8sdoctor reads: API group, version, plural, scope and kubectl's short names.

One table serves the CLI (`diagnose deploy/NAME`, `diagnose svc NAME`), the live client (the paths it lists
and watches), the snapshot loader (which items it keeps) and the inventory (which objects are namespaced).
`SUBJECTS` are the kinds a playbook can diagnose; the others are read because a diagnosis looks at them.
"""

from __future__ import annotations

from typing import NamedTuple


class KindInfo(NamedTuple):
    kind: str
    group: str
    version: str
    plural: str
    namespaced: bool
    short_names: tuple[str, ...] = ()

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def singular(self) -> str:
        return self.kind.lower()

    @property
    def resource(self) -> str:
        """How kubectl and RBAC name the resource: `pods`, `deployments.apps`."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def api_root(self) -> str:
        """`/api/v1`, `/apis/apps/v1`: where the kind's collections are served."""
        return f"/apis/{self.group}/{self.version}" if self.group else f"/api/{self.version}"


KINDS: tuple[KindInfo, ...] = (
    KindInfo("Pod", "", "v1", "pods", True, ("po",)),
    KindInfo("Event", "", "v1", "events", True, ("ev",)),
    KindInfo("Node", "", "v1", "nodes", False, ("no",)),
    KindInfo("Namespace", "", "v1", "namespaces", False, ("ns",)),
    KindInfo("PersistentVolumeClaim", "", "v1", "persistentvolumeclaims", True, ("pvc",)),
    KindInfo("PersistentVolume", "", "v1", "persistentvolumes", False, ("pv",)),
    KindInfo("ConfigMap", "", "v1", "configmaps", True, ("cm",)),
    KindInfo("Secret", "", "v1", "secrets", True),
    KindInfo("ServiceAccount", "", "v1", "serviceaccounts", True, ("sa",)),
    KindInfo("Service", "", "v1", "services", True, ("svc",)),
    KindInfo("ResourceQuota", "", "v1", "resourcequotas", True, ("quota",)),
    KindInfo("LimitRange", "", "v1", "limitranges", True, ("limits",)),
    KindInfo("EndpointSlice", "discovery.k8s.io", "v1", "endpointslices", True),
    KindInfo("Deployment", "apps", "v1", "deployments", True, ("deploy",)),
    KindInfo("ReplicaSet", "apps", "v1", "replicasets", True, ("rs",)),
    KindInfo("StatefulSet", "apps", "v1", "statefulsets", True, ("sts",)),
    KindInfo("DaemonSet", "apps", "v1", "daemonsets", True, ("ds",)),
    KindInfo("Job", "batch", "v1", "jobs", True),
    KindInfo("CronJob", "batch", "v1", "cronjobs", True, ("cj",)),
    KindInfo("Ingress", "networking.k8s.io", "v1", "ingresses", True, ("ing",)),
    KindInfo("IngressClass", "networking.k8s.io", "v1", "ingressclasses", False),
    KindInfo("HorizontalPodAutoscaler", "autoscaling", "v2", "horizontalpodautoscalers", True, ("hpa",)),
    KindInfo("PodDisruptionBudget", "policy", "v1", "poddisruptionbudgets", True, ("pdb",)),
    KindInfo("StorageClass", "storage.k8s.io", "v1", "storageclasses", False, ("sc",)),
    KindInfo("ValidatingWebhookConfiguration", "admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", False),
    KindInfo("MutatingWebhookConfiguration", "admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", False),
    KindInfo("APIService", "apiregistration.k8s.io", "v1", "apiservices", False),
)

BY_KIND: dict[str, KindInfo] = {k.kind: k for k in KINDS}

#: The kinds a playbook can name as its subject, in the order `diagnose all` reports them.
SUBJECTS: tuple[str, ...] = (
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "CronJob",
    "Job",
    "Pod",
    "Service",
    "Ingress",
    "PersistentVolumeClaim",
    "HorizontalPodAutoscaler",
    "Node",
)
#: Workloads: kinds that own pods through a pod template.
WORKLOADS: tuple[str, ...] = ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob")

_NAMES: dict[str, KindInfo] = {}
for _info in KINDS:
    for _word in (_info.kind.lower(), _info.plural, _info.resource, f"{_info.singular}.{_info.group}", *_info.short_names):
        _NAMES.setdefault(_word, _info)


def resolve_kind(word: str) -> KindInfo | None:
    """A kind as kubectl takes it: `deploy`, `deployment`, `deployments`, `deployments.apps`, `Deployment`."""
    return _NAMES.get(word.strip().lower())


def is_namespaced(kind: str) -> bool:
    info = BY_KIND.get(kind)
    return info.namespaced if info is not None else True
