"""In-memory cluster state: raw API objects (plain dicts, as the API returns them) plus the indexes
diagnosis needs. Snapshot loading, the one-shot live fetch and the TUI's watches all fill one of these.

Objects are stored as they come, less `metadata.managedFields` (server-side apply bookkeeping, often the
biggest part of a real object, never read). Secrets are the exception: only their metadata, type and key
names are kept (see `Inventory.put_secret`); values never enter the inventory.

Events are indexed by the object they are about as they arrive. The other relations (owners and their
children: pod → ReplicaSet → Deployment, pod → Job → CronJob; pods by label, namespace, node and claim;
objects by namespace; EndpointSlices by Service) are built the first time something asks for one, in one
pass, then kept up to date per object, each update O(that object): a `diagnose pods` that never asks pays
nothing for them. Analyzers and facts read relations here and never scan every object (`relations.py`
builds the joins on top: selectors, claims, scale targets).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import NamedTuple, TypeVar

from k8sdoctor.core.kube.kinds import KINDS, is_namespaced
from k8sdoctor.core.kube.raw import as_dict, as_list, as_str

T = TypeVar("T")

Key = tuple[str, str]  # (namespace, name); namespace is "" for cluster-scoped objects
#: (kind, namespace, name): an object of any kind
Ref = tuple[str, str, str]
ALL_NAMESPACES = "*"
#: listed_names entry (SECRET_REGISTRY_TYPES, namespace): the namespace's Secrets of the registry
#: types (kubernetes.io/dockerconfigjson, kubernetes.io/dockercfg) were listed, so a Secret without a
#: `type` there is known not to be one of them.
SECRET_REGISTRY_TYPES = "Secret:registry-types"

#: Kinds kept by (namespace, name) in `Inventory.objects`. Pods and events have their own tables.
NAMESPACED_KINDS = tuple(k.kind for k in KINDS if k.namespaced and k.kind not in ("Pod", "Event"))
CLUSTER_KINDS = tuple(k.kind for k in KINDS if not k.namespaced)
#: The label EndpointSlices carry to name their Service.
SERVICE_NAME_LABEL = "kubernetes.io/service-name"
#: A static pod's mirror carries its config hash here; the kubelet records the pod's events under that
#: hash as involvedObject.uid, not under the mirror's metadata.uid.
MIRROR_ANNOTATION = "kubernetes.io/config.mirror"


class LogKey(NamedTuple):
    namespace: str
    pod: str
    container: str
    previous: bool


class Unreadable(NamedTuple):
    """A piece of evidence the source could not read, and why (e.g. a 403)."""

    resource: str  # e.g. "events", "pods/log", "nodes"
    namespace: str | None
    reason: str  # one line, e.g. 'forbidden: cannot list resource "events" in namespace "shop"'


#: How a reason starts when the API server refused the read (a 403).
FORBIDDEN = "forbidden: "


def unreadable_note(u: Unreadable) -> str:
    """The note a diagnosis carries for a piece of evidence its source could not read."""
    return f"could not read {u.resource}: {u.reason}"


def _meta(obj: dict) -> dict:
    meta = obj.get("metadata")
    return meta if type(meta) is dict else {}


def _text(value: object) -> str:
    """A string field, or "" (the hot path of every put: cheaper than raw.as_str)."""
    return value if type(value) is str else ""


def obj_key(obj: dict) -> Key:
    meta = _meta(obj)
    return (_text(meta.get("namespace")), _text(meta.get("name")))


def _drop_managed_fields(obj: dict) -> dict:
    meta = obj.get("metadata")
    if isinstance(meta, dict):
        meta.pop("managedFields", None)
    return obj


def _uid(obj: dict) -> str:
    return _text(_meta(obj).get("uid"))


def mirror_uid(pod: dict) -> str:
    """The uid the kubelet's events about a static pod carry (its config hash); "" for other objects."""
    annotations = _meta(pod).get("annotations")
    return as_str(annotations.get(MIRROR_ANNOTATION)) if isinstance(annotations, dict) else ""


def _has_keys(obj: dict) -> bool:
    """A Secret with its key names, or a ConfigMap with its data, not just a name from a listing."""
    return "keyNames" in obj or "data" in obj or "binaryData" in obj


def event_subject(event: dict) -> dict:
    """The object an event is about: core/v1 `involvedObject`, or events.k8s.io/v1 `regarding`."""
    subject = event.get("involvedObject") or event.get("regarding")
    return subject if type(subject) is dict else {}


def event_subject_ref(event: dict, subject: dict | None = None) -> Ref:
    """(kind, namespace, name) of the object an event is about; an event without a kind is about a pod."""
    if subject is None:
        subject = event_subject(event)
    kind = subject.get("kind")
    if type(kind) is not str or not kind:
        kind = "Pod"
    name = subject.get("name")
    if not is_namespaced(kind):
        return (kind, "", name if type(name) is str else "")
    namespace = subject.get("namespace")
    if type(namespace) is not str or not namespace:
        namespace = obj_key(event)[0]
    return (kind, namespace, name if type(name) is str else "")


def controller_ref(obj: dict) -> dict:
    """The controller ownerReference (or the first owner when none is marked controller)."""
    first: dict = {}
    for owner in as_list(_meta(obj).get("ownerReferences")):
        if isinstance(owner, dict):
            if owner.get("controller"):
                return owner
            first = first or owner
    return first


def _owner_ref(kind: str, obj: dict) -> Ref | None:
    owner = controller_ref(obj)
    okind, oname = as_str(owner.get("kind")), as_str(owner.get("name"))
    if not okind or not oname:
        return None
    return (okind, obj_key(obj)[0] if is_namespaced(okind) else "", oname)


def _labels(obj: dict) -> dict:
    return as_dict(_meta(obj).get("labels"))


class Inventory:
    """Raw objects by kind, with the relation indexes diagnosis reads (see the module docstring)."""

    def __init__(self) -> None:
        self.pods: dict[Key, dict] = {}
        self.pods_by_uid: dict[str, Key] = {}
        self.events: dict[str, dict] = {}  # by event uid (or ns/name when uid is absent)
        self.objects: dict[str, dict[Key, dict]] = {k: {} for k in NAMESPACED_KINDS + CLUSTER_KINDS}
        self.logs: dict[LogKey, list[str]] = {}
        self.unreadable: list[Unreadable] = []
        #: What was listed completely, so "absent" means really absent: (kind, namespace) for
        #: namespaced lists, (kind, "*") for a list over all namespaces (ALL_NAMESPACES).
        self.listed_names: set[tuple[str, str]] = set()
        #: Bumped on every change; cluster-wide indexes built by `derived` are keyed to it.
        self.version = 0
        #: How stale a derived index may get before it is rebuilt (0: never stale). A live view that
        #: changes many times a second sets a few seconds here, so analyzers stay O(pod) per event.
        self.derived_max_age = 0.0
        self._derived: dict[str, tuple[int, float, object]] = {}
        # relation indexes
        self._events_by_subject: dict[Ref, set[str]] = defaultdict(set)
        self._events_by_uid: dict[str, set[str]] = defaultdict(set)
        self._children: dict[Ref, set[Ref]] = defaultdict(set)
        self._pods_by_label: dict[tuple[str, str, str], set[Key]] = defaultdict(set)
        self._pods_by_namespace: dict[str, set[Key]] = defaultdict(set)
        self._pods_by_node: dict[str, set[Key]] = defaultdict(set)
        self._pods_by_claim: dict[Key, set[Key]] = defaultdict(set)
        self._by_namespace: dict[str, dict[str, set[Key]]] = defaultdict(lambda: defaultdict(set))
        self._slices_by_service: dict[Key, set[Key]] = defaultdict(set)
        self._related = False  # the relation indexes above are built (and kept up to date)

    # ---- derived indexes ----------------------------------------------------------------------
    def derived(self, name: str, build: Callable[[Inventory], T]) -> T:
        """`build(self)`, cached until the inventory changes (or, with `derived_max_age`, until it
        changed and the cached index is older than that). For cluster-wide indexes such as "every
        image on every node" that many findings consult."""
        cached = self._derived.get(name)
        now = time.monotonic()
        if cached is not None:
            version, built_at, value = cached
            if version == self.version or (self.derived_max_age and now - built_at < self.derived_max_age):
                return value  # type: ignore[return-value]
        value = build(self)
        self._derived[name] = (self.version, now, value)
        return value

    # ---- relation indexes -----------------------------------------------------------------------
    def _relations(self) -> None:
        """Build the relation indexes on first use; from then on puts and deletes keep them."""
        if self._related:
            return
        self._related = True
        for key, pod in self.pods.items():
            self._index("Pod", pod, key, add=True)
        for kind, table in self.objects.items():
            for key, obj in table.items():
                self._index(kind, obj, key, add=True)

    def _index(self, kind: str, obj: dict, key: Key, add: bool) -> None:
        """Add an object to (or take it out of) the relation indexes: O(its labels)."""
        if not self._related:
            return
        op = set.add if add else set.discard
        owner = _owner_ref(kind, obj)
        if owner is not None:
            op(self._children[owner], (kind, *key))
        if kind == "Pod":
            op(self._pods_by_namespace[key[0]], key)
            for label, value in _labels(obj).items():
                if isinstance(value, str):
                    op(self._pods_by_label[(key[0], label, value)], key)
            spec = as_dict(obj.get("spec"))
            node = as_str(spec.get("nodeName"))
            if node:
                op(self._pods_by_node[node], key)
            for volume in as_list(spec.get("volumes")):
                claim = as_str(as_dict(as_dict(volume).get("persistentVolumeClaim")).get("claimName"))
                if claim:
                    op(self._pods_by_claim[(key[0], claim)], key)
            return
        if key[0]:
            op(self._by_namespace[kind][key[0]], key)
        if kind == "EndpointSlice":
            service = _labels(obj).get(SERVICE_NAME_LABEL)
            if isinstance(service, str):
                op(self._slices_by_service[(key[0], service)], key)

    def children(self, kind: str, namespace: str, name: str, child_kind: str | None = None) -> list[tuple[str, dict]]:
        """Objects whose controller is this one (a Deployment's ReplicaSets, a ReplicaSet's pods)."""
        self._relations()
        out = []
        for ckind, cns, cname in sorted(self._children.get((kind, namespace, name), ())):
            if child_kind is not None and ckind != child_kind:
                continue
            obj = self.get(ckind, cns, cname)
            if obj is not None:
                out.append((ckind, obj))
        return out

    def owner(self, kind: str, obj: dict) -> tuple[str, dict] | None:
        """The controller of an object, when the inventory holds it."""
        ref = _owner_ref(kind, obj)
        if ref is None:
            return None
        found = self.get(*ref)
        return (ref[0], found) if found is not None else None

    def pods_matching(self, namespace: str, labels: dict[str, str]) -> list[dict]:
        """Pods of a namespace that carry every one of `labels` (a Service selector, `matchLabels`), found
        through the label index: O(the smallest matching set). No labels: every pod of the namespace."""
        self._relations()
        if not labels:
            keys: Iterable[Key] = self._pods_by_namespace.get(namespace, ())
        else:
            sets = sorted((self._pods_by_label.get((namespace, k, v), set()) for k, v in labels.items()), key=len)
            keys = set.intersection(*sets) if sets[0] else ()
        return [self.pods[k] for k in sorted(keys) if k in self.pods]

    def pods_in(self, namespace: str) -> list[dict]:
        self._relations()
        return [self.pods[k] for k in sorted(self._pods_by_namespace.get(namespace, ())) if k in self.pods]

    def pods_with_label(self, namespace: str, label: str) -> dict[str, int]:
        """The values of one label across a namespace's pods, with how many pods carry each."""
        self._relations()
        return {v: len(keys) for (ns, k, v), keys in self._pods_by_label.items() if ns == namespace and k == label and keys}

    def label_keys(self, namespace: str) -> dict[tuple[str, str], int]:
        """Every (label, value) the pods of a namespace carry, with how many pods carry it."""
        self._relations()
        return {(k, v): len(keys) for (ns, k, v), keys in self._pods_by_label.items() if ns == namespace and keys}

    def pods_on_node(self, node: str) -> list[dict]:
        self._relations()
        return [self.pods[k] for k in sorted(self._pods_by_node.get(node, ())) if k in self.pods]

    def pods_using_claim(self, namespace: str, claim: str) -> list[dict]:
        self._relations()
        return [self.pods[k] for k in sorted(self._pods_by_claim.get((namespace, claim), ())) if k in self.pods]

    def in_namespace(self, kind: str, namespace: str) -> list[dict]:
        """Objects of a namespaced kind in one namespace (quotas, LimitRanges, Services...)."""
        self._relations()
        table = self.objects.get(kind, {})
        return [table[k] for k in sorted(self._by_namespace.get(kind, {}).get(namespace, ())) if k in table]

    def endpoint_slices(self, namespace: str, service: str) -> list[dict]:
        self._relations()
        table = self.objects["EndpointSlice"]
        return [table[k] for k in sorted(self._slices_by_service.get((namespace, service), ())) if k in table]

    # ---- pods -------------------------------------------------------------------------------
    def put_pod(self, pod: dict) -> Key:
        self.version += 1
        _drop_managed_fields(pod)
        key = obj_key(pod)
        old = self.pods.get(key)
        if old is not None:
            old_uid = _uid(old)
            if old_uid:
                self.pods_by_uid.pop(old_uid, None)
            if self._related:
                self._index("Pod", old, key, add=False)
        self.pods[key] = pod
        uid = _uid(pod)
        if uid:
            self.pods_by_uid[uid] = key
        if self._related:
            self._index("Pod", pod, key, add=True)
        return key

    def delete_pod(self, pod: dict) -> Key:
        self.version += 1
        key = obj_key(pod)
        old = self.pods.pop(key, None)
        if old is not None:
            uid = _uid(old)
            if uid:
                self.pods_by_uid.pop(uid, None)
            self._index("Pod", old, key, add=False)
        return key

    # ---- events -----------------------------------------------------------------------------
    @staticmethod
    def event_id(event: dict) -> str:
        """An event's identity: its uid, or namespace/name when it has none."""
        ns, name = obj_key(event)
        return _uid(event) or f"{ns}/{name}"

    def put_event(self, event: dict) -> Key | None:
        """Store an event; return the (namespace, name) of the pod it is about, if it is about a pod."""
        self.version += 1
        _drop_managed_fields(event)
        eid = self.event_id(event)
        old = self.events.get(eid)
        if old is not None:
            self._index_event(eid, old, add=False)
        self.events[eid] = event
        ref = self._index_event(eid, event, add=True)
        return (ref[1], ref[2]) if ref[0] == "Pod" else None

    def delete_event(self, event: dict) -> Key | None:
        self.version += 1
        eid = self.event_id(event)
        old = self.events.pop(eid, None)
        if old is None:
            return None
        ref = self._index_event(eid, old, add=False)
        return (ref[1], ref[2]) if ref[0] == "Pod" else None

    def _index_event(self, eid: str, event: dict, add: bool) -> Ref:
        subject = event_subject(event)
        ref = event_subject_ref(event, subject)
        op = set.add if add else set.discard
        op(self._events_by_subject[ref], eid)
        uid = _text(subject.get("uid"))
        if uid:
            op(self._events_by_uid[uid], eid)
        return ref

    def events_about(self, kind: str, obj: dict) -> list[dict]:
        """Events about one object: matched by uid, or by kind/namespace/name for events that carry no
        uid. A static pod's kubelet events carry its config hash instead of its uid (`mirror_uid`); they
        count too. Events that name the same object but another uid were about an earlier object of that
        name (a StatefulSet replica, a recreated pod) and are left out."""
        namespace, name = obj_key(obj)
        uids = {u for u in (_uid(obj), mirror_uid(obj) if kind == "Pod" else "") if u}
        ids = set(self._events_by_subject.get((kind, namespace if is_namespaced(kind) else "", name), ()))
        for uid in uids:
            ids |= self._events_by_uid.get(uid, set())
        out = []
        for eid in ids:
            event = self.events.get(eid)
            if event is None:
                continue
            ev_uid = as_str(event_subject(event).get("uid"))
            if uids and ev_uid and ev_uid not in uids:
                continue
            out.append(event)
        return out

    def events_for_pod(self, pod: dict) -> list[dict]:
        """Events about this pod (see `events_about`)."""
        return self.events_about("Pod", pod)

    # ---- other kinds ------------------------------------------------------------------------
    def _table_key(self, kind: str, obj: dict) -> Key:
        ns, name = obj_key(obj)
        return ("" if kind in CLUSTER_KINDS else ns, name)

    def put(self, kind: str, obj: dict) -> None:
        if kind == "Pod":
            self.put_pod(obj)
        elif kind == "Event":
            self.put_event(obj)
        elif kind == "Secret":
            self.put_secret(obj)
        elif kind in self.objects:
            _drop_managed_fields(obj)
            self._store(kind, self._table_key(kind, obj), obj)

    def _store(self, kind: str, key: Key, obj: dict) -> None:
        self.version += 1
        table = self.objects[kind]
        old = table.get(key)
        if old is not None:
            self._index(kind, old, key, add=False)
        table[key] = obj
        self._index(kind, obj, key, add=True)

    def delete(self, kind: str, obj: dict) -> None:
        if kind == "Pod":
            self.delete_pod(obj)
        elif kind == "Event":
            self.delete_event(obj)
        elif kind in self.objects:
            self.version += 1
            key = self._table_key(kind, obj)
            old = self.objects[kind].pop(key, None)
            if old is not None:
                self._index(kind, old, key, add=False)

    def put_secret(self, secret: dict) -> None:
        """Keep a Secret's metadata, type and key names. Values are dropped here, at once."""
        names: set[str] = set()
        for field_name in ("data", "stringData"):
            values = secret.get(field_name)
            if isinstance(values, dict):
                names.update(k for k in values if isinstance(k, str))
        meta = _meta(secret)
        kept = {
            "kind": "Secret",
            "metadata": {k: meta[k] for k in ("name", "namespace", "uid", "creationTimestamp") if k in meta},
            "type": secret.get("type"),
        }
        if "data" in secret or "stringData" in secret:
            kept["keyNames"] = sorted(names)  # [] for an empty Secret; absent when only metadata was read
        self._store("Secret", obj_key(secret), kept)

    def merge(self, other: Inventory, *, skip: tuple[str, ...] = ()) -> None:
        """Take the objects, logs, listings and notes another inventory read (say, a one-pod fetch),
        except the kinds in `skip`. A Secret or ConfigMap known by name only never replaces one whose
        keys were read."""
        for kind, table in other.objects.items():
            if kind in skip:
                continue
            stored = self.objects[kind]
            for key, obj in table.items():
                if kind in ("Secret", "ConfigMap") and key in stored and _has_keys(stored[key]) and not _has_keys(obj):
                    continue
                self._store(kind, key, obj)
        self.logs.update(other.logs)
        self.listed_names |= other.listed_names
        known = {(u.resource, u.namespace, u.reason) for u in self.unreadable}
        self.unreadable += [u for u in other.unreadable if (u.resource, u.namespace, u.reason) not in known]
        self.version += 1

    def listed(self, kind: str, namespace: str) -> bool:
        """Whether the objects of a kind were listed completely in a namespace ("" for cluster-scoped kinds),
        so one missing from the inventory is missing from the cluster."""
        scope = namespace if is_namespaced(kind) else ""
        return (kind, scope) in self.listed_names or (kind, ALL_NAMESPACES) in self.listed_names

    def get(self, kind: str, namespace: str, name: str) -> dict | None:
        if kind == "Pod":
            return self.pods.get((namespace, name))
        table = self.objects.get(kind)
        if table is None:
            return None
        return table.get(("" if kind in CLUSTER_KINDS else namespace, name))

    def names(self, kind: str, namespace: str) -> list[str]:
        """Names of objects of a kind in a namespace (for "did you mean"); O(objects of that kind) until
        the relation indexes exist, then O(those in the namespace)."""
        if not self._related:
            table: Iterable[Key] = self.pods if kind == "Pod" else self.objects.get(kind, {})
            return sorted(name for ns, name in table if kind in CLUSTER_KINDS or ns == namespace)
        if kind == "Pod":
            return sorted(name for _ns, name in self._pods_by_namespace.get(namespace, ()))
        if kind in CLUSTER_KINDS:
            return sorted(name for _ns, name in self.objects.get(kind, {}))
        return sorted(name for _ns, name in self._by_namespace.get(kind, {}).get(namespace, ()))

    def all(self, kind: str) -> Iterable[dict]:
        if kind == "Pod":
            return self.pods.values()
        if kind == "Event":
            return self.events.values()
        return self.objects.get(kind, {}).values()

    # ---- logs -------------------------------------------------------------------------------
    def put_logs(self, namespace: str, pod: str, container: str, previous: bool, lines: list[str]) -> None:
        self.logs[LogKey(namespace, pod, container, previous)] = lines

    def logs_for(self, namespace: str, pod: str, container: str) -> tuple[list[str], bool] | None:
        """The most useful log tail for a container: previous logs if known, else current ones."""
        if not self.logs:
            return None  # a snapshot without logs: no key to build for every container
        for previous in (True, False):
            lines = self.logs.get(LogKey(namespace, pod, container, previous))
            if lines is not None:
                return lines, previous
        return None

    # ---- degraded evidence ------------------------------------------------------------------
    def mark_unreadable(self, resource: str, namespace: str | None, reason: str) -> None:
        self.unreadable.append(Unreadable(resource, namespace, reason))

    def unreadable_for(self, namespace: str) -> list[Unreadable]:
        return [u for u in self.unreadable if u.namespace in (None, namespace)]
