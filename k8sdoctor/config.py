"""User settings from `~/.config/k8sdoctor/config.yaml` (platformdirs' user_config_dir).

    read_only: true          # disable the debug action entirely, as --read-only does

A missing file means defaults; a malformed one is a one-line UserError naming the file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from k8sdoctor.errors import UserError


@dataclass(frozen=True)
class Settings:
    read_only: bool = False


def config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(os.environ.get("K8SDOCTOR_CONFIG") or Path(user_config_dir("k8sdoctor")) / "config.yaml")


def load_settings() -> Settings:
    path = config_path()
    if not path.is_file():
        return Settings()
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UserError(f"config {path}: cannot be read: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise UserError(f"config {path}: expected a mapping of settings")
    unknown = sorted(set(data) - {"read_only"})
    if unknown:
        raise UserError(f"config {path}: unknown setting {unknown[0]!r}; known: read_only")
    if not isinstance(data.get("read_only", False), bool):
        raise UserError(f"config {path}: read_only must be true or false")
    return Settings(read_only=data.get("read_only", False))
