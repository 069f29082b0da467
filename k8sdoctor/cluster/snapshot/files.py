"""Reading snapshot files and directories; OS errors become a BadInput naming the place.

A snapshot is parsed whole, and its objects take several times its size in memory, so its size is
checked before it is read: beyond `MAX_SNAPSHOT_BYTES` (a file, or a dump directory's files together)
it is refused with one line. A pipe, whose size is not known ahead, is read up to that bound.
"""

from __future__ import annotations

import os

from .problems import BadInput

MAX_SNAPSHOT_BYTES = 1 << 30  # 50,000 pods with their events are about 620 MB (bench/README.md)


def too_large(size: int) -> str:
    return (
        f"is {size / (1 << 20):.0f} MiB; snapshots up to {MAX_SNAPSHOT_BYTES >> 20} MiB are read "
        "(save fewer namespaces, or one with kubectl get -n)"
    )


def read_file(path: str, where: str, budget: int = MAX_SNAPSHOT_BYTES) -> bytes:
    """All the bytes of a file (pipes such as <(kubectl get ...) included), read once, at most `budget`."""
    try:
        with open(path, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            if size > budget:
                raise BadInput(where, too_large(size))
            data = file.read(budget + 1)
    except OSError as err:
        raise BadInput(where, _reason(err)) from None
    if len(data) > budget:
        raise BadInput(where, f"is larger than {budget >> 20} MiB; snapshots up to {MAX_SNAPSHOT_BYTES >> 20} MiB are read")
    return data


def total_size(root: str, relative_paths: list[str]) -> int:
    """Bytes of these files together (as stat reports them, without reading them)."""
    total = 0
    for relative in relative_paths:
        try:
            total += os.stat(os.path.join(root, relative)).st_size
        except OSError:
            continue
    return total


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
