"""Which diagnosed subjects a change to one object touches, so the live view re-diagnoses only those.

A subject's diagnosis reads more than the subject: a Deployment reads its ReplicaSets' events and its
pods' findings, a Service the pods its selector matches, an Ingress its Services, a claim its class and
volume, a node the pods on it, an autoscaler its target, a pod its claims' classes and the Secrets and
ConfigMaps it mounts or reads. `touched(kind, obj)` walks those relations backwards from the changed
object, through the inventory's relation indexes (owners, pods by claim and node, objects by namespace)
and the reverse indexes kept here, which the inventory has no reason to keep: Services by the label
pairs of their selectors, autoscalers by their target, Ingresses by their Services, class and TLS
Secrets, claims by class and volume, pods by the Secrets and ConfigMaps they refer to. Each is updated
per object as it comes and goes, so both are O(the object's labels and relations), never a scan of a kind.
"""

from __future__ import annotations

from collections import defaultdict

from k8sdoctor.core.analyzers.pod_refs import object_refs
from k8sdoctor.core.inventory import SERVICE_NAME_LABEL, Inventory, Key, Ref, controller_ref, event_subject_ref, obj_key
from k8sdoctor.core.kube.kinds import WORKLOADS, is_namespaced
from k8sdoctor.core.kube.raw import as_dict, as_str, dicts, dig
from k8sdoctor.core.kube.selectors import string_map

#: Owner chains are short (pod → ReplicaSet → Deployment, pod → Job → CronJob); a cycle of ownerReferences
#: in a hostile cluster stops here.
MAX_OWNER_DEPTH = 4
#: Kinds whose change can turn a workload's pod creation around (a quota raised, a ServiceAccount
#: created, a namespace's Pod Security level changed): the namespace's workloads with problems are
#: diagnosed again.
NAMESPACE_GATES = ("ResourceQuota", "LimitRange", "ServiceAccount", "Namespace")
#: Cluster-wide admission: every workload with a problem is diagnosed again.
CLUSTER_GATES = ("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration")


def _pod_reads(pod: dict) -> set[tuple[str, str]]:
    """(kind, name) of the Secrets and ConfigMaps a pod's diagnosis looks up: env, envFrom, volumes and
    projected volumes (`pod_refs`), and its imagePullSecrets."""
    spec = as_dict(pod.get("spec"))
    out = {(kind, ref.name) for kind in ("Secret", "ConfigMap") for ref in object_refs(spec, kind)}
    out |= {("Secret", as_str(s.get("name"))) for s in dicts(spec.get("imagePullSecrets")) if as_str(s.get("name"))}
    return out


def _ingress_services(ingress: dict) -> set[str]:
    spec = as_dict(ingress.get("spec"))
    backends = [as_dict(spec.get("defaultBackend"))]
    for rule in dicts(spec.get("rules")):
        backends += [as_dict(p.get("backend")) for p in dicts(dig(rule, "http", "paths"))]
    return {as_str(dig(b, "service", "name")) for b in backends if as_str(dig(b, "service", "name"))}


class Dependents:
    """Reverse relations of the diagnosed kinds, kept per object (see the module docstring)."""

    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory
        self._services: dict[tuple[str, str, str], set[str]] = defaultdict(set)  # (ns, label, value) -> Services
        self._selector_sizes: dict[Key, int] = {}  # Service -> how many label pairs its selector has
        self._autoscalers: dict[Ref, set[Key]] = defaultdict(set)  # scale target -> HPAs
        self._ingresses: dict[tuple[str, str, str], set[Key]] = defaultdict(set)  # (ns, "svc"|"tls"|"class", name)
        self._claims: dict[tuple[str, str], set[Key]] = defaultdict(set)  # ("class"|"volume", name) -> claims
        self._readers: dict[tuple[str, str, str], set[Key]] = defaultdict(set)  # (ns, "Secret"|"ConfigMap", name) -> pods

    # ---- keeping the indexes -------------------------------------------------------------------------
    def update(self, kind: str, old: dict | None, new: dict | None) -> None:
        """An object changed from `old` to `new` (None: absent)."""
        if kind not in ("Pod", "Service", "HorizontalPodAutoscaler", "Ingress", "PersistentVolumeClaim"):
            return
        if old is not None:
            self._index(kind, old, add=False)
        if new is not None:
            self._index(kind, new, add=True)

    def _index(self, kind: str, obj: dict, add: bool) -> None:
        op = set.add if add else set.discard
        key = obj_key(obj)
        namespace, name = key
        if kind == "Pod":
            for ref_kind, ref_name in _pod_reads(obj):
                op(self._readers[(namespace, ref_kind, ref_name)], key)
        elif kind == "Service":
            selector = string_map(dig(obj, "spec", "selector"))
            for label, value in selector.items():
                op(self._services[(namespace, label, value)], name)
            if add and selector:
                self._selector_sizes[key] = len(selector)
            else:
                self._selector_sizes.pop(key, None)
        elif kind == "HorizontalPodAutoscaler":
            target = as_dict(dig(obj, "spec", "scaleTargetRef"))
            if as_str(target.get("kind")) and as_str(target.get("name")):
                op(self._autoscalers[(as_str(target.get("kind")), namespace, as_str(target.get("name")))], key)
        elif kind == "Ingress":
            for service in _ingress_services(obj):
                op(self._ingresses[(namespace, "svc", service)], key)
            for tls in dicts(dig(obj, "spec", "tls")):
                if as_str(tls.get("secretName")):
                    op(self._ingresses[(namespace, "tls", as_str(tls.get("secretName")))], key)
            op(self._ingresses[("", "class", as_str(dig(obj, "spec", "ingressClassName")))], key)
        else:  # PersistentVolumeClaim
            op(self._claims[("class", as_str(dig(obj, "spec", "storageClassName")))], key)
            if as_str(dig(obj, "spec", "volumeName")):
                op(self._claims[("volume", as_str(dig(obj, "spec", "volumeName")))], key)

    # ---- what a change touches -----------------------------------------------------------------------
    def owners(self, kind: str, obj: dict) -> list[Ref]:
        """The controllers above an object, nearest first (a pod's ReplicaSet, then its Deployment)."""
        out: list[Ref] = []
        current: dict | None = obj
        namespace = obj_key(obj)[0]
        for _ in range(MAX_OWNER_DEPTH):
            owner = controller_ref(current) if current is not None else {}
            okind, oname = as_str(owner.get("kind")), as_str(owner.get("name"))
            if not okind or not oname:
                break
            ref = (okind, namespace if is_namespaced(okind) else "", oname)
            if ref in out:
                break
            out.append(ref)
            current = self.inventory.get(*ref)
        return out

    def services_selecting(self, pod: dict) -> set[Ref]:
        """Services of the pod's namespace whose selector matches its labels: a Service matches when each
        of its selector's pairs is one of the pod's labels, so when the pod's labels find it once per
        pair. O(the Services indexed under the pod's label pairs), never a selector parsed again."""
        namespace = obj_key(pod)[0]
        found: dict[str, int] = defaultdict(int)
        for label, value in string_map(dig(pod, "metadata", "labels")).items():
            for name in self._services.get((namespace, label, value), ()):
                found[name] += 1
        sizes = self._selector_sizes
        return {("Service", namespace, name) for name, pairs in found.items() if pairs == sizes.get((namespace, name))}

    def autoscalers_of(self, refs: list[Ref]) -> set[Ref]:
        return {("HorizontalPodAutoscaler", *key) for ref in refs for key in self._autoscalers.get(ref, ())}

    def ingresses(self, namespace: str, what: str, name: str) -> set[Ref]:
        return {("Ingress", *key) for key in self._ingresses.get((namespace, what, name), ())}

    def claims(self, what: str, name: str) -> set[Ref]:
        return {("PersistentVolumeClaim", *key) for key in self._claims.get((what, name), ())}

    def readers(self, namespace: str, kind: str, name: str) -> set[Ref]:
        """The pods that refer to this Secret or ConfigMap."""
        return {("Pod", *key) for key in self._readers.get((namespace, kind, name), ())}

    def claim_users(self, claims: set[Ref]) -> set[Ref]:
        """The pods that use these claims (a Pending pod's finding reads its claims' class and volume)."""
        return {("Pod", *obj_key(p)) for _k, namespace, name in claims for p in self.inventory.pods_using_claim(namespace, name)}

    def of_pod(self, pod: dict) -> set[Ref]:
        """What reads a pod: its owners (and their autoscalers), the Services that select it, its claims,
        its node."""
        namespace = obj_key(pod)[0]
        owners = self.owners("Pod", pod)
        out = set(owners) | self.autoscalers_of(owners) | self.services_selecting(pod)
        for vol in dicts(dig(pod, "spec", "volumes")):
            claim = as_str(dig(vol, "persistentVolumeClaim", "claimName"))
            if claim:
                out.add(("PersistentVolumeClaim", namespace, claim))
        node = as_str(dig(pod, "spec", "nodeName"))
        if node:
            out.add(("Node", "", node))
        return out

    def touched(self, kind: str, obj: dict) -> set[Ref]:
        """The subjects whose diagnosis may read `obj` (besides `obj` itself), for any kind but pods,
        events and the gates (see `of_pod`, `of_event`, NAMESPACE_GATES)."""
        namespace, name = obj_key(obj)
        if kind in WORKLOADS:
            owners = self.owners(kind, obj)
            return set(owners) | self.autoscalers_of([(kind, namespace, name), *owners])
        if kind == "EndpointSlice":
            service = as_str(dig(obj, "metadata", "labels", SERVICE_NAME_LABEL))
            return {("Service", namespace, service)} | self.ingresses(namespace, "svc", service) if service else set()
        if kind == "Service":
            return self.ingresses(namespace, "svc", name)
        if kind == "Secret":
            return self.ingresses(namespace, "tls", name) | self.readers(namespace, kind, name)
        if kind == "ConfigMap":
            return self.readers(namespace, kind, name)
        if kind == "IngressClass":
            return self.ingresses("", "class", name) | self.ingresses("", "class", "")
        if kind == "StorageClass":
            claims = self.claims("class", name) | self.claims("class", "")
            return claims | self.claim_users(claims)
        if kind == "PersistentVolume":
            claims = self.claims("volume", name)
            ref = as_dict(dig(obj, "spec", "claimRef"))
            if as_str(ref.get("name")):
                claims.add(("PersistentVolumeClaim", as_str(ref.get("namespace")), as_str(ref.get("name"))))
            elif as_str(dig(obj, "status", "phase")) in ("", "Available"):  # free: the claims of its class could bind it
                claims |= self.claims("class", as_str(dig(obj, "spec", "storageClassName")))
            return claims | self.claim_users(claims)
        if kind == "PersistentVolumeClaim":
            return {("Pod", *obj_key(p)) for p in self.inventory.pods_using_claim(namespace, name)}
        if kind == "Node":
            return {("Pod", *obj_key(p)) for p in self.inventory.pods_on_node(name)}
        return set()

    def of_event(self, event: dict) -> set[Ref]:
        """The object an event is about and what reads that object (a ReplicaSet's FailedCreate is its
        Deployment's problem)."""
        ref = event_subject_ref(event)
        subject = self.inventory.get(*ref)
        if subject is None:
            return {ref}
        if ref[0] == "Pod":
            return {ref} | self.of_pod(subject)
        return {ref} | self.touched(ref[0], subject)
