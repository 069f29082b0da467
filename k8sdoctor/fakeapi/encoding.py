"""Content negotiation and response bodies: full objects, metadata only, or server-side Tables.

`Output.negotiate` reads the Accept header the way kube-apiserver does for the forms this server speaks:
`application/json`, `;as=PartialObjectMetadata(List);g=meta.k8s.io;v=v1` and
`;as=Table;g=meta.k8s.io;v=v1`. Lists are built by joining each object's pre-serialized JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import orjson

from k8sdoctor.fakeapi import status
from k8sdoctor.fakeapi.resources import ResourceType
from k8sdoctor.fakeapi.store import Entry, ListResult
from k8sdoctor.fakeapi.tables import table
from k8sdoctor.fakeapi.views import META_API_VERSION, encode_event_v1, encode_partial_metadata

JSON = "application/json"
_META_VERSIONS = ("v1", "v1beta1")


def _media_ranges(accept: str) -> list[tuple[str, dict[str, str]]]:
    ranges = []
    for part in accept.split(","):
        pieces = [p.strip() for p in part.split(";")]
        params = {}
        for piece in pieces[1:]:
            key, _, value = piece.partition("=")
            params[key.strip().lower()] = value.strip()
        ranges.append((pieces[0].lower(), params))
    return ranges


@dataclass(frozen=True, slots=True)
class Output:
    """How one request wants objects rendered."""

    mode: str = "object"  # "object", "metadata" or "table"
    include_object: str = "Metadata"  # for tables: None, Metadata or Object

    @classmethod
    def negotiate(cls, accept: str | None, include_object: str | None) -> Output:
        if not accept:
            return cls()
        for media, params in _media_ranges(accept):
            if media not in (JSON, "application/*", "*/*"):
                continue
            wanted = params.get("as")
            if wanted is None:
                return cls()
            if params.get("g") != "meta.k8s.io" or params.get("v") not in _META_VERSIONS:
                continue
            if wanted == "Table":
                return cls("table", include_object or "Metadata")
            if wanted in ("PartialObjectMetadata", "PartialObjectMetadataList"):
                return cls("metadata")
        raise status.ApiError(406, f"only the following media types are accepted: {JSON}")

    def object_bytes(self, rtype: ResourceType, entry: Entry, now: datetime) -> bytes:
        """A single object (a GET, a watch event's object)."""
        if self.mode == "metadata":
            return entry.view("metadata", encode_partial_metadata)
        if self.mode == "table":
            return orjson.dumps(table(rtype.kind, [entry.obj], now, include_object=self.include_object))
        if rtype.storage_group is not None:
            return entry.view(rtype.api_version, encode_event_v1)
        return entry.raw

    def list_bytes(self, rtype: ResourceType, result: ListResult, now: datetime) -> bytes:
        meta: dict = {"resourceVersion": str(result.rv)}
        if result.continue_token:
            meta["continue"] = result.continue_token
        if result.remaining is not None:
            meta["remainingItemCount"] = result.remaining
        if self.mode == "table":
            return orjson.dumps(table(rtype.kind, [e.obj for e in result.items], now, include_object=self.include_object, list_meta=meta))
        if self.mode == "metadata":  # PartialObjectMetadata items keep their kind and apiVersion
            head = _list_head("PartialObjectMetadataList", META_API_VERSION, meta)
            return head + b",".join(self.object_bytes(rtype, e, now) for e in result.items) + b"]}"
        # Items of a typed list carry no kind/apiVersion: cut that prefix off the stored JSON, without copying.
        prefix = _type_prefix(rtype.kind, rtype.api_version)
        items = [_without_prefix(self.object_bytes(rtype, e, now), prefix) for e in result.items]
        body = b"{" + b",{".join(items) if items else b""
        return _list_head(rtype.list_kind, rtype.api_version, meta) + body + b"]}"


def _list_head(kind: str, api_version: str, meta: dict) -> bytes:
    return b'{"kind":"%s","apiVersion":"%s","metadata":%s,"items":[' % (kind.encode(), api_version.encode(), orjson.dumps(meta))


def _type_prefix(kind: str, api_version: str) -> bytes:
    """How every stored object's JSON starts (the store writes kind and apiVersion first)."""
    return b'{"kind":"%s","apiVersion":"%s",' % (kind.encode(), api_version.encode())


def _without_prefix(raw: bytes, prefix: bytes) -> memoryview:
    """The object's JSON after its opening brace and, when present, its kind and apiVersion."""
    return memoryview(raw)[len(prefix) if raw.startswith(prefix) else 1 :]
