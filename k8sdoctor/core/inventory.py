"""In-memory cluster state: raw API objects (plain dicts, as the API returns them) plus the indexes
diagnosis needs. Snapshot loading, the one-shot live fetch and the TUI's watches all fill one of these.

Objects are stored as they come, less `metadata.managedFields` (server-side apply bookkeeping, often the
biggest part of a real object, never read). Secrets are the exception: only their metadata, type and key
names are kept (see `Inventory.put_secret`); values never enter the inventory.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

Key = tuple[str, str]  # (namespace, name); namespace is "" for cluster-scoped objects
ALL_NAMESPACES = "*"
#: listed_names entry (SECRET_REGISTRY_TYPES, namespace): the namespace's Secrets of the registry
#: types (kubernetes.io/dockerconfigjson, kubernetes.io/dockercfg) were listed, so a Secret without a
#: `type` there is known not to be one of them.
SECRET_REGISTRY_TYPES = "Secret:registry-types"

#: Kinds kept by (namespace, name). Pods and events have their own indexes.
NAMESPACED_KINDS = (
    "PersistentVolumeClaim",
    "ConfigMap",
    "Secret",
    "ServiceAccount",
    "ReplicaSet",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "Job",
    "CronJob",
)
CLUSTER_KINDS = ("Node", "StorageClass", "Namespace", "PersistentVolume")


@dataclass(frozen=True, slots=True)
class LogKey:
    namespace: str
    pod: str
    container: str
    previous: bool


@dataclass(slots=True)
class Unreadable:
    """A piece of evidence the source could not read, and why (e.g. a 403)."""

    resource: str  # e.g. "events", "pods/log", "nodes"
    namespace: str | None
    reason: str  # one line, e.g. 'forbidden: cannot list resource "events" in namespace "shop"'


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _meta(obj: dict) -> dict:
    meta = obj.get("metadata")
    return meta if isinstance(meta, dict) else {}


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


def _has_keys(obj: dict) -> bool:
    """A Secret with its key names, or a ConfigMap with its data, not just a name from a listing."""
    return "keyNames" in obj or "data" in obj or "binaryData" in obj


def event_subject(event: dict) -> dict:
    """The object an event is about: core/v1 `involvedObject`, or events.k8s.io/v1 `regarding`."""
    subject = event.get("involvedObject") or event.get("regarding")
    return subject if isinstance(subject, dict) else {}


class Inventory:
    """Raw objects by kind, with event→pod indexes so joining events to a pod is not a scan."""

    def __init__(self) -> None:
        self.pods: dict[Key, dict] = {}
        self.pods_by_uid: dict[str, Key] = {}
        self.events: dict[str, dict] = {}  # by event uid (or ns/name when uid is absent)
        self._events_by_pod_uid: dict[str, set[str]] = defaultdict(set)
        self._events_by_pod_key: dict[Key, set[str]] = defaultdict(set)
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
        self.pods[key] = pod
        uid = _uid(pod)
        if uid:
            self.pods_by_uid[uid] = key
        return key

    def delete_pod(self, pod: dict) -> Key:
        self.version += 1
        key = obj_key(pod)
        old = self.pods.pop(key, None)
        if old is not None:
            uid = _uid(old)
            if uid:
                self.pods_by_uid.pop(uid, None)
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
        self.events[eid] = event
        subject = event_subject(event)
        if subject.get("kind") not in (None, "Pod"):
            return None
        key = (_text(subject.get("namespace")) or obj_key(event)[0], _text(subject.get("name")))
        self._events_by_pod_key[key].add(eid)
        uid = _text(subject.get("uid"))
        if uid:
            self._events_by_pod_uid[uid].add(eid)
        return key

    def delete_event(self, event: dict) -> Key | None:
        self.version += 1
        eid = self.event_id(event)
        old = self.events.pop(eid, None)
        if old is None:
            return None
        subject = event_subject(old)
        key = (_text(subject.get("namespace")) or obj_key(old)[0], _text(subject.get("name")))
        self._events_by_pod_key.get(key, set()).discard(eid)
        uid = _text(subject.get("uid"))
        if uid:
            self._events_by_pod_uid.get(uid, set()).discard(eid)
        return key

    def events_for_pod(self, pod: dict) -> list[dict]:
        """Events about this pod: matched by uid, or by namespace/name for events that carry no uid.

        Events that name the same namespace/name but another uid belong to an earlier pod of the same
        name (a StatefulSet replica, a recreated pod) and are left out.
        """
        uid = _uid(pod)
        ids = set(self._events_by_pod_key.get(obj_key(pod), ()))
        if uid:
            ids |= self._events_by_pod_uid.get(uid, set())
        out = []
        for eid in ids:
            event = self.events.get(eid)
            if event is None:
                continue
            ev_uid = _text(event_subject(event).get("uid"))
            if uid and ev_uid and ev_uid != uid:
                continue
            out.append(event)
        return out

    # ---- other kinds ------------------------------------------------------------------------
    def put(self, kind: str, obj: dict) -> None:
        if kind == "Pod":
            self.put_pod(obj)
        elif kind == "Event":
            self.put_event(obj)
        elif kind == "Secret":
            self.put_secret(obj)
        elif kind in self.objects:
            self.version += 1
            _drop_managed_fields(obj)
            ns, name = obj_key(obj)
            self.objects[kind][("" if kind in CLUSTER_KINDS else ns, name)] = obj

    def delete(self, kind: str, obj: dict) -> None:
        if kind == "Pod":
            self.delete_pod(obj)
        elif kind == "Event":
            self.delete_event(obj)
        elif kind in self.objects:
            self.version += 1
            ns, name = obj_key(obj)
            self.objects[kind].pop(("" if kind in CLUSTER_KINDS else ns, name), None)

    def put_secret(self, secret: dict) -> None:
        """Keep a Secret's metadata, type and key names. Values are dropped here, at once."""
        names: set[str] = set()
        for field_name in ("data", "stringData"):
            values = secret.get(field_name)
            if isinstance(values, dict):
                names.update(k for k in values if isinstance(k, str))
        data_keys = sorted(names)
        meta = _meta(secret)
        kept = {
            "kind": "Secret",
            "metadata": {k: meta[k] for k in ("name", "namespace", "uid", "creationTimestamp") if k in meta},
            "type": secret.get("type"),
        }
        if "data" in secret or "stringData" in secret:
            kept["keyNames"] = data_keys  # [] for an empty Secret; absent when only metadata was read
        ns, name = obj_key(secret)
        self.version += 1
        self.objects["Secret"][(ns, name)] = kept

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
                stored[key] = obj
        self.logs.update(other.logs)
        self.listed_names |= other.listed_names
        known = {(u.resource, u.namespace, u.reason) for u in self.unreadable}
        self.unreadable += [u for u in other.unreadable if (u.resource, u.namespace, u.reason) not in known]
        self.version += 1

    def get(self, kind: str, namespace: str, name: str) -> dict | None:
        if kind == "Pod":
            return self.pods.get((namespace, name))
        table = self.objects.get(kind)
        if table is None:
            return None
        return table.get(("" if kind in CLUSTER_KINDS else namespace, name))

    def names(self, kind: str, namespace: str) -> list[str]:
        """Names of objects of a kind in a namespace (for "did you mean")."""
        return sorted(name for (ns, name) in self.objects.get(kind, {}) if ns == namespace)

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

    def pod_keys(self, namespace: str | None = None) -> Iterator[Key]:
        for key in self.pods:
            if namespace is None or key[0] == namespace:
                yield key
