"""User settings from `~/.config/k8sdoctor/config.yaml` (platformdirs' user_config_dir).

    read_only: true            # disable the debug action entirely, as --read-only does
    exec_plugin_timeout: 60    # seconds a kubeconfig exec credential plugin may take (default 60)

A missing file means defaults; a malformed one is a one-line UserError naming the file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from k8sdoctor.errors import UserError

KNOWN = ("read_only", "exec_plugin_timeout")


class Settings(NamedTuple):
    read_only: bool = False
    exec_plugin_timeout: float = 60.0


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
    unknown = sorted(set(data) - set(KNOWN))
    if unknown:
        raise UserError(f"config {path}: unknown setting {unknown[0]!r}; known: {', '.join(KNOWN)}")
    if not isinstance(data.get("read_only", False), bool):
        raise UserError(f"config {path}: read_only must be true or false")
    timeout = data.get("exec_plugin_timeout", 60.0)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise UserError(f"config {path}: exec_plugin_timeout must be a number of seconds")
    return Settings(read_only=data.get("read_only", False), exec_plugin_timeout=float(timeout))
