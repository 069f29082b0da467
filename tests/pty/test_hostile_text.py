"""Cluster text is tenant-controlled: escape sequences planted in events, pod names, labels, images,
annotations, waiting messages and logs, served by the local API server, must never reach the terminal
as sequences, on any screen (main, detail, events, describe, logs, debug confirm), nor through a toast
or the clipboard; they are shown as visible text instead."""

from __future__ import annotations

import base64
import re

import pytest

from k8sdoctor.demo.objects import container_status, event, node, pod, pod_status, waiting
from k8sdoctor.fakeapi import FakeApiServer
from k8sdoctor.sanitize import printable
from tests.pty.screens import main_screen_ready

NS = "evil"
OSC52 = "\x1b]52;c;SEVBQ0tFRA==\x1b\\"  # writes "HEACKED" to the operator's clipboard
OSC52_BEL = "\x1b]52;c;SEVBQ0tFRA==\x07"
TITLE = "\x1b]0;pwned\x07"
CSI = "\x1b[7777Z"
DCS = "\x1bP1$rPWNED\x1b\\"
C1_CSI = "\x9b6n"
BIDI, ZERO_WIDTH = "\u202e", "\u200b"
SECRET = f"db{OSC52}"
#: kubelet's wording for a missing Secret (pkg/kubelet/kuberuntime), as quoted in issue 17
WAITING = f'secret "{SECRET}" not found'
PLANTED = [b"\x1b]52;c;SEVBQ0tFRA", b"\x1b[7777Z", b"\x1bP1$r", b"\x1b]0;pwned", C1_CSI.encode()]


def hostile_objects() -> list[dict]:
    image = f"registry.example/app:1{OSC52_BEL}"
    bad = pod(
        NS,
        "hostile",
        containers=[{"name": "app", "image": image}],
        status=pod_status("Pending", [container_status("app", image, waiting("CreateContainerConfigError", WAITING), ready=False)]),
        node_name="worker-1",
        labels={"app": f"x{CSI}", "team": f"y{TITLE}"},
    )
    bad["metadata"]["annotations"] = {"note": f"see {DCS} and {C1_CSI}"}
    spoof = pod(
        NS,
        f"invoice{ZERO_WIDTH}-{BIDI}txt.exe",
        containers=[{"name": "app", "image": "nginx:1.27.2"}],
        status=pod_status("Pending", [container_status("app", "nginx:1.27.2", waiting("ImagePullBackOff", f"pull {BIDI}x"), ready=False)]),
        node_name="worker-1",
    )
    events = [
        event(bad, "Warning", f"Failed{OSC52}", f"Error: {WAITING} {CSI} {DCS} {C1_CSI}", count=5, component=f"kubelet{TITLE}"),
        event(spoof, "Warning", "BackOff", f"Back-off pulling image {ZERO_WIDTH}{BIDI}"),
    ]
    return [node("worker-1"), {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}}, bad, spoof, *events]


@pytest.fixture
def hostile(tmp_path):
    with FakeApiServer() as srv:
        srv.load_scenario({"objects": hostile_objects()})
        srv.set_logs(NS, "hostile", "app", [f"starting {OSC52}", f"line {CSI} {DCS}", f"c1 {C1_CSI}"])
        srv.kubeconfig = srv.write_kubeconfig(tmp_path / "kubeconfig", namespace=NS)
        yield srv


def back(t, title: str) -> None:
    """esc, and wait until the screen titled `title` is gone (a key sent right after ESC would be read
    as Alt+key, as a terminal does)."""
    t.send("escape")
    t.wait_gone(title)
    main_screen_ready(t)


def visit_every_screen(t) -> None:
    """Main screen (table, detail), c c (toast, clipboard), events (cursor on each event), describe
    (every page), logs, debug plan and its confirmation."""
    main_screen_ready(t)
    t.send("c", "c")  # the copy menu, its first command
    t.wait_text("Copied to the clipboard")
    t.send("e")
    t.wait_text("LAST SEEN")
    t.send("j")
    t.send("k")
    t.wait_text(re.compile(r"from kubelet"))
    back(t, "LAST SEEN")
    t.send("d")
    t.wait_text("describe pod evil/hostile")
    t.wait_text("Name:             hostile")  # read: now it can be scrolled
    t.send("G")
    t.wait_text("Events:")
    back(t, "describe pod evil/hostile")
    t.send("l")
    t.wait_text("logs evil/hostile")
    t.wait_text("The pod's events instead")
    back(t, "logs evil/hostile")
    t.send("x")
    t.wait_text("Enter: add")
    t.send("enter")
    t.wait_text("Send (y)")
    t.send("n")
    t.wait_text("Cancelled")
    back(t, "debug pod evil/hostile")


def test_no_escape_sequence_from_cluster_data_reaches_the_terminal(terminal, hostile):
    t = terminal("--kubeconfig", str(hostile.kubeconfig), cols=120, rows=35)
    visit_every_screen(t)
    raw = t.raw_since(0)
    for sequence in PLANTED:
        assert sequence not in raw, sequence
    # what the app itself copied (its own OSC 52, after `c`) holds no control character
    copied = [base64.b64decode(m).decode() for m in re.findall(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07", raw)]
    assert len(copied) == 1 and copied[0].startswith("kubectl -n evil ")
    assert not any(ch < " " or "\x7f" <= ch <= "\x9f" for ch in copied[0]), copied  # pasted into a shell later
    assert "db\x1b" not in copied[0]  # the planted name, if the command quotes it, only as visible text
    t.send("q")
    assert t.wait_exit() == 0


def test_planted_sequences_are_shown_as_visible_text(terminal, hostile):
    t = terminal("--kubeconfig", str(hostile.kubeconfig), cols=120, rows=35)
    main_screen_ready(t)
    t.wait_text("\\x1b]52;c;SEVBQ0tFRA==")  # in the detail: the waiting message, the image
    t.send("e")
    t.wait_text("LAST SEEN")
    t.send("j")
    t.wait_text("\\x1b[7777Z \\x1bP1$rPWNED\\x1b\\ \\x9b6n")  # the events view's line for the event under the cursor


def test_bidi_and_zero_width_characters_are_shown_not_obeyed(terminal, hostile):
    t = terminal("--kubeconfig", str(hostile.kubeconfig), cols=120, rows=35)
    visit_every_screen(t)
    raw = t.raw_since(0)
    assert BIDI.encode() not in raw and ZERO_WIDTH.encode() not in raw
    t.send("/")
    t.type_text("invoice")
    t.send("enter")
    t.wait_text(printable(f"invoice{ZERO_WIDTH}-{BIDI}txt.exe"))
