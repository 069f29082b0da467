"""Pending on node labels, live: the node-selector value no node has, with "did you mean" among the
values nodes do have, and the patch that fixes the selector."""

from __future__ import annotations

import pytest

from tests.analyzers_live.objects import container, corpus_message, evidence, finding, node, pending


@pytest.fixture(scope="module", autouse=True)
def cluster(server):
    nodes = [
        node("ssd-1", labels={"disktype": "ssd"}),
        node("ssd-2", labels={"disktype": "ssd"}),
        node("hdd-1", labels={"disktype": "hdd"}),
    ]
    # https://github.com/opendistro-for-elasticsearch/sample-code/issues/115
    message = corpus_message("opendistro-es-node-selector", "https://github.com/opendistro-for-elasticsearch/sample-code/issues/115")
    es = pending(
        "es-data-0",
        "search",
        message,
        owner=("StatefulSet", "es-data"),
        containers=[container("es", "registry.example/es:7.10", cpu="1", memory="4Gi")],
        spec={"nodeSelector": {"disktype": "ssdd"}},
    )
    server.apply_all(nodes + es)


def test_selector_value_no_node_has_gets_a_did_you_mean(diagnose):
    f = finding(diagnose("search", "es-data-0"), "node-selector-mismatch")
    assert evidence(f, "status.conditions[PodScheduled].message, counted per reason") == [
        "3 nodes: 3 do not match the node selector/affinity"
    ]
    assert evidence(f, "spec.nodeSelector") == [
        "disktype=ssdd: no node has this label; nodes have disktype=ssd (2 nodes), disktype=hdd (1 node). Did you mean disktype=ssd?"
    ]


def test_fix_patches_the_selector(diagnose):
    f = finding(diagnose("search", "es-data-0"), "node-selector-mismatch")
    assert f["remediation"][0] == {
        "text": "Fix the node selector to disktype=ssd",
        "command": "kubectl -n search patch statefulset/es-data -p '{\"spec\":{\"template\":{\"spec\":{\"nodeSelector\":{\"disktype\":\"ssd\"}}}}}'",
    }
