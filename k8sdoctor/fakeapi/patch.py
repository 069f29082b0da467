"""PATCH bodies: JSON merge patch (RFC 7386), strategic merge patch, JSON patch (RFC 6902).

The strategic merge patch knows the merge keys of the list fields the tests and kubectl touch (containers,
ephemeralContainers, env, volumes, ports, conditions...) and the `$patch`, `$retainKeys`,
`$deleteFromPrimitiveList/` and `$setElementOrder/` directives. Lists without a merge key are replaced.
"""

from __future__ import annotations

import copy

MERGE_PATCH = "application/merge-patch+json"
STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json"
JSON_PATCH = "application/json-patch+json"
SUPPORTED = (JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH)

#: List fields merged element by element, and the key that identifies an element.
_MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "env": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "volumeDevices": "devicePath",
    "imagePullSecrets": "name",
    "hostAliases": "ip",
    "conditions": "type",
    "ownerReferences": "uid",
    "topologySpreadConstraints": "topologyKey",
    "addresses": "type",
    "taints": "key",
}
#: Lists of scalars merged as sets.
_MERGED_SCALAR_LISTS = frozenset({"finalizers"})


class PatchError(ValueError):
    """A patch that cannot be applied; the server answers 422 (or 400 for a malformed body)."""


def merge_patch(target: object, patch: object) -> object:
    """RFC 7386: maps merge recursively, null deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def strategic_merge_patch(target: object, patch: object) -> object:
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if patch.get("$patch") == "replace":
        return {k: copy.deepcopy(v) for k, v in patch.items() if k != "$patch"}
    if patch.get("$patch") == "delete":
        return None
    result = dict(target) if isinstance(target, dict) else {}
    retain = patch.get("$retainKeys")
    for key, value in patch.items():
        if key in ("$patch", "$retainKeys") or key.startswith("$setElementOrder/"):
            continue
        if key.startswith("$deleteFromPrimitiveList/"):
            field = key.split("/", 1)[1]
            result[field] = [v for v in result.get(field) or [] if v not in value]
        elif value is None:
            result.pop(key, None)
        elif isinstance(value, list):
            result[key] = _merge_list(key, result.get(key), value)
        else:
            merged = strategic_merge_patch(result.get(key), value)
            if merged is None:
                result.pop(key, None)
            else:
                result[key] = merged
    if retain is not None:
        result = {k: v for k, v in result.items() if k in retain}
    return result


def _merge_key(field: str, items: list) -> str | None:
    if field == "ports":
        return "containerPort" if any("containerPort" in i for i in items if isinstance(i, dict)) else "port"
    return _MERGE_KEYS.get(field)


def _merge_list(field: str, current: object, patch: list) -> list:
    current_list = list(current) if isinstance(current, list) else []
    if any(isinstance(i, dict) and i.get("$patch") == "replace" for i in patch):
        return [copy.deepcopy(i) for i in patch if not (isinstance(i, dict) and "$patch" in i)]
    if field in _MERGED_SCALAR_LISTS:
        return current_list + [v for v in patch if v not in current_list]
    key = _merge_key(field, patch + current_list)
    if key is None or not all(isinstance(i, dict) for i in patch):
        return copy.deepcopy(patch)
    result = current_list
    for item in patch:
        index = next((n for n, old in enumerate(result) if isinstance(old, dict) and old.get(key) == item.get(key)), None)
        if item.get("$patch") == "delete":
            if index is not None:
                result.pop(index)
        elif index is None:
            result.append(strategic_merge_patch({}, item))
        else:
            result[index] = strategic_merge_patch(result[index], item)
    return result


def json_patch(target: dict, operations: object) -> dict:
    """RFC 6902 add/remove/replace/move/copy/test with JSON pointers."""
    if not isinstance(operations, list):
        raise PatchError("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
    doc: object = copy.deepcopy(target)
    for op in operations:
        if not isinstance(op, dict) or "op" not in op or "path" not in op:
            raise PatchError(f"the server rejected our request due to an error in our request: {op}")
        kind, path = op["op"], op["path"]
        if kind in ("add", "replace"):
            doc = _put(doc, path, copy.deepcopy(op.get("value")), insert=kind == "add")
        elif kind == "remove":
            doc, _ = _take(doc, path)
        elif kind in ("move", "copy"):
            if kind == "move":
                doc, value = _take(doc, op["from"])
            else:
                value = copy.deepcopy(_get(doc, op["from"]))
            doc = _put(doc, path, value, insert=True)
        elif kind == "test":
            if _get(doc, path) != op.get("value"):
                raise PatchError(f"testing value {path} failed: test failed")
        else:
            raise PatchError(f"Unexpected kind: {kind}")
    if not isinstance(doc, dict):
        raise PatchError("json: cannot unmarshal a patched document that is not an object")
    return doc


def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise PatchError(f"JSON pointer must be empty or start with a \"/\": {path}")
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _parent(doc: object, parts: list[str]) -> object:
    node = doc
    for part in parts[:-1]:
        node = _child(node, part)
    return node


def _child(node: object, part: str) -> object:
    try:
        if isinstance(node, list):
            return node[int(part)]
        return node[part]  # type: ignore[index]
    except (KeyError, IndexError, ValueError, TypeError):
        raise PatchError(f"doc is missing path: {part}") from None


def _get(doc: object, path: str) -> object:
    node = doc
    for part in _pointer(path):
        node = _child(node, part)
    return node


def _put(doc: object, path: str, value: object, *, insert: bool) -> object:
    parts = _pointer(path)
    if not parts:
        return value
    parent, last = _parent(doc, parts), parts[-1]
    if isinstance(parent, list):
        if last == "-":
            parent.append(value)
        elif insert:
            parent.insert(int(last), value)
        else:
            parent[int(last)] = value
    elif isinstance(parent, dict):
        if not insert and last not in parent:
            raise PatchError(f"replace operation does not apply: doc is missing key: {path}")
        parent[last] = value
    else:
        raise PatchError(f"doc is missing path: {path}")
    return doc


def _take(doc: object, path: str) -> tuple[object, object]:
    parts = _pointer(path)
    parent, last = _parent(doc, parts), parts[-1]
    value = _child(parent, last)
    if isinstance(parent, list):
        parent.pop(int(last))
    elif isinstance(parent, dict):
        del parent[last]
    return doc, value


def apply_patch(content_type: str, target: dict, patch: object) -> dict:
    """Apply a patch of one of the `SUPPORTED` media types (parameters after `;` ignored)."""
    kind = content_type.split(";")[0].strip()
    if kind == MERGE_PATCH:
        result = merge_patch(target, patch)
    elif kind == STRATEGIC_MERGE_PATCH:
        result = strategic_merge_patch(target, patch)
    else:
        result = json_patch(target, patch)
    if not isinstance(result, dict):
        raise PatchError("patch did not produce an object")
    return result
