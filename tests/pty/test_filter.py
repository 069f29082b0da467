"""The `/` filter's node and label terms in a real terminal: typed after `/`, only the pods on that node,
or carrying that label, stay in the table."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from k8sdoctor.demo.cluster import demo_inventory
from tests.pty.screens import main_screen_ready, table_rows


def demo_pods(keep) -> set[tuple[str, str]]:
    """The demo scenario's pods that `keep(pod)` accepts: what the filter must show, from the pods themselves."""
    pods = demo_inventory(datetime.now(timezone.utc)).pods
    return {key for key, pod in pods.items() if keep(pod)}


def shown(t) -> set[tuple[str, str]]:
    """(namespace, name) of the table's rows; a name cut with … is kept as the part shown."""
    return {(cells[0], cells[1].split("…")[0]) for cells in (row.split() for row in table_rows(t)) if len(cells) > 1}


def same_pods(on_screen: set[tuple[str, str]], expected: set[tuple[str, str]]) -> bool:
    return len(on_screen) == len(expected) and all(any(ns == n and name.startswith(cut) for n, cut in on_screen) for ns, name in expected)


@pytest.mark.parametrize(
    ("query", "keep"),
    [
        ("node:worker-2", lambda pod: pod["spec"].get("nodeName") == "worker-2"),
        ("app=frontend", lambda pod: (pod["metadata"].get("labels") or {}).get("app") == "frontend"),  # not web-frontend
        (
            "app=kestra node:worker-1",
            lambda pod: pod["metadata"]["name"].startswith("kestra") and pod["spec"].get("nodeName") == "worker-1",
        ),
    ],
    ids=["node", "label", "label-and-node"],
)
def test_the_filter_keeps_only_the_pods_on_a_node_or_with_a_label(terminal, demo_cluster, query, keep):
    expected = demo_pods(keep)
    assert expected  # the scenario has such pods
    t = terminal("--kubeconfig", str(demo_cluster.kubeconfig), "-A")
    main_screen_ready(t)
    everything = len(table_rows(t))
    t.send("/")
    t.type_text(query)
    t.send("enter")
    t.wait(lambda term: same_pods(shown(term), expected), f"only the pods matching {query}: {sorted(expected)}")
    assert len(expected) < everything
    t.wait_text(query)  # the filter stays on screen
