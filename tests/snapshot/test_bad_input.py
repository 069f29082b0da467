"""Bad snapshots end in one SnapshotError line naming the path, the place and the reason; never a traceback."""

from __future__ import annotations

import os
import time

import pytest

from k8sdoctor.cluster.snapshot import load_snapshot, yaml_docs
from k8sdoctor.errors import SnapshotError, UserError

from . import cases
from .kubectl_output import kubectl_get_json


def _error(path) -> str:
    with pytest.raises(SnapshotError) as err:
        load_snapshot(path)
    message = str(err.value)
    assert "\n" not in message
    assert isinstance(err.value, UserError) and err.value.exit_code == 2
    assert err.value.__cause__ is None and err.value.__context__ is None
    return message


def _billion_laughs() -> bytes:
    lines = ['lol0: &lol0 "lol"']
    for level in range(1, 10):
        lines.append(f"lol{level}: &lol{level} [{', '.join([f'*lol{level - 1}'] * 10)}]")
    return ("\n".join(lines) + "\n").encode()


def test_nonexistent_path(tmp_path):
    path = tmp_path / "missing.json"
    assert _error(path) == f"snapshot {path}: no such file or directory"


def test_empty_file(write):
    path = write("empty.json", b"")
    assert _error(path) == (f"snapshot {path}: the file is empty (expected kubectl get -o json|yaml output or a cluster-info dump)")
    assert _error(write("blank.yaml", b"\n  \n")).endswith(
        ": the file is empty (expected kubectl get -o json|yaml output or a cluster-info dump)"
    )


def test_binary_garbage(write):
    path = write("garbage.bin", bytes(range(256)) * 4)
    assert _error(path) == f"snapshot {path}: binary data (NUL byte at offset 0), not JSON, YAML or a cluster-info dump"


def test_text_that_is_not_utf8(write):
    json_path = write("latin1.json", b'{"kind": "Pod", "metadata": {"name": "caf\xe9"}}')
    yaml_path = write("latin1.yaml", b"kind: Pod\nmetadata:\n  name: caf\xe9\n")

    assert _error(json_path) == f"snapshot {json_path}: line 1, col 42: not UTF-8 text (byte 0xe9 at offset 41)"
    assert _error(yaml_path) == f"snapshot {yaml_path}: line 3, col 12: not UTF-8 text (byte 0xe9 at offset 31)"


def test_truncated_json(write):
    data = kubectl_get_json(cases.kafdrop_pod(), *cases.kafdrop_events())
    truncated = data[: len(data) // 2]
    path = write("cluster.json", truncated)

    line, col = truncated.count(b"\n") + 1, len(truncated.rsplit(b"\n", 1)[1]) + 1
    assert _error(path) == f"snapshot {path}: line {line}, col {col}: unexpected end of JSON (truncated file?)"


def test_invalid_json_says_where(write):
    path = write("bad.json", b'{\n    "kind": "List",\n    "items": [,]\n}\n')
    assert _error(path).startswith(f"snapshot {path}: line 3, col 15: ")


def test_yaml_bomb_is_refused_fast(write):
    path = write("cluster.yaml", _billion_laughs())

    started = time.perf_counter()
    message = _error(path)

    assert time.perf_counter() - started < 1.0
    assert message.startswith(f"snapshot {path}: line ")
    assert message.endswith(": YAML alias limit exceeded (possible YAML bomb)")


def test_yaml_merge_key_bomb_is_refused(write):
    lines = ["m0: &m0 {a: 1, b: 2}"]
    for level in range(1, 12):
        lines.append(f"m{level}: &m{level} {{<<: [{', '.join([f'*m{level - 1}'] * 10)}], k{level}: 1}}")
    path = write("merge.yaml", ("\n".join(lines) + "\n").encode())

    assert _error(path).endswith(": YAML alias limit exceeded (possible YAML bomb)")


def test_recursive_yaml_alias_is_refused(write):
    path = write("loop.yaml", b"kind: Pod\nmetadata: &m\n  name: p\n  self: *m\n")
    assert _error(path) == f"snapshot {path}: line 4, col 9: YAML alias refers to its own anchor (recursive structure)"


def test_yaml_over_the_size_limit_is_refused(write, monkeypatch):
    monkeypatch.setattr(yaml_docs, "MAX_YAML_BYTES", 2**20)
    path = write("big.yaml", b"kind: List\nitems:\n" + b"- {kind: Pod, metadata: {name: p}}\n" * 40_000)

    assert _error(path) == (f"snapshot {path}: line 1, col 1: YAML text over 1 MiB; save the snapshot with -o json instead")


def test_yaml_syntax_error_names_document_line_and_column(write):
    text = b"kind: Pod\nmetadata:\n  name: p\n---\nkind: Pod\nmetadata:\n  name: q\n   bad: indent\n"
    path = write("cluster.yaml", text)
    # libyaml and PyYAML word the reason slightly differently ("... here" / "... in this context").
    assert _error(path).startswith(f"snapshot {path}: document 2 (line 8, col 7): mapping values are not allowed")


def test_yaml_python_tags_are_refused_not_run(write):
    path = write("evil.yaml", b"kind: !!python/object/apply:os.system ['touch pwned']\n")
    assert "could not determine a constructor for the tag" in _error(path)
    assert not os.path.exists("pwned")


def test_document_that_is_not_a_mapping(write):
    path = write("cluster.yaml", b"kind: Pod\nmetadata: {name: p}\n---\n- a\n- b\n")
    assert _error(path) == f"snapshot {path}: document 2: the document is a list, not a Kubernetes object or List"
    array = write("array.json", b'[{"kind": "Pod", "metadata": {"name": "p"}}]')
    assert _error(array) == f"snapshot {array}: the document is a list, not a Kubernetes object or List"


def test_document_without_kind(write):
    path = write("x.json", b'{"metadata": {"name": "p"}}')
    assert _error(path) == f"snapshot {path}: the document has no kind: not a Kubernetes object or List"


def test_list_item_without_kind(write):
    items = [cases.kafdrop_pod(), {"metadata": {"name": "p", "namespace": "n"}}]
    path = write("x.json", kubectl_get_json(*items))
    assert _error(path) == f'snapshot {path}: items[1] has no kind and the list kind "List" does not say it'


def test_garbage_after_a_json_document(write):
    path = write("x.json", kubectl_get_json(cases.kafdrop_pod()) + b"oops: [\n")
    assert _error(path).startswith(f"snapshot {path}: document 2 (line ")


def test_unreadable_file(write):
    path = write("locked.json", b"{}")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: permissions are not enforced")
        assert _error(path) == f"snapshot {path}: permission denied"
    finally:
        path.chmod(0o600)


def test_a_snapshot_too_large_to_hold_is_refused_before_it_is_read(tmp_path):
    """Issue 17: a 2 GiB sparse snapshot used 4.2 GB and segfaulted under a 3 GiB address-space limit.
    The file is sparse: its size is known without a byte of it being read or stored."""
    import resource

    from k8sdoctor.cluster.snapshot import load_snapshot
    from k8sdoctor.errors import SnapshotError

    huge = tmp_path / "pods.json"
    with open(huge, "wb") as fh:
        fh.write(b'{"apiVersion": "v1", "kind": "List", "items": [')
        fh.truncate(2 << 30)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(SnapshotError) as caught:
        load_snapshot(huge)
    assert (
        str(caught.value)
        == f"snapshot {huge}: is 2048 MiB; snapshots up to 1024 MiB are read (save fewer namespaces, or one with kubectl get -n)"
    )
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 64 << 10  # KiB: nothing was read


def test_a_dump_directory_too_large_together_is_refused(tmp_path):
    from k8sdoctor.cluster.snapshot import load_snapshot
    from k8sdoctor.errors import SnapshotError

    for ns in ("a", "b"):
        (tmp_path / ns).mkdir()
        with open(tmp_path / ns / "pods.json", "wb") as fh:
            fh.truncate(600 << 20)
    with pytest.raises(SnapshotError, match="the dump's files together is 1200 MiB"):
        load_snapshot(tmp_path)
