"""Shared fixtures: the built-in playbooks, compiled once per session."""

from __future__ import annotations

import pytest

from k8sdoctor.core.engine import Engine
from k8sdoctor.playbook_files import load_playbooks


@pytest.fixture(scope="session")
def playbooks():
    return load_playbooks(use_user_dir=False).playbooks


@pytest.fixture(scope="session")
def engine(playbooks):
    return Engine(playbooks)
