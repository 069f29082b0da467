"""k8sdoctor's own log: a file in the user's state directory, never the terminal.

Bug reports attach it. Bearer tokens and other credentials are redacted before anything is written,
control characters are escaped (the log holds cluster text, and people `cat` it), one record is at most
`MAX_RECORD_CHARS`. The file is created 0600 in a 0700 directory: it may name clusters, users and objects.
Every logger writes here, the libraries' too (the kubernetes client reports a failing exec plugin
through the root logger, which would otherwise print `ERROR:root:` lines on the terminal).
`--debug` raises k8sdoctor's level from WARNING to DEBUG.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

_SECRETS = re.compile(r"(?i)(bearer\s+|authorization:\s*\S+\s+|token[\"']?\s*[:=]\s*[\"']?)([A-Za-z0-9._~+/=-]{8,})")
MAX_RECORD_CHARS = 16384


def log_path() -> Path:
    """The log file, created private (0600) if it is not there, made private if it was not."""
    from platformdirs import user_state_dir

    base = Path(os.environ.get("K8SDOCTOR_STATE_DIR") or user_state_dir("k8sdoctor"))
    base.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = base / "k8sdoctor.log"
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    return path


def redact(text: str) -> str:
    """Replace anything that looks like a bearer token or token value with [REDACTED]."""
    return _SECRETS.sub(lambda m: m.group(1) + "[REDACTED]", text)


class _RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        from k8sdoctor.sanitize import printable

        text = printable(redact(super().format(record)))
        return text if len(text) <= MAX_RECORD_CHARS else f"{text[:MAX_RECORD_CHARS]}… ({len(text) - MAX_RECORD_CHARS} more characters)"


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
    """Send every logger (k8sdoctor's, the libraries', the root) to the log file, created only when
    something is logged; nothing goes to the terminal."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _LogFileHandler)]:  # configured again: start afresh
        root.removeHandler(old)
    handler = _LogFileHandler()
    handler.setFormatter(_RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("k8sdoctor").setLevel(logging.DEBUG if debug else logging.WARNING)
