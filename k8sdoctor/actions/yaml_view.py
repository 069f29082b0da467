"""The YAML view's document: an object as `kubectl get -o yaml` prints it, each line knowing the field it
shows (so the fields a finding cites are marked as in describe) and where its keys and values are (for
highlighting). managedFields are left out, as kubectl leaves them out, unless asked for
(`kubectl get -o yaml --show-managed-fields`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from k8sdoctor.actions.describe_doc import DescribeLine, safe
from k8sdoctor.actions.kubectl_yaml import render
from k8sdoctor.cluster.live.client import KubeClient
from k8sdoctor.cluster.live.fetch_kinds import object_path
from k8sdoctor.core.kube.kinds import BY_KIND
from k8sdoctor.errors import NotFoundError, UserError
from k8sdoctor.sanitize import one_line

#: A highlighted stretch of a shown line: (start, end, what it is: "key", "string" or "constant").
Highlight = tuple[int, int, str]


@dataclass(frozen=True)
class YamlDocument:
    kind: str
    namespace: str
    name: str
    text: str  # kubectl's output, exactly
    lines: list[DescribeLine]  # each line made safe to show, with the field it belongs to
    highlights: dict[int, list[Highlight]]  # per line, in the columns of the shown (safe) text
    managed_fields: int  # entries of metadata.managedFields the object has
    shows_managed_fields: bool

    @property
    def ref(self) -> str:
        return f"{self.kind.lower()}/{self.name}"


def read_object(client: KubeClient, kind: str, namespace: str, name: str) -> dict:
    """The object as the API server has it now (managedFields included), as kubectl reads it."""
    info = BY_KIND.get(kind)
    if info is None:
        raise UserError(f"k8sdoctor does not read {kind} objects")
    try:
        return client.get(object_path(info, namespace, name))
    except NotFoundError:
        where = f' in namespace "{namespace}"' if info.namespaced else ""
        raise NotFoundError(f'{info.singular} "{name}" not found{where}') from None


def _shown_column(raw_line: str, column: int) -> int:
    """Where a column of the YAML text lands once the line is made safe to show (each character that
    is escaped takes more cells)."""
    return len(one_line(raw_line[:column]))


def yaml_document(kind: str, obj: dict, *, managed_fields: bool = False) -> YamlDocument:
    """`obj` as `kubectl get KIND NAME -o yaml` prints it (`--show-managed-fields` with `managed_fields`)."""
    metadata = obj.get("metadata")
    meta: dict = metadata if isinstance(metadata, dict) else {}
    entries = meta.get("managedFields")
    count = len(entries) if isinstance(entries, list) else 0
    shown = obj
    if count and not managed_fields:
        shown = copy.copy(obj)
        shown["metadata"] = {k: v for k, v in meta.items() if k != "managedFields"}
    rendered = render(shown)
    raw_lines = rendered.text.split("\n")[:-1] if rendered.text.endswith("\n") else rendered.text.split("\n")
    lines = [DescribeLine(safe(line), "", paths=(path,) if path else ()) for line, path in zip(raw_lines, rendered.paths, strict=False)]
    highlights: dict[int, list[Highlight]] = {}
    for span in rendered.spans:
        (first, start), (last, end) = span.start, span.end
        for number in range(first, min(last, len(raw_lines) - 1) + 1):
            raw = raw_lines[number]
            begin = start if number == first else len(raw) - len(raw.lstrip(" "))
            finish = end if number == last else len(raw)
            if finish > begin:
                highlights.setdefault(number, []).append((_shown_column(raw, begin), _shown_column(raw, finish), span.kind))
    return YamlDocument(
        kind,
        str(meta.get("namespace") or "") if isinstance(meta, dict) else "",
        str(meta.get("name") or "") if isinstance(meta, dict) else "",
        rendered.text,
        lines,
        highlights,
        count,
        managed_fields and count > 0,
    )
