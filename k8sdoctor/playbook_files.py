"""Finding and reading playbook files: built-in ones, the user config dir, and `--playbooks DIR`.

User playbooks add to the built-in ones, or replace one by using its id. A malformed file is reported
as one line naming the file, the field and the reason. With `strict=False` (the TUI), a bad user file
is reported and skipped, and the built-in playbook it meant to override stays in force.

Validated playbooks are cached (JSON, in the user cache dir) by path, size and modification time, so a
start with unchanged files parses no YAML and imports no pydantic: only the fast compile step runs.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from k8sdoctor import __version__
from k8sdoctor.core.playbooks.model import Playbook, PlaybookSpecError, build_playbook
from k8sdoctor.errors import PlaybookError

MAX_PLAYBOOK_BYTES = 1_000_000
log = logging.getLogger("k8sdoctor.playbooks")


def builtin_dir() -> Path:
    """Where the built-in playbooks are: packaged in the wheel, or `playbooks/` in a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "_builtin_playbooks"
    return packaged if packaged.is_dir() else here.parent / "playbooks"


def user_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("k8sdoctor")) / "playbooks"


def cache_path() -> Path:
    from platformdirs import user_cache_dir

    base = os.environ.get("K8SDOCTOR_CACHE_DIR") or user_cache_dir("k8sdoctor")
    return Path(base) / f"playbooks-{__version__}.json"


def _display(path: Path) -> str:
    """Relative to the current directory when the file is under it, else absolute."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path.resolve()) if rel.startswith("..") else rel


def validate_file(path: Path) -> dict:
    """Parse and validate one playbook file; raise PlaybookError ("FILE: FIELD: REASON") if malformed."""
    import yaml

    from k8sdoctor.core.playbooks.schema import validate_playbook

    where = _display(path)
    try:
        size = path.stat().st_size
        if size > MAX_PLAYBOOK_BYTES:
            raise PlaybookError(f"playbook {where}: file is {size} bytes; the limit is {MAX_PLAYBOOK_BYTES}")
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PlaybookError(f"playbook {where}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise PlaybookError(f"playbook {where}: not UTF-8 text") from None
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PlaybookError(f"playbook {where}: invalid YAML{at}: {problem}") from None
    try:
        validated = validate_playbook(data)
        build_playbook(validated, str(path))  # compile errors are file errors too
    except PlaybookSpecError as exc:
        raise PlaybookError(f"playbook {where}: {exc}") from None
    return validated


def read_playbook(path: Path, builtin: bool = False) -> Playbook:
    """Validate and compile one playbook file (no cache)."""
    return build_playbook(validate_file(path), str(path), builtin)


def playbook_paths(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


class _Cache:
    """Validated playbook data by file, valid while the file's size and mtime are unchanged."""

    def __init__(self) -> None:
        import orjson

        self._orjson = orjson
        self.path = cache_path()
        try:
            self.entries: dict = orjson.loads(self.path.read_bytes())
        except (OSError, ValueError):
            self.entries = {}
        self.dirty = False

    @staticmethod
    def _stamp(path: Path) -> list:
        st = path.stat()
        return [st.st_size, st.st_mtime_ns]

    def validated(self, path: Path) -> dict:
        key = str(path.resolve())
        stamp = self._stamp(path)
        entry = self.entries.get(key)
        if isinstance(entry, dict) and entry.get("stamp") == stamp and isinstance(entry.get("data"), dict):
            return entry["data"]
        data = validate_file(path)
        self.entries[key] = {"stamp": stamp, "data": data}
        self.dirty = True
        return data

    def playbook(self, path: Path, builtin: bool = False) -> Playbook:
        """The compiled playbook; a cache entry that no longer compiles is validated again from the file."""
        try:
            return build_playbook(self.validated(path), str(path), builtin, trusted=True)
        except (KeyError, TypeError, ValueError):
            self.entries.pop(str(path.resolve()), None)
            return build_playbook(self.validated(path), str(path), builtin, trusted=True)

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(self._orjson.dumps(self.entries))
            tmp.replace(self.path)
        except OSError as exc:  # a read-only home: run without the cache
            log.info("playbook cache not written: %s", exc)


@dataclass
class PlaybookSet:
    playbooks: list[Playbook]
    errors: list[str] = field(default_factory=list)  # only with strict=False


def load_playbooks(extra_dirs: list[str] | None = None, *, use_user_dir: bool = True, strict: bool = True) -> PlaybookSet:
    """Built-in playbooks, then the user config dir, then each `--playbooks DIR`; later ids override."""
    cache = _Cache()
    by_id: dict[str, Playbook] = {}
    for path in playbook_paths(builtin_dir()):
        pb = cache.playbook(path, builtin=True)
        by_id[pb.id] = pb
    errors: list[str] = []
    dirs: list[Path] = []
    if use_user_dir and user_dir().is_dir():
        dirs.append(user_dir())
    for extra in extra_dirs or []:
        p = Path(extra)
        if not p.is_dir():
            raise PlaybookError(f"--playbooks {extra}: not a directory")
        dirs.append(p)
    for d in dirs:
        for path in playbook_paths(d):
            try:
                pb = cache.playbook(path)
            except PlaybookError as exc:
                if strict:
                    cache.save()
                    raise
                errors.append(f"{exc} (skipped; built-in playbooks stay in force)")
                continue
            by_id[pb.id] = pb
    cache.save()
    return PlaybookSet(list(by_id.values()), errors)
