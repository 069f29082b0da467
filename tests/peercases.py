"""The test cases of k8sgpt, Popeye and HolmesGPT translated into cluster objects
(tests/fixtures/shared/peer-cases.jsonl, a copy of ../shared/peer-tests/cases.jsonl; each row names its
repository, commit, file and test in `source`), written out as `kubectl cluster-info dump` directories so
the real CLI diagnoses them offline."""

from __future__ import annotations

import functools
import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import orjson

from k8sdoctor.core.kube.timeutil import format_time
from tests.snapshot.kubectl_output import NamespaceDump, cluster_info_dump

PEER_CASES = Path(__file__).resolve().parent / "fixtures" / "shared" / "peer-cases.jsonl"
_NOW = re.compile(r"^__NOW(?:-(\d+))?__$")
_DUMPED = {
    "Pod": "pods",
    "Event": "events",
    "Service": "services",
    "Deployment": "deployments",
    "ReplicaSet": "replicasets",
    "DaemonSet": "daemonsets",
}


@functools.cache
def peer_cases() -> dict[str, dict]:
    rows = [json.loads(line) for line in PEER_CASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {row["id"]: row for row in rows}


def _resolve(value, now: datetime):
    """ "__NOW__" is the moment of the peer's test, "__NOW-<n>__" n seconds before it."""
    if isinstance(value, dict):
        return {k: _resolve(v, now) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, now) for v in value]
    if isinstance(value, str) and (m := _NOW.match(value)):
        return format_time(now - timedelta(seconds=int(m.group(1) or 0)))
    return value


def write_peer_dump(case: dict, directory: Path, now: datetime) -> Path:
    """The case's objects as a cluster-info dump directory (kinds the dump lacks in `more.json`), with its
    logs; returns the directory."""
    objects = _resolve(case["objects"], now)
    namespaces: dict[str, NamespaceDump] = {}
    nodes, more = [], []
    for obj in objects:
        kind = obj.get("kind")
        if kind == "Node":
            nodes.append(obj)
        elif kind in _DUMPED:
            ns = (obj.get("metadata") or {}).get("namespace") or "default"
            getattr(namespaces.setdefault(ns, NamespaceDump()), _DUMPED[kind]).append(obj)
        else:
            more.append(obj)
    logs = {(log["namespace"], log["pod"], log["container"]): ("\n".join(log["lines"]) + "\n").encode() for log in case.get("logs") or ()}
    cluster_info_dump(nodes, namespaces, logs, output_directory=directory)
    if more:
        (directory / "more.json").write_bytes(orjson.dumps({"apiVersion": "v1", "kind": "List", "items": more}))
    return directory
