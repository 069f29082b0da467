"""Scenario files: the cluster state and container logs a fake API server starts from.

A scenario is YAML, in one of two shapes. Either a mapping::

    objects:                      # Kubernetes objects (apiVersion + kind), or `kind: List` documents
      - {apiVersion: v1, kind: Namespace, metadata: {name: shop}}
      - apiVersion: v1
        kind: Pod
        metadata: {name: web-1, namespace: shop, creationTimestamp: "-2h"}
        ...
    logs:                         # optional
      - {namespace: shop, pod: web-1, container: app, previous: true, lines: ["...", "..."]}

or a multi-document stream whose documents are objects, `List`s, or mappings with `objects`/`logs`.

While loading:

* **Relative times.** A string value of a time field (a key ending in `Time`, `Timestamp` or `At`, such as
  `creationTimestamp`, `lastTimestamp`, `startedAt`) may be relative to the server's clock at load time:
  `now`, `-5m`, `-1h30m`, `now-2d`, `+10s` (units s, m, h, d). Absolute RFC 3339 times are kept.
* **uids.** Objects without `metadata.uid` get a stable one derived from apiVersion, kind, namespace and
  name, so reloading a scenario gives the same uids.
* **Events.** An event whose `involvedObject` (or `regarding`) has no `uid` gets the uid of the object it
  names, when that object is in the scenario — as a real cluster's events always carry it.
* **Namespaces.** A Namespace object is added for every namespace used but not defined.
* `logs[].previous` defaults to false, `logs[].namespace` to `default`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml

from k8sdoctor.core.kube.timeutil import format_micro_time, format_time, parse_relative
from k8sdoctor.fakeapi.resources import for_object

_MICRO_TIME_FIELDS = frozenset({"eventTime", "lastObservedTime"})
_TIME_SUFFIXES = ("Time", "Timestamp", "At")


class ScenarioError(ValueError):
    """A scenario that cannot be loaded; the message says which document or entry and why."""


@dataclass(frozen=True, slots=True)
class LogSpec:
    namespace: str
    pod: str
    container: str
    lines: tuple[str, ...]
    previous: bool = False


@dataclass(frozen=True, slots=True)
class Scenario:
    objects: tuple[dict, ...]
    logs: tuple[LogSpec, ...]


def read_documents(source: str | Path | dict | list) -> list:
    """The YAML documents of a scenario file, or the given dict/list as the only document."""
    if isinstance(source, (dict, list)):
        return [source]
    path = Path(source)
    try:
        return [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
    except (OSError, yaml.YAMLError) as err:
        raise ScenarioError(f"{path}: {err}") from None


def load(source: str | Path | dict | list, now: datetime) -> Scenario:
    objects: list[dict] = []
    logs: list[LogSpec] = []
    for index, doc in enumerate(read_documents(source), 1):
        if isinstance(doc, list):
            objects.extend(_objects(doc, index))
        elif isinstance(doc, dict) and "kind" not in doc:
            objects.extend(_objects(doc.get("objects") or [], index))
            logs.extend(_log_spec(entry, index) for entry in doc.get("logs") or [])
        elif isinstance(doc, dict):
            objects.extend(_objects([doc], index))
        else:
            raise ScenarioError(f"document {index}: expected a mapping or a list, got {type(doc).__name__}")
    objects = [_resolve_times_in(obj, now) for obj in objects]
    objects = _missing_namespaces(objects) + objects
    for obj in objects:
        _assign_uid(obj)
    _link_events(objects)
    return Scenario(tuple(objects), tuple(logs))


def _objects(items: Iterable, doc: int) -> list[dict]:
    out: list[dict] = []
    for item in items:
        if not isinstance(item, dict) or "kind" not in item:
            raise ScenarioError(f"document {doc}: every object needs apiVersion and kind, got {item!r:.80}")
        if "items" in item and item["kind"].endswith("List"):
            out.extend(_objects(item.get("items") or [], doc))
            continue
        if for_object(item) is None:
            raise ScenarioError(f"document {doc}: unsupported kind {item.get('apiVersion')} {item['kind']}")
        if not (item.get("metadata") or {}).get("name"):
            raise ScenarioError(f"document {doc}: a {item['kind']} without metadata.name")
        out.append(item)
    return out


def _log_spec(entry: object, doc: int) -> LogSpec:
    if not isinstance(entry, dict) or not entry.get("pod") or not entry.get("container"):
        raise ScenarioError(f"document {doc}: each logs entry needs pod, container and lines, got {entry!r:.80}")
    lines = entry.get("lines") or []
    if not isinstance(lines, list):
        raise ScenarioError(f"document {doc}: logs for {entry['pod']}/{entry['container']}: lines must be a list")
    return LogSpec(
        entry.get("namespace") or "default",
        entry["pod"],
        entry["container"],
        tuple(str(line) for line in lines),
        bool(entry.get("previous", False)),
    )


def _resolve_times_in(obj: dict, now: datetime) -> dict:
    resolved = _resolve_times(obj, now)
    assert isinstance(resolved, dict)
    return resolved


def _resolve_times(value: object, now: datetime, key: str = "") -> object:
    if isinstance(value, dict):
        return {k: _resolve_times(v, now, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve_times(v, now, key) for v in value]
    if isinstance(value, str) and key.endswith(_TIME_SUFFIXES):
        moment = parse_relative(value, now)
        if moment is not None:
            return format_micro_time(moment) if key in _MICRO_TIME_FIELDS else format_time(moment)
    return value


def _assign_uid(obj: dict) -> None:
    meta = obj.setdefault("metadata", {})
    if not meta.get("uid"):
        ident = f"{obj.get('apiVersion')}/{obj['kind']}/{meta.get('namespace', '')}/{meta['name']}"
        meta["uid"] = str(uuid.uuid5(uuid.NAMESPACE_URL, "k8sdoctor-fakeapi:" + ident))


def _link_events(objects: list[dict]) -> None:
    uids = {}
    for obj in objects:
        meta = obj["metadata"]
        uids[(obj["kind"], meta.get("namespace") or "", meta["name"])] = meta["uid"]
    for obj in objects:
        if obj["kind"] != "Event":
            continue
        subject = obj.get("involvedObject") or obj.get("regarding")
        if not isinstance(subject, dict) or subject.get("uid"):
            continue
        namespace = subject.get("namespace") or ""
        uid = uids.get((subject.get("kind"), namespace, subject.get("name"))) or uids.get((subject.get("kind"), "", subject.get("name")))
        if uid:
            subject["uid"] = uid


def _missing_namespaces(objects: list[dict]) -> list[dict]:
    defined = {o["metadata"]["name"] for o in objects if o["kind"] == "Namespace"}
    used = {o["metadata"].get("namespace") or "default" for o in objects if (rtype := for_object(o)) and rtype.namespaced}
    return [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}, "status": {"phase": "Active"}} for ns in sorted(used - defined)
    ]
