"""Finding and reading playbook files: built-in ones, the user config dir, and `--playbooks DIR`.

User playbooks add to the built-in ones, replace one by using its id, or add causes to one family with
`extends: ID`. A malformed file is reported as one line naming the file, the field and the reason. With `strict=False` (the TUI), a bad user file
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
from k8sdoctor.core.playbooks.model import Playbook, PlaybookSpecError, build_playbook, extend_playbook
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
        if validated.get("extends"):
            extend_playbook(_builtin_base(validated["extends"], where), validated, str(path))
        else:
            build_playbook(validated, str(path))  # compile errors are file errors too
    except PlaybookSpecError as exc:
        raise PlaybookError(f"playbook {where}: {exc}") from None
    return validated


def _builtin_base(family: str, where: str) -> Playbook:
    """The built-in family an `extends:` file names (to check that its causes compile against it)."""
    cache = _Cache()
    for path in playbook_paths(builtin_dir()):
        data = cache.validated(path)
        if data.get("id") == family:
            return build_playbook(data, str(path), True, trusted=True)
    raise PlaybookError(f"playbook {where}: extends: no built-in playbook has the id {family!r}")


def read_playbook(path: Path, bases: dict[str, Playbook] | None = None) -> Playbook:
    """Validate and compile one playbook file (no cache). A file that extends a family comes back as that
    family (from `bases`, else the built-ins) with its causes and examples added."""
    data = validate_file(path)
    if data.get("extends"):
        base = (bases or {}).get(data["extends"]) or _builtin_base(data["extends"], _display(path))
        return _extend(base, data, path)
    return build_playbook(data, str(path))


def read_playbook_id(path: Path) -> str:
    """The id a playbook file declares (validated)."""
    return str(validate_file(path)["id"])


def _extend(base: Playbook, data: dict, path: Path) -> Playbook:
    try:
        return extend_playbook(base, data, str(path))
    except PlaybookSpecError as exc:
        raise PlaybookError(f"playbook {_display(path)}: {exc}") from None


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

    def playbook(self, path: Path, builtin: bool = False) -> Playbook | dict:
        """The compiled playbook, or the validated data of one that extends a family (compiled once the
        family is known); a cache entry that no longer compiles is validated again from the file."""
        try:
            data = self.validated(path)
            return data if data.get("extends") else build_playbook(data, str(path), builtin, trusted=True)
        except (KeyError, TypeError, ValueError):
            self.entries.pop(str(path.resolve()), None)
            data = self.validated(path)
            return data if data.get("extends") else build_playbook(data, str(path), builtin, trusted=True)

    def save(self) -> None:
        """Write the cache when an entry changed, without the entries of files that are gone (an old
        install, a removed playbook): the cache is read whole at every start."""
        if not self.dirty:
            return
        self.entries = {key: entry for key, entry in self.entries.items() if os.path.isfile(key)}
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
    extensions: list[tuple[Path, dict]] = []
    for path in playbook_paths(builtin_dir()):
        pb = cache.playbook(path, builtin=True)
        assert isinstance(pb, Playbook), f"built-in {path} extends a family"
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
            if isinstance(pb, dict):
                extensions.append((path, pb))
            else:
                by_id[pb.id] = pb
    cache.save()
    for path, data in extensions:
        try:
            base = by_id.get(data["extends"])
            if base is None:
                raise PlaybookError(f"playbook {_display(path)}: extends: no playbook has the id {data['extends']!r}")
            by_id[base.id] = _extend(base, data, path)
        except PlaybookError as exc:
            if strict:
                raise
            errors.append(f"{exc} (skipped; built-in playbooks stay in force)")
    return PlaybookSet(list(by_id.values()), errors)
