"""Choosing where to look, in a real terminal: a namespace that does not exist is said to be missing
(with the closest names), in the `n` picker and when started on it."""

from __future__ import annotations

import re

from tests.pty.screens import main_screen_ready


def test_the_namespace_picker_refuses_a_typo_and_names_the_closest(terminal, demo_cluster):
    t = terminal("--kubeconfig", str(demo_cluster.kubeconfig), "-A")
    main_screen_ready(t)
    t.send("n")
    t.wait_text("type to filter · enter: choose · esc: cancel")  # the picker's title whole
    t.wait_text(re.compile(r"│  storage +│"))  # the namespaces are listed (the last one)
    t.type_text("observabilty")
    t.wait_gone("│  storage")
    t.send("enter")
    t.wait_text('Namespace "observabilty" does not exist.')  # the picker stays, and says so
    t.wait_text(re.compile(r"Did you mean\s.*observability\?", re.S))
    t.send("escape")
    t.wait_gone("does not exist")
    t.send("n")
    t.wait_text(re.compile(r"│  storage +│"))
    t.type_text("observability")
    t.wait_gone("│  storage")
    t.send("enter")
    t.wait_text("ns observability")
    t.wait_text("loki-4hk5xk6tsn-5g5rr")


def test_started_on_a_namespace_that_does_not_exist(terminal, demo_cluster):
    t = terminal("--kubeconfig", str(demo_cluster.kubeconfig), "-n", "observabilty", cols=80, rows=24)
    t.wait_text('Namespace "observabilty" does not exist.')
    t.wait_text("Did you mean observability?")
    assert "no problems" not in t.text()  # an empty namespace that does not exist is not "all clear"
