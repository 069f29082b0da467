"""The system clipboard, where there is one: the first of `wl-copy`, `xclip`, `xsel`, `pbcopy` on PATH that
takes the text. The text goes on stdin, never through a shell; each tool gets a few seconds."""

from __future__ import annotations

import shutil
import subprocess

#: The clipboard tools tried in turn, with the arguments that make each write the clipboard from stdin.
TOOLS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("wl-copy", ()),
    ("xclip", ("-selection", "clipboard")),
    ("xsel", ("-b", "-i")),
    ("pbcopy", ()),
)
TIMEOUT = 3.0  # seconds: a tool without a display to talk to fails fast; one that hangs is given up


def system_copy(text: str, tools: tuple[tuple[str, tuple[str, ...]], ...] = TOOLS, timeout: float = TIMEOUT) -> str | None:
    """Put `text` on the system clipboard; the name of the tool that did, or None when none could (none
    installed, or no display: a terminal over SSH)."""
    data = text.encode()
    for name, args in tools:
        path = shutil.which(name)
        if path is None:
            continue
        try:
            # no pipes for its output: xclip and wl-copy stay behind to serve the selection, and a pipe they
            # hold open would keep us waiting for them
            done = subprocess.run(
                [path, *args], input=data, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout, check=False
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0:
            return name
    return None
