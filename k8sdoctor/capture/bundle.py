"""Write an Inventory as a capture bundle (the format `cluster/snapshot/bundle.py` reads), through the
redaction step, with a manifest that says what was captured, what was removed and what was cut."""

from __future__ import annotations

import io
import os
import tarfile
import time
from collections import Counter
from dataclasses import dataclass

import orjson

from k8sdoctor import __version__
from k8sdoctor.capture.redact import Redactor
from k8sdoctor.cluster.snapshot.bundle import FORMAT, LOGS, MANIFEST, OBJECTS, ROOT, STATE, VERSION
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.kinds import BY_KIND

MAX_LOG_BYTES = 256 * 1024  # per log tail: older lines beyond this are dropped
MAX_LINE_CHARS = 4096  # per log line: the rest of a longer line is dropped
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
_CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")
_STATUS_LISTS = ("initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses")
WITHHELD = [
    "Secret values: only Secret names, types and key names are read and kept",
    "ConfigMap values: key names kept, values emptied",
    f"the {LAST_APPLIED} annotation (a copy of the applied manifest, env values included)",
]


@dataclass
class BundleStats:
    path: str
    bytes: int
    objects: int
    logs: int
    removed: int
    cut: int


def _pod_spec(kind: str, obj: dict) -> dict | None:
    """The pod spec of a pod, or of a workload's pod template."""
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return None
    if kind == "Pod":
        return spec
    if kind == "CronJob":
        job = (spec.get("jobTemplate") or {}).get("spec")
        spec = job if isinstance(job, dict) else {}
    template = spec.get("template")
    pod_spec = template.get("spec") if isinstance(template, dict) else None
    return pod_spec if isinstance(pod_spec, dict) else None


def _redact_pod_spec(spec: dict, redactor: Redactor, where: str) -> None:
    for list_name in _CONTAINER_LISTS:
        for c in spec.get(list_name) or ():
            if not isinstance(c, dict):
                continue
            at = f"{where} container {c.get('name')}"
            for env in c.get("env") or ():
                if isinstance(env, dict) and isinstance(env.get("value"), str):
                    env["value"] = redactor.pair(str(env.get("name", "")), env["value"], f"{at} env {env.get('name')}")
            for field in ("command", "args"):
                words = c.get(field)
                if isinstance(words, list):
                    c[field] = [redactor.text(w, f"{at} {field}") if isinstance(w, str) else w for w in words]


def _redact_termination_messages(status: dict, redactor: Redactor, where: str) -> None:
    for list_name in _STATUS_LISTS:
        for cs in status.get(list_name) or ():
            for state in ("state", "lastState"):
                term = ((cs or {}).get(state) or {}).get("terminated") if isinstance(cs, dict) else None
                if isinstance(term, dict) and isinstance(term.get("message"), str):
                    term["message"] = redactor.text(term["message"], f"{where} {state} message")


def bundle_object(kind: str, obj: dict, redactor: Redactor) -> dict:
    """A copy of `obj` as it goes into a bundle: with its kind, redacted, Secrets and ConfigMaps without values."""
    obj = orjson.loads(orjson.dumps(obj))
    info = BY_KIND.get(kind)
    obj = {
        "apiVersion": info.api_version if info else obj.get("apiVersion"),
        "kind": kind,
        **{k: v for k, v in obj.items() if k not in ("apiVersion", "kind")},
    }
    meta: dict = obj["metadata"] if isinstance(obj.get("metadata"), dict) else {}
    where = f"{kind} {meta.get('namespace') or ''}/{meta.get('name')}".replace(" /", " ")
    if kind == "Secret":
        return {k: v for k, v in obj.items() if k not in ("data", "stringData")}
    if kind == "ConfigMap":
        for field in ("data", "binaryData"):
            if isinstance(obj.get(field), dict):
                obj[field] = dict.fromkeys(obj[field], "")
    annotations = meta.get("annotations")
    if isinstance(annotations, dict):
        annotations.pop(LAST_APPLIED, None)
        meta["annotations"] = {
            k: redactor.pair(k, v, f"{where} annotation {k}") if isinstance(v, str) else v for k, v in annotations.items()
        }
    spec = _pod_spec(kind, obj)
    if spec is not None:
        _redact_pod_spec(spec, redactor, where)
    if kind == "Pod" and isinstance(obj.get("status"), dict):
        _redact_termination_messages(obj["status"], redactor, where)
    return obj


def bundle_log(lines: list[str], redactor: Redactor, where: str) -> list[str]:
    """A log tail cut to MAX_LINE_CHARS per line and MAX_LOG_BYTES in all (the newest lines kept), redacted."""
    cut_lines = sum(1 for line in lines if len(line) > MAX_LINE_CHARS)
    kept, size = [], 0
    for line in reversed(lines):
        line = line[:MAX_LINE_CHARS]
        size += len(line.encode("utf-8", "replace")) + 1
        if size > MAX_LOG_BYTES:
            break
        kept.append(line)
    kept.reverse()
    if len(kept) < len(lines):
        redactor.cut.append({"what": where, "why": f"over {MAX_LOG_BYTES // 1024} KiB", "dropped_lines": len(lines) - len(kept)})
    if cut_lines:
        redactor.cut.append({"what": where, "why": f"lines over {MAX_LINE_CHARS} characters cut", "lines": cut_lines})
    return [redactor.text(line, where) for line in kept]


def _member(tar: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(f"{ROOT}/{name}")
    info.size, info.mtime, info.mode = len(data), int(mtime), 0o644
    tar.addfile(info, io.BytesIO(data))


def write_bundle(path: str, inventory: Inventory, redactor: Redactor, scope: dict) -> BundleStats:
    """Write the bundle to `path` (a .tar.gz) and say what went in."""
    objects = [bundle_object("Pod", p, redactor) for p in inventory.pods.values()]
    objects += [bundle_object("Event", e, redactor) for e in inventory.events.values()]
    for kind, table in inventory.objects.items():
        objects += [bundle_object(kind, o, redactor) for o in table.values()]
    logs = [
        {
            "namespace": key.namespace,
            "pod": key.pod,
            "container": key.container,
            "previous": key.previous,
            "lines": bundle_log(
                lines, redactor, f"logs {key.namespace}/{key.pod}/{key.container} ({'previous' if key.previous else 'current'})"
            ),
        }
        for key, lines in sorted(inventory.logs.items(), key=lambda kv: (kv[0].namespace, kv[0].pod, kv[0].container, kv[0].previous))
    ]
    state: dict[str, list] = {
        "listed": sorted([kind, ns] for kind, ns in inventory.listed_names),
        "unreadable": [{"resource": u.resource, "namespace": u.namespace, "reason": u.reason} for u in inventory.unreadable],
    }
    now = time.time()
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "k8sdoctorVersion": __version__,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
        "scope": scope,
        "objects": dict(sorted(Counter(o["kind"] for o in objects).items())),
        "logs": len(logs),
        "redaction": redactor.manifest(),
        "withheld": WITHHELD,
        "cut": redactor.cut,
        "notes": [
            f"could not read {u['resource']}" + (f" in {u['namespace']}" if u["namespace"] else "") + f": {u['reason']}"
            for u in state["unreadable"]
        ],
    }
    members = {
        MANIFEST: orjson.dumps(manifest, option=orjson.OPT_INDENT_2),
        OBJECTS: orjson.dumps({"apiVersion": "v1", "kind": "List", "items": objects}),
        LOGS: orjson.dumps(logs),
        STATE: orjson.dumps(state),
    }
    partial = f"{path}.partial"
    with tarfile.open(partial, "w:gz") as tar:
        for name in (MANIFEST, OBJECTS, LOGS, STATE):
            _member(tar, name, members[name], now)
    os.replace(partial, path)  # a bundle is there whole or not at all
    return BundleStats(path, os.path.getsize(path), len(objects), len(logs), sum(redactor.removed.values()), len(redactor.cut))
