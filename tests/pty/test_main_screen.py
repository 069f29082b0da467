"""The main screen in a real terminal: the first screen, keys typed in bursts, every action key."""

from __future__ import annotations

import re

import pytest

from tests.pty.screens import main_screen_ready, selected_pod, table_rows


@pytest.fixture
def app(terminal, demo_cluster):
    """k8sdoctor on the demo cluster (served by the test), all namespaces, at 120x35."""
    t = terminal("--kubeconfig", str(demo_cluster.kubeconfig), "-A")
    main_screen_ready(t)
    return t


def back_on_main(t) -> tuple[str, str]:
    t.send("escape")
    t.wait_text(re.compile(r"\d+ pods · \d+ problems"))
    return t.wait(lambda term: selected_pod(term), "the selected pod")  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("keys", "opened"),
    [(("j", "j", "l"), "logs"), (("j", "j", "j", "d"), "describe pod"), (("j", "p"), "logs"), (("j", "j", "x"), "debug pod")],
    ids=["jjl", "jjjd", "jp", "jjx"],
)
def test_keys_typed_in_one_burst_act_on_the_row_the_cursor_is_on(app, keys, opened):
    t = app
    first = table_rows(t)
    t.send(*keys)  # one write: as over SSH or from a fast typist
    title = t.wait_text(re.compile(rf"^ {opened} (\S+)/(\S+)", re.M))
    namespace, name = re.search(rf"^ {opened} (\S+)/(\S+)", title, re.M).groups()  # type: ignore[union-attr]
    moved = sum(1 for k in keys if k == "j")
    row = first[moved].split()
    assert row[0] == namespace and name.startswith(row[1].rstrip("…").split("…")[0])
    assert back_on_main(t) == (namespace, name)
