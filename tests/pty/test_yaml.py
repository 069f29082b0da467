"""`y` in a real terminal: the pod's YAML as kubectl prints it, the cited field, search, managedFields, and
back to the pods, at 80x24 and 120x35."""

from __future__ import annotations

import re

import pytest

from tests.pty.conftest import LARGE, SMALL
from tests.pty.screens import main_screen_ready, selected_pod

KAFDROP = ("shop", "kafdrop-dhkfzbqsvm-dfxdq")


def select(t, name: str) -> None:
    t.send("/")
    t.type_text(name)
    t.send("enter")
    t.wait(lambda term: (selected_pod(term) or ("", ""))[1] == name, f"{name} selected")


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x35"])
def test_y_shows_the_pods_yaml_searchable_with_the_cited_fields(terminal, demo_cluster, size):
    t = terminal("--kubeconfig", str(demo_cluster.kubeconfig), "-A", cols=size[0], rows=size[1])
    main_screen_ready(t)
    select(t, KAFDROP[1])
    t.send("y")
    t.wait_text(f"yaml pod {KAFDROP[0]}/{KAFDROP[1]}")
    t.wait_text("apiVersion: v1")
    t.send("?")
    t.wait_text("show / hide metadata.managedFields")  # the YAML screen's own keys
    t.send("escape")
    t.wait_gone("show / hide metadata.managedFields")
    t.send("c")  # the first field the diagnosis cites: the image that cannot be pulled
    t.wait(lambda term: term.lines()[-2].startswith(" ✖ "), "the cited finding in the status line")
    assert any(re.match(r"✖ +(- )?image: ", line) for line in t.lines()), t.text()
    t.send("/")
    t.type_text("kafdrop")
    t.send("enter")
    found = re.search(r"/kafdrop: (\d+) of (\d+)", t.wait_text(re.compile(r"/kafdrop: \d+ of \d+")))
    assert found is not None
    t.send("n")  # the next match, wrapping around
    t.wait_text(f"/kafdrop: {int(found[1]) % int(found[2]) + 1} of {found[2]}")
    t.send("G")
    t.wait_text("startTime:")  # the last key of status: the bottom is reached
    t.send("m")
    t.wait_text("No managedFields to show")
    t.send("q")
    main_screen_ready(t)
    assert selected_pod(t) == KAFDROP
    t.send("q")
    assert t.wait_exit() == 0
