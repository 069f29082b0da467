"""Build the diagnosis engine for the TUI: built-in, user and `--playbooks` playbooks, leniently (a bad
user playbook is skipped and reported, not fatal)."""

from __future__ import annotations

from k8sdoctor.core.engine import Engine


def build_engine(extra_dirs: tuple[str, ...]) -> tuple[Engine, list[str]]:
    from k8sdoctor.playbook_files import load_playbooks

    loaded = load_playbooks(list(extra_dirs), strict=False)
    return Engine(loaded.playbooks), loaded.errors
