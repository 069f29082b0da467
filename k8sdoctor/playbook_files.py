"""Finding and reading playbook files: built-in ones, the user config dir, and `--playbooks DIR`.

User playbooks add to the built-in ones, or replace one by using its id. A malformed file is reported
as one line naming the file, the field and the reason. With `strict=False` (the TUI), a bad user file
is reported and skipped, and the built-in playbook it meant to override stays in force.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from k8sdoctor.core.playbook import Playbook, PlaybookSpecError, compile_playbook
from k8sdoctor.errors import PlaybookError

MAX_PLAYBOOK_BYTES = 1_000_000


def builtin_dir() -> Path:
    """Where the built-in playbooks are: packaged in the wheel, or `playbooks/` in a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "_builtin_playbooks"
    return packaged if packaged.is_dir() else here.parent / "playbooks"


def user_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("k8sdoctor")) / "playbooks"


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def read_playbook(path: Path, builtin: bool = False) -> Playbook:
    """Parse and compile one playbook file; raise PlaybookError ("FILE: FIELD: REASON") if malformed."""
    import yaml

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
        data = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PlaybookError(f"playbook {where}: invalid YAML{at}: {problem}") from None
    try:
        return compile_playbook(data, str(path), builtin)
    except PlaybookSpecError as exc:
        raise PlaybookError(f"playbook {where}: {exc}") from None


def playbook_paths(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


@dataclass
class PlaybookSet:
    playbooks: list[Playbook]
    errors: list[str] = field(default_factory=list)  # only with strict=False


def load_playbooks(extra_dirs: list[str] | None = None, *, use_user_dir: bool = True, strict: bool = True) -> PlaybookSet:
    """Built-in playbooks, then the user config dir, then each `--playbooks DIR`; later ids override."""
    by_id: dict[str, Playbook] = {}
    for path in playbook_paths(builtin_dir()):
        pb = read_playbook(path, builtin=True)
        by_id[pb.id] = pb
    errors: list[str] = []
    dirs: list[Path] = []
    if use_user_dir and user_dir().is_dir():
        dirs.append(user_dir())
    for d in extra_dirs or []:
        p = Path(d)
        if not p.is_dir():
            raise PlaybookError(f"--playbooks {d}: not a directory")
        dirs.append(p)
    for d in dirs:
        for path in playbook_paths(d):
            try:
                pb = read_playbook(path)
            except PlaybookError as exc:
                if strict:
                    raise
                errors.append(f"{exc} (skipped; built-in playbooks stay in force)")
                continue
            by_id[pb.id] = pb
    return PlaybookSet(list(by_id.values()), errors)
