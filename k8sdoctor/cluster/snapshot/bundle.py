"""A bundle written by `k8sdoctor capture` (a .tar.gz), read as a snapshot: `--snapshot bundle.tar.gz`.

    k8sdoctor-capture/manifest.json   what was captured, the redaction rules and counts, what was cut
    k8sdoctor-capture/objects.json    a v1 List of every object read (Secrets: names and key names only)
    k8sdoctor-capture/logs.json       [{namespace, pod, container, previous, lines}]
    k8sdoctor-capture/state.json      what was listed completely, and what could not be read

Members are read safely, in memory, never extracted: only regular files with the names above (no
links, devices or other paths), each at most MAX_MEMBER_BYTES, at most MAX_MEMBERS of them and
MAX_TOTAL_BYTES in all, so a crafted archive cannot write anywhere or exhaust memory.
"""

from __future__ import annotations

import io
import tarfile
import zlib

import orjson

from .fill import InventoryFiller
from .problems import BadInput

GZIP_MAGIC = b"\x1f\x8b"
FORMAT = "k8sdoctor-capture"
VERSION = 1
ROOT = "k8sdoctor-capture"
MANIFEST, OBJECTS, LOGS, STATE = "manifest.json", "objects.json", "logs.json", "state.json"
MEMBERS = (MANIFEST, OBJECTS, LOGS, STATE)
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_MEMBERS = 16


def is_bundle(data: bytes) -> bool:
    """A gzip stream: the only compressed snapshot k8sdoctor reads is its own capture bundle."""
    return data.startswith(GZIP_MAGIC)


def _members(data: bytes) -> dict[str, bytes]:
    """The bundle's known members, read with the limits above."""
    found: dict[str, bytes] = {}
    total = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for count, member in enumerate(tar, 1):
                if count > MAX_MEMBERS:
                    raise BadInput("", f"more than {MAX_MEMBERS} members: not a k8sdoctor capture bundle")
                name = member.name
                if name.startswith("/") or ".." in name.split("/"):
                    raise BadInput(name, "a member path outside the bundle")
                if not member.isreg():
                    if member.isdir() and name.rstrip("/") == ROOT:
                        continue
                    raise BadInput(name, "a link or special file (a bundle holds regular files only)")
                short = name[len(ROOT) + 1 :] if name.startswith(ROOT + "/") else None
                if short not in MEMBERS:
                    raise BadInput(name, "not a member of a k8sdoctor capture bundle")
                if member.size > MAX_MEMBER_BYTES or total + member.size > MAX_TOTAL_BYTES:
                    raise BadInput(name, f"larger than the {MAX_MEMBER_BYTES // 2**20} MiB a member may hold")
                total += member.size
                extracted = tar.extractfile(member)
                if extracted is None:
                    raise BadInput(name, "cannot be read")
                found[short] = extracted.read(member.size + 1)[: member.size]
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BadInput("", f"a gzip file that is not a readable k8sdoctor capture bundle ({type(exc).__name__})") from None
    return found


def _json(members: dict[str, bytes], name: str) -> object:
    try:
        return orjson.loads(members[name])
    except KeyError:
        raise BadInput(name, "missing from the bundle") from None
    except orjson.JSONDecodeError:
        raise BadInput(name, "not valid JSON") from None


def _secret_with_key_names(obj: dict) -> dict:
    """A bundle keeps a Secret's key names as `keyNames`; the inventory reads them from `data` keys."""
    names = obj.get("keyNames")
    if obj.get("kind") != "Secret" or not isinstance(names, list):
        return obj
    return {k: v for k, v in obj.items() if k != "keyNames"} | {"data": {n: "" for n in names if isinstance(n, str)}}


def read_bundle(data: bytes, filler: InventoryFiller) -> dict:
    """Feed a capture bundle's objects, logs and listings to `filler`; returns its manifest."""
    members = _members(data)
    manifest = _json(members, MANIFEST)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BadInput(MANIFEST, "not a k8sdoctor capture manifest")
    if manifest.get("version") != VERSION:
        raise BadInput(MANIFEST, f"bundle format version {manifest.get('version')!r}; this k8sdoctor reads version {VERSION}")
    objects = _json(members, OBJECTS)
    if not isinstance(objects, dict) or not isinstance(objects.get("items"), list):
        raise BadInput(OBJECTS, "expected a v1 List")
    objects["items"] = [_secret_with_key_names(o) if isinstance(o, dict) else o for o in objects["items"]]
    filler.add_document(objects, OBJECTS)
    inventory = filler.inventory
    logs = _json(members, LOGS)
    for i, entry in enumerate(logs if isinstance(logs, list) else ()):
        entry = entry if isinstance(entry, dict) else {}
        namespace, pod, container, lines = entry.get("namespace"), entry.get("pod"), entry.get("container"), entry.get("lines")
        if not (isinstance(namespace, str) and isinstance(pod, str) and isinstance(container, str) and isinstance(lines, list)):
            raise BadInput(f"{LOGS}: [{i}]", "expected namespace, pod, container (strings) and lines (a list of strings)")
        if not all(isinstance(x, str) for x in lines):
            raise BadInput(f"{LOGS}: [{i}]", "expected namespace, pod, container (strings) and lines (a list of strings)")
        inventory.put_logs(namespace, pod, container, entry.get("previous") is True, lines)
        filler.logs += 1
    state = _json(members, STATE)
    if isinstance(state, dict):
        for pair in state.get("listed") or ():
            if isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair):
                inventory.listed_names.add((pair[0], pair[1]))
        for u in state.get("unreadable") or ():
            if isinstance(u, dict) and isinstance(u.get("resource"), str) and isinstance(u.get("reason"), str):
                namespace = u.get("namespace")
                inventory.mark_unreadable(u["resource"], namespace if isinstance(namespace, str) else None, u["reason"])
    return manifest
