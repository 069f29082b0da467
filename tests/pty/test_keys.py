"""Every key of every screen, in a real terminal, on the demo cluster served by the test.

After esc the test waits for the screen to change before the next key: a terminal sends Alt+X as ESC X,
so ESC and a key in one burst are one keystroke, as they would be for a user."""

from __future__ import annotations

import re

import pytest

from tests.pty.screens import header_row, main_screen_ready, selected_pod, table_rows

KAFDROP = ("shop", "kafdrop-dhkfzbqsvm-dfxdq")


@pytest.fixture
def app(terminal, demo_cluster):
    t = terminal("--kubeconfig", str(demo_cluster.kubeconfig), "-A", cols=120, rows=35)
    main_screen_ready(t)
    return t


def select(t, name: str) -> None:
    t.send("/")
    t.type_text(name)
    t.send("enter")
    t.wait(lambda term: (selected_pod(term) or ("", ""))[1] == name, f"{name} selected")


def test_moving_zooming_sorting_and_problems_only(app):
    t = app
    first = selected_pod(t)
    t.send("j")
    t.wait(lambda term: selected_pod(term) not in (None, first), "the next pod")
    t.send("k")
    t.wait(lambda term: selected_pod(term) == first, "back on the first pod")
    t.send("G")
    t.wait(lambda term: selected_pod(term) not in (None, first), "the last pod")
    t.send("g")
    t.wait(lambda term: selected_pod(term) == first, "the first pod again")
    columns = t.lines()[header_row(t) or 0]
    t.send("enter")  # zoom: the detail alone
    t.wait(lambda term: "NAMESPACE" not in term.text(), "the zoomed detail")
    t.send("escape")
    t.wait_text("NAMESPACE")
    assert t.lines()[header_row(t) or 0] == columns  # the column widths do not jump after zooming
    t.send("o")
    t.wait_text("[by name]")
    t.send("o", "o", "o")
    t.wait_gone("[most restarts]")
    t.send("ctrl+z")
    t.wait_text("[problems only]")
    # The header can be painted a frame before the rows: wait for the table, then hold it to the rule.
    t.wait(lambda term: table_rows(term) and all("✖" in row or "▲" in row for row in table_rows(term)), "problem rows only")
    t.send("ctrl+z")
    t.wait_gone("[problems only]")


def test_O_sorts_by_a_column_with_its_mark_and_again_reverses(terminal, demo_cluster):
    """At 160 columns RESTARTS has room (narrower, it gives way to whole names and the order is named in
    the header's state only)."""
    t = terminal("--kubeconfig", str(demo_cluster.kubeconfig), "-A", cols=160, rows=40)
    main_screen_ready(t)
    t.send("O", "5")  # RESTARTS, the most first; in one burst, as a fast typist or SSH sends it
    t.wait_text("[by RESTARTS ▼]")
    assert "RESTARTS ▼" in t.lines()[header_row(t) or 0]

    def restarts() -> list[int]:
        cells = [re.search(r"\s(\d+)(?: \([^)]*\))?\s+\d+[smhd]", row) for row in table_rows(t)]
        return [int(m.group(1)) for m in cells if m]

    counts = t.wait(lambda term: (c := restarts()) and len(c) > 5 and c == sorted(c, reverse=True) and c, "the most restarts first")
    assert counts[0] > 0  # type: ignore[index]
    t.send("O")
    t.wait_text("▼ now: again for ▲")
    t.send("5")  # again: the fewest first
    t.wait_text("[by RESTARTS ▲]")
    t.wait(lambda term: restarts() and restarts() == sorted(restarts()), "the fewest restarts first")
    t.send("O")
    t.wait_text("Sort the pods by")
    t.send("2")  # NAME ascending
    t.wait_text("[by NAME ▲]")
    header = t.lines()[header_row(t) or 0]
    assert "NAME ▲" in header and "RESTARTS ▲" not in header
    t.send("o")  # the usual orders again: no mark
    t.wait_gone("NAME ▲")


def test_the_filter_finds_by_node_and_esc_clears_it(app, demo_cluster):
    t = app
    on_worker_2 = {p["metadata"]["name"] for p in demo_cluster.server.list("Pod") if p["spec"].get("nodeName") == "worker-2"}
    t.send("/")
    t.type_text("worker-2")
    t.send("enter")
    t.wait(lambda term: {r.split()[1] for r in table_rows(term)} <= on_worker_2 and table_rows(term), "only pods on worker-2")
    t.send("escape")
    t.wait(lambda term: len(table_rows(term)) > len(on_worker_2), "every pod again")


def test_keys_that_cannot_act_say_why(app):
    t = app
    t.send("s")  # the first pod's one container never started
    t.wait_text("No container of aegis-workload-demo is")


def test_help_palette_theme_and_focus_after_modals(app):
    t = app
    t.send("?")
    t.wait_text("On the selected pod")
    t.send("escape")
    t.wait_gone("On the selected pod")
    t.send("n")  # the table has the keys again (not a hidden filter)
    t.wait_text("type to filter")
    t.send("escape")
    t.wait_gone("type to filter")
    t.send("ctrl+p")
    t.type_text("describe")
    t.wait_text("Describe pod")
    t.send("escape")
    t.wait_gone("Describe pod")
    t.send("n")
    t.wait_text("type to filter")
    t.send("escape")
    t.wait_gone("type to filter")
    t.send("C")
    t.wait_text("Context: type to filter")
    t.send("escape")
    t.wait_gone("Context: type to filter")
    t.send("r")
    t.wait_text("● live")
    t.send("ctrl+t")  # light theme: the screen is redrawn, still readable
    t.wait_text("Diagnosis")


def test_describe_keys(app):
    t = app
    select(t, KAFDROP[1])
    t.send("d")
    t.wait_text(f"describe pod {KAFDROP[0]}/{KAFDROP[1]}")
    t.send("?")
    t.wait_text("next / previous field the diagnosis cites")  # describe's own keys
    t.send("escape")
    t.wait_gone("next / previous field the diagnosis cites")
    t.send("c")
    t.wait_text(re.compile(r"✖ .*: "))  # the status line names the cited finding
    t.send("G")
    t.wait_text("Events:")
    t.wait_text("Error: ErrImagePull")  # the last line: the bottom is reached
    t.send("g")
    t.wait_text("Name:             kafdrop")
    t.send("]")
    t.wait_gone("Name:             kafdrop")
    t.send("/")
    t.type_text("Pull")
    t.send("enter")
    t.wait_text(re.compile(r"Pull: 1 of \d+"))
    t.send("n")
    t.wait_text(re.compile(r"Pull: 2 of \d+"))
    t.send("r")  # read again: the search stays
    t.wait_text("describe pod shop/kafdrop")
    t.wait_text("/Pull:")
    t.send("q")
    main_screen_ready(t)


def test_logs_keys(app):
    t = app
    select(t, "kestra-7sx7k2s4th-bvjlm")
    t.send("l")
    t.wait_text("logs shop/kestra-7sx7k2s4th-bvjlm · container kestra")
    t.send("?")
    t.wait_text("follow new lines")  # the logs screen's own keys
    t.send("escape")
    t.wait_gone("follow new lines")
    t.send("p")
    t.wait_text("(previous run)")
    t.send("e")
    t.wait_text("quoted by the diagnosis")
    t.send("w")
    t.wait_text("· wrap")
    t.send("t")
    t.wait_text("· timestamps")
    t.send("s")
    t.wait_text("autoscroll off")
    t.send("c")
    t.wait_text("The pod has one container (kestra): no other to show.")
    t.send("/")
    t.type_text("Connection")
    t.send("enter")
    t.wait_text(re.compile(r"Connection: 1 of \d+"))
    t.send("G")
    t.send("g")
    t.send("p")  # back to the current run, which can be followed
    t.wait_gone("(previous run)")
    t.send("f")
    t.wait_text(re.compile(r"following|stream ended"))
    t.send("q")
    main_screen_ready(t)


def test_events_keys(app):
    t = app
    t.send("e")
    t.wait_text("LAST SEEN")
    t.send("?")
    t.wait_text("go to the pod the event is about")
    t.send("escape")
    t.wait_gone("go to the pod the event is about")
    t.send("w")
    t.wait_text("[warnings only]")
    t.send("/")
    t.type_text("toomanyrequests")
    t.send("enter")
    t.wait_text("[filter: toomanyrequests]")
    t.wait_text(f"pod/{KAFDROP[1]}")
    t.send("enter")  # the event's pod, selected on the main screen
    t.wait(lambda term: selected_pod(term) == KAFDROP, "kafdrop selected from its event")


def test_debug_screen_keys(app):
    t = app
    t.send("x")
    t.wait_text("Enter: add")
    t.send("?")
    t.wait_text("attached to its shell")
    t.send("escape")
    t.wait_gone("attached to its shell")
    t.send("enter")
    t.wait_text("Send (y)")
    t.send("n")
    t.wait_text("Cancelled: nothing was sent")
    t.send("q")
    main_screen_ready(t)


def test_events_view_filter_and_enter_opens_the_pod(app):
    t = app
    t.send("e")
    t.wait_text("Warnings only")  # the events view's footer
    t.send("/")
    t.type_text("memory-demo-2")
    t.send("enter")
    t.wait(lambda term: set(re.findall(r"\s(\w+/[\w.-]+)\s", term.text())) == {"pod/memory-demo-2"}, "only memory-demo-2's events")
    t.send("enter")  # the pod of the event under the cursor, on the main screen
    t.wait(lambda term: selected_pod(term) == ("mem-example", "memory-demo-2"), "memory-demo-2 selected on the main screen")
    t.wait_text(re.compile(r"\d+ pods · \d+ problems"))
