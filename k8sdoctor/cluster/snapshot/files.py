"""Reading snapshot files and directories; OS errors become a BadInput naming the place."""

from __future__ import annotations

import os

from .problems import BadInput


def read_file(path: str, where: str) -> bytes:
    """All the bytes of a file (pipes such as <(kubectl get ...) included), read once."""
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as err:
        raise BadInput(where, _reason(err)) from None


def subdirectories(path: str, where: str) -> list[str]:
    """Names of the directories in `path`, sorted."""
    try:
        with os.scandir(path) as entries:
            return sorted(entry.name for entry in entries if entry.is_dir())
    except OSError as err:
        raise BadInput(where, _reason(err)) from None


def regular_files(path: str, where: str) -> list[str]:
    """Names of the regular files in `path` (links not followed), sorted."""
    try:
        with os.scandir(path) as entries:
            return sorted(entry.name for entry in entries if entry.is_file(follow_symlinks=False))
    except OSError as err:
        raise BadInput(where, _reason(err)) from None


def _reason(err: OSError) -> str:
    return (err.strerror or type(err).__name__).lower()
