"""`c` in a real terminal: the copy menu, a choice typed after it, the text the terminal is asked to put
on its clipboard (OSC 52), the system clipboard tool given the same text, and the notification saying
which clipboards took it.

The system clipboard tool is a script named `xclip` on the program's PATH that keeps what it is given:
the real xclip needs an X display, which a test machine does not have."""

from __future__ import annotations

import stat

import pytest

from tests.pty.screens import main_screen_ready, selected_pod
from tests.pty.test_detail import FIRST_COMMAND, KAFDROP, osc52


def start_on_kafdrop(terminal, demo_cluster, path) -> object:
    t = terminal("--kubeconfig", str(demo_cluster.kubeconfig), "-A", env={"PATH": str(path)})
    main_screen_ready(t)
    t.send("/")
    t.type_text("kafdrop")
    t.send("enter")
    t.wait(lambda term: selected_pod(term) == KAFDROP, "kafdrop selected")
    return t


def recording_xclip(directory) -> None:
    script = directory / "xclip"
    script.write_text(f'#!/bin/sh\nPATH=/usr/bin:/bin\necho "$@" > "{directory}/args"\ncat > "{directory}/copied"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


def test_c_opens_the_menu_and_n_copies_namespace_and_name_by_osc52_and_xclip(terminal, demo_cluster, tmp_path):
    recording_xclip(tmp_path)
    t = start_on_kafdrop(terminal, demo_cluster, tmp_path)
    t.send("c")
    t.wait_text(f"Copy from {KAFDROP[0]}/{KAFDROP[1]}")
    t.wait_text("top finding as Markdown")
    mark = t.mark()
    t.send("N")
    t.wait_text("OSC 52 and xclip")
    expected = f"{KAFDROP[0]}/{KAFDROP[1]}"
    assert osc52(t.raw_since(mark)) == [expected]
    assert (tmp_path / "copied").read_text() == expected
    assert (tmp_path / "args").read_text().split() == ["-selection", "clipboard"]
    t.wait_gone("Copy from")


@pytest.mark.parametrize(
    ("keys", "first_line"),
    [(("c", "c"), FIRST_COMMAND), (("c", "m"), f"## {KAFDROP[0]}/{KAFDROP[1]} (")],
    ids=["cc-top-command", "cm-markdown"],
)
def test_a_burst_after_c_copies_that_choice_by_osc52_only_without_a_clipboard_tool(terminal, demo_cluster, tmp_path, keys, first_line):
    t = start_on_kafdrop(terminal, demo_cluster, tmp_path)  # no clipboard tool on PATH
    mark = t.mark()
    t.send(*keys)  # one write: the menu is up before the choice is read
    t.wait_text("OSC 52 only: your terminal must allow it")
    (copied,) = osc52(t.raw_since(mark))
    assert copied.split("\n")[0].startswith(first_line)  # the Markdown heading: the pod, then its status
    if keys[1] == "m":
        assert "Evidence:" in copied and "Next steps:" in copied and FIRST_COMMAND in copied
