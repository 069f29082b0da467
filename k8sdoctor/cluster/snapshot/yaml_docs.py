"""YAML documents out of snapshot bytes, with PyYAML's safe loader (libyaml's parser when available) and
limits against YAML bombs.

kubectl never writes anchors or aliases, so the limits cost real snapshots nothing: at most MAX_ALIAS_NODES
nodes may come from expanding aliases (billion laughs needs ~10^9), an alias may not point into its own anchor
(a recursive structure), and a YAML text may be at most MAX_YAML_BYTES long.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.reader import ReaderError

from .problems import BadInput, line_col, not_utf8, place

MAX_YAML_BYTES = 256 * 1024 * 1024
MAX_ALIAS_NODES = 100_000

try:  # Python's composer over libyaml's parser: it lets every alias be counted before it is expanded
    _BASES: tuple[type, ...] = (Composer, yaml.CSafeLoader)
except AttributeError:  # PyYAML built without libyaml
    _BASES = (yaml.SafeLoader,)


class _UnsafeAlias(yaml.MarkedYAMLError):
    """Aliases would expand past MAX_ALIAS_NODES, or an alias points into its own anchor."""


class _GuardedLoader(*_BASES):  # type: ignore[misc]
    def __init__(self, stream: str) -> None:
        _BASES[-1].__init__(self, stream)  # type: ignore[misc]
        Composer.__init__(self)
        self._nodes = 0  # nodes composed so far, an alias counting as the nodes it stands for
        self._alias_nodes = 0
        self._anchor_nodes: dict[str, int] = {}
        self._open_anchors: set[str] = set()

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            mark: Any = event.start_mark  # a yaml.error.Mark, or the C loader's own Mark
            if event.anchor in self._open_anchors:
                raise _UnsafeAlias(problem="YAML alias refers to its own anchor (recursive structure)", problem_mark=mark)
            size = self._anchor_nodes.get(event.anchor or "", 1)
            self._nodes += size
            self._alias_nodes += size
            if self._alias_nodes > MAX_ALIAS_NODES:
                raise _UnsafeAlias(problem="YAML alias limit exceeded (possible YAML bomb)", problem_mark=mark)
            return super().compose_node(parent, index)
        anchor = event.anchor
        start = self._nodes
        self._nodes += 1
        if anchor is None:
            return super().compose_node(parent, index)
        self._open_anchors.add(anchor)
        node = super().compose_node(parent, index)
        self._open_anchors.discard(anchor)
        self._anchor_nodes[anchor] = self._nodes - start
        return node


# Keep unquoted timestamps as the strings the API returns, as JSON snapshots have them.
_GuardedLoader.add_constructor("tag:yaml.org,2002:timestamp", _GuardedLoader.construct_yaml_str)


def yaml_documents(data: bytes, start: int, end: int, source: str, doc_no: int) -> Iterator[object]:
    """The YAML documents in data[start:end]; the first is numbered `doc_no + 1` in error messages."""
    if end - start > MAX_YAML_BYTES:
        raise BadInput(
            place(source, doc_no + 1, *line_col(data, start)),
            f"YAML text over {MAX_YAML_BYTES / 2**20:g} MiB; save the snapshot with -o json instead",
        )
    try:
        text = data[start:end].decode("utf-8")
    except UnicodeDecodeError:
        offset, why = not_utf8(data, start, end)
        raise BadInput(place(source, doc_no + 1, *line_col(data, offset)), why) from None
    loader = _GuardedLoader(text)
    current = doc_no + 1
    try:
        while loader.check_data():
            yield loader.get_data()
            current += 1
    except yaml.MarkedYAMLError as err:
        raise _located(data, start, err, source, current) from None
    except ReaderError as err:
        offset = start + len(text[: err.position].encode("utf-8"))
        why = err.reason
        if isinstance(err.character, int):
            why = f"character #x{err.character:04x} is not allowed in YAML"
        raise BadInput(place(source, current, *line_col(data, offset)), why) from None
    except yaml.YAMLError:
        raise BadInput(place(source, current), "not valid YAML") from None
    except RecursionError:
        raise BadInput(place(source, current), "YAML nested too deeply") from None
    finally:
        loader.dispose()


def _located(data: bytes, start: int, err: yaml.MarkedYAMLError, source: str, doc_no: int) -> BadInput:
    mark = err.problem_mark or err.context_mark
    why = err.problem or err.context or "not valid YAML"
    if mark is None:
        return BadInput(place(source, doc_no), why)
    line, col = line_col(data, start)
    line += mark.line
    col = mark.column + 1 if mark.line else col + mark.column
    return BadInput(place(source, doc_no, line, col), why)
