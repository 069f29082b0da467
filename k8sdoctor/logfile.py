"""k8sdoctor's own log: a file in the user's state directory, never the terminal.

Bug reports attach it. Bearer tokens and other credentials are redacted before anything is written.
`--debug` raises the level from WARNING to DEBUG.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

_SECRETS = re.compile(r"(?i)(bearer\s+|authorization:\s*\S+\s+|token[\"']?\s*[:=]\s*[\"']?)([A-Za-z0-9._~+/=-]{8,})")


def log_path() -> Path:
    from platformdirs import user_state_dir

    base = Path(os.environ.get("K8SDOCTOR_STATE_DIR") or user_state_dir("k8sdoctor"))
    base.mkdir(parents=True, exist_ok=True)
    return base / "k8sdoctor.log"


def redact(text: str) -> str:
    """Replace anything that looks like a bearer token or token value with [REDACTED]."""
    return _SECRETS.sub(lambda m: m.group(1) + "[REDACTED]", text)


class _RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class _LogFileHandler(logging.Handler):
    """Opens the log file (and finds the state dir) only when the first record arrives."""

    def __init__(self) -> None:
        super().__init__()
        self._file: logging.FileHandler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self._file is None:
            self._file = logging.FileHandler(log_path(), encoding="utf-8")
            self._file.setFormatter(self.formatter)
        self._file.emit(record)


def configure_logging(debug: bool) -> None:
    """Send the `k8sdoctor` logger to the log file (created only when something is logged)."""
    logger = logging.getLogger("k8sdoctor")
    if logger.handlers:
        return
    handler = _LogFileHandler()
    handler.setFormatter(_RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if debug else logging.WARNING)
    logger.propagate = False
