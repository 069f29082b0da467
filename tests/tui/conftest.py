"""TUI tests: no cursor blink, no animations, a fixed clock (see helpers)."""

from __future__ import annotations

import os

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
