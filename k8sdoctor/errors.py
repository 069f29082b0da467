"""Errors that reach the user as one clear message and exit code 2 (never a traceback)."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or an unusable environment: missing kubeconfig, unreachable API, malformed file...

    `str(err)` is what the user is shown: one line, or, when it carries the API server's own message
    (a webhook's denial and its reasons), as many lines as that has. `exit_code` follows diff(1): 2
    means trouble.
    """

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


class UsageError(UserError):
    """The command line asks for something k8sdoctor does not do (an unknown kind, a missing name)."""


class SnapshotError(UserError):
    """A snapshot file or directory could not be read: says the path, where, and why."""


class PlaybookError(UserError):
    """A playbook is malformed: says the file, the field and why."""


class ClusterError(UserError):
    """The API server could not be reached, refused us, or timed out."""


class NotFoundError(UserError):
    """A named object does not exist; `suggestions` holds close names."""

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.suggestions = suggestions or []
