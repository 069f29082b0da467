"""Whatever the bytes, load_snapshot returns or raises SnapshotError: never another exception."""

from __future__ import annotations

import orjson
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from k8sdoctor.cluster.snapshot import load_snapshot
from k8sdoctor.errors import SnapshotError

_KEYS = st.sampled_from(["kind", "items", "metadata", "name", "namespace", "uid", "involvedObject", "regarding", "data", "stringData", "x"])
_SCALARS = (
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.sampled_from(["Pod", "Event", "Secret", "List", "PodList", "n"])
)
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=5), max_leaves=25)
_DOCUMENTS = st.dictionaries(_KEYS, _VALUES, max_size=5)


def _load(path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        load_snapshot(path)
    except SnapshotError as err:
        assert "\n" not in str(err)


@settings(max_examples=150, deadline=None)
@given(documents=st.lists(_DOCUMENTS, min_size=1, max_size=3), as_yaml=st.booleans())
def test_any_document_shape(tmp_path_factory, documents, as_yaml):
    if as_yaml:
        data = yaml.safe_dump_all(documents).encode()
    else:
        data = b"\n".join(orjson.dumps(doc) for doc in documents)
    _load(tmp_path_factory.mktemp("fuzz") / "snapshot", data)


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_any_bytes(tmp_path_factory, data):
    _load(tmp_path_factory.mktemp("fuzz") / "snapshot", data)
