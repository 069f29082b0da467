"""Just enough protobuf to read the one body kubectl insists on sending in it: a SelfSubjectAccessReview
(`kubectl auth can-i`), wrapped in the `k8s\\x00` + runtime.Unknown envelope. Responses stay JSON, which
kubectl accepts.
"""

from __future__ import annotations

from collections.abc import Iterator

MEDIA_TYPE = "application/vnd.kubernetes.protobuf"
_MAGIC = b"k8s\x00"
_RESOURCE_ATTRIBUTES = {1: "namespace", 2: "verb", 3: "group", 4: "version", 5: "resource", 6: "subresource", 7: "name"}
_NON_RESOURCE_ATTRIBUTES = {1: "path", 2: "verb"}


class ProtobufError(ValueError):
    pass


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(data):
            raise ProtobufError("truncated varint")
        byte = data[pos]
        value |= (byte & 0x7F) << shift
        pos += 1
        if byte < 0x80:
            return value, pos
        shift += 7


def _fields(data: bytes) -> Iterator[tuple[int, bytes | int]]:
    """(field number, value) pairs; length-delimited values as bytes, varints as ints."""
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
            yield number, value
        elif wire == 2:
            length, pos = _varint(data, pos)
            yield number, data[pos : pos + length]
            pos += length
        elif wire in (1, 5):
            pos += 8 if wire == 1 else 4
        else:
            raise ProtobufError(f"unsupported wire type {wire}")


def _strings(data: bytes, names: dict[int, str]) -> dict[str, str]:
    return {names[n]: v.decode() for n, v in _fields(data) if n in names and isinstance(v, bytes)}


def decode_access_review(body: bytes) -> dict:
    """A SelfSubjectAccessReview in protobuf → its JSON form (apiVersion, kind, spec)."""
    if not body.startswith(_MAGIC):
        raise ProtobufError("missing the k8s protobuf envelope")
    envelope = dict(_fields(body[len(_MAGIC) :]))
    type_meta = _strings(envelope.get(1, b""), {1: "apiVersion", 2: "kind"})  # type: ignore[arg-type]
    spec: dict = {}
    for number, value in _fields(envelope.get(2, b"")):  # type: ignore[arg-type]
        if number != 2 or not isinstance(value, bytes):  # field 2 of the review: its spec
            continue
        for part, attrs in _fields(value):
            if part == 1 and isinstance(attrs, bytes):
                spec["resourceAttributes"] = _strings(attrs, _RESOURCE_ATTRIBUTES)
            elif part == 2 and isinstance(attrs, bytes):
                spec["nonResourceAttributes"] = _strings(attrs, _NON_RESOURCE_ATTRIBUTES)
    return {**type_meta, "spec": spec}
