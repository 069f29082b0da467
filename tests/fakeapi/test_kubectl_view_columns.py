"""The views of other kinds show the columns `kubectl get KIND -A` prints: for every kind with a view, the
real kubectl against the demo cluster plus the workloads of `test_kubectl_workloads` (StatefulSets,
DaemonSets and CronJobs the demo lacks) (server-side printing, `fakeapi/tables*.py`) and
`core.kube.columns.kubectl_cells` over the objects the same server returns (`-o json`) agree, label for
label and cell for cell. Ages are compared by presence only (the two reads are not at the same instant)."""

from __future__ import annotations

import json

import pytest

from k8sdoctor.core.kube.columns import COLUMNS, Since, cell_text, kubectl_cells
from k8sdoctor.core.kube.kinds import BY_KIND
from k8sdoctor.core.kube.timeutil import utcnow
from k8sdoctor.demo.runner import start_demo
from k8sdoctor.model.commands import VIEWS
from tests.fakeapi.test_kubectl_workloads import OBJECTS

pytestmark = pytest.mark.kubectl

KINDS = [kind for kind in VIEWS.values() if kind != "Pod"]


@pytest.fixture(scope="module")
def demo():
    cluster = start_demo(timeline=False)
    cluster.server.load_scenario({"objects": OBJECTS})
    yield cluster
    cluster.close()


def printed(text: str, labels: list[str]) -> tuple[list[str], list[list[str]]]:
    """kubectl's header labels and each row's cells, cut at the header's label positions (tabwriter
    aligns every column to its label)."""
    lines = [line for line in text.splitlines() if line.strip()]
    header = lines[0]
    starts, at = [], 0
    for label in labels:
        at = header.index(label, at)
        starts.append(at)
        at += len(label)
    found = [header[s:e].strip() for s, e in zip(starts, [*starts[1:], None], strict=True)]
    rows = [[line[s:e].strip() for s, e in zip(starts, [*starts[1:], None], strict=True)] for line in lines[1:]]
    return found, rows


@pytest.mark.parametrize("kind", KINDS)
def test_view_columns_are_kubectls(kind, demo, kubectl_for):
    kubectl = kubectl_for(demo.server)
    resource = BY_KIND[kind].plural
    namespaced = BY_KIND[kind].namespaced
    items = json.loads(kubectl("get", resource, "-A", "-o", "json").stdout)["items"]
    assert items, f"no {resource} to compare"
    labels = [*(["NAMESPACE"] if namespaced else []), "NAME", *COLUMNS[kind].labels]
    header, rows = printed(kubectl("get", resource, "-A").stdout, labels)
    assert header == labels
    ours = {}
    now = utcnow()
    for obj in items:
        meta = obj["metadata"]
        key = (meta.get("namespace", ""), meta["name"]) if namespaced else ("", meta["name"])
        ours[key] = kubectl_cells(kind, obj)
    assert len(rows) == len(ours)
    for row in rows:
        key = (row[0], row[1]) if namespaced else ("", row[0])
        theirs = row[2:] if namespaced else row[1:]
        cells = ours[key]
        assert len(cells) == len(theirs), (key, theirs)
        for label, cell, text in zip(COLUMNS[kind].labels, cells, theirs, strict=True):
            if isinstance(cell, Since):
                assert text, (key, label)
            else:
                assert cell_text(cell, now) == text, (kind, key, label)
