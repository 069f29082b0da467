"""The selected pod's detail in a real terminal: commands whole (never wrapped), quotes barred on every
wrapped line, and `c c` copying the whole command."""

from __future__ import annotations

import base64
import re

from tests.pty.screens import main_screen_ready, selected_pod

KAFDROP = ("shop", "kafdrop-dhkfzbqsvm-dfxdq")
FIRST_COMMAND = (
    "kubectl -n shop create secret docker-registry regcred --docker-server=https://index.docker.io/v1/ "
    "--docker-username=USER --docker-password=TOKEN"
)


def osc52(raw: bytes) -> list[str]:
    """What the program asked the terminal to put on the clipboard (OSC 52)."""
    return [base64.b64decode(m).decode() for m in re.findall(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)(?:\x07|\x1b\\)", raw)]


def test_a_long_command_is_whole_on_its_line_and_c_c_copies_it_whole(terminal, demo_cluster):
    t = terminal("--kubeconfig", str(demo_cluster.kubeconfig), "-A", cols=80, rows=24)
    main_screen_ready(t)
    t.send("/")
    t.type_text("kafdrop")
    t.send("enter")
    t.wait(lambda term: selected_pod(term) == KAFDROP, "kafdrop selected")
    mark = t.mark()
    t.send("c", "c")  # the copy menu, its first command
    t.wait_text("Copied to the clipboard")
    assert osc52(t.raw_since(mark)) == [FIRST_COMMAND]
    t.wait_gone("Copied to the clipboard")
    t.send("enter")  # zoom the detail; it has the focus and scrolls
    t.wait_text("Evidence")
    screen = t.wait_text("$ kubectl -n shop create secret", timeout=5) if "$ kubectl -n shop create" in t.text() else None
    for _ in range(10):
        if screen is not None:
            break
        t.send("pagedown")
        try:
            screen = t.wait_text("$ kubectl -n shop create secret", timeout=3)
        except AssertionError:
            screen = None
    assert screen is not None
    lines = screen.split("\n")
    y = next(i for i, line in enumerate(lines) if "$ kubectl -n shop create secret" in line)
    assert "--docker-password=TOKEN" not in lines[y + 1] and "--docker-username" not in lines[y + 1]  # not wrapped
    shown = lines[y].split("$ ", 1)[1].rstrip(" ▌▐█▆▅▃▂▁")
    assert FIRST_COMMAND.startswith(shown) and len(shown) >= 60  # its start, up to the pane's edge
