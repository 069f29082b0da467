"""The system clipboard: the first tool on PATH that takes the text, given on stdin with its arguments.

The tools here are small scripts named as the real ones, on a PATH of the test's own: the real ones need a
display (X11, Wayland) or macOS, which a test machine does not have. They record what they were given."""

from __future__ import annotations

import os
import stat
import time

from k8sdoctor.actions.clipboard import TOOLS, system_copy


def tool(directory, name: str, body: str) -> None:
    path = directory / name
    path.write_text(f"#!/bin/sh\nPATH=/usr/bin:/bin\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def recorder(directory, name: str) -> None:
    """A tool that keeps its arguments and stdin next to itself, and succeeds."""
    tool(directory, name, f'echo "$@" > "{directory}/{name}.args"; cat > "{directory}/{name}.stdin"')


def test_the_first_tool_on_path_gets_the_text_on_stdin(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    recorder(tmp_path, "xclip")
    recorder(tmp_path, "pbcopy")
    text = "kubectl -n shop rollout restart deployment/web; echo 'quoted' $HOME"  # no shell reads it
    assert system_copy(text) == "xclip"
    assert (tmp_path / "xclip.stdin").read_text() == text
    assert (tmp_path / "xclip.args").read_text().split() == ["-selection", "clipboard"]
    assert not (tmp_path / "pbcopy.stdin").exists()


def test_a_tool_that_fails_or_hangs_is_passed_over(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    tool(tmp_path, "wl-copy", 'echo "Failed to connect to a Wayland server" >&2; exit 1')
    tool(tmp_path, "xclip", "exec sleep 30")
    recorder(tmp_path, "xsel")
    started = time.monotonic()
    assert system_copy("web", timeout=0.5) == "xsel"
    assert time.monotonic() - started < 10
    assert (tmp_path / "xsel.args").read_text().split() == ["-b", "-i"]


def test_no_tool_no_clipboard(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert system_copy("web") is None
    assert [name for name, _ in TOOLS] == ["wl-copy", "xclip", "xsel", "pbcopy"]
    assert os.listdir(tmp_path) == []
