"""The one boundary between cluster text and the TUI.

Every TUI module that puts text on screen takes its sanitising from here (a test checks that none
imports `k8sdoctor.sanitize` directly), and the app's own entry points that reach the terminal outside
any widget go through it too: `DoctorApp.notify` (toasts: message and title), `copy_to_clipboard`
(OSC 52: the copied text is what gets pasted into a shell later) and the title. The widgets that draw
most cluster text sanitise at their drawing point: every table cell (`VirtualTable`) and every line of
the describe and logs views (`LinesView`). So a widget added later cannot forget.

What "safe" means is `k8sdoctor.sanitize`'s business: control characters, escape sequences, bidi
overrides and zero-width characters are shown as visible escapes, never sent to the terminal.
"""

from __future__ import annotations

from k8sdoctor import sanitize


def printable(text: object) -> str:
    """Cluster text for a multi-line widget: visible escapes for anything a terminal would act on."""
    return sanitize.printable(text if isinstance(text, str) else "" if text is None else str(text))


def one_line(text: object) -> str:
    """Cluster text for a single line (a cell, a title, a status line): also newlines and tabs escaped."""
    return sanitize.one_line(text if isinstance(text, str) else "" if text is None else str(text))
