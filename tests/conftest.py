"""Shared fixtures: the built-in playbooks, compiled once per session."""

from __future__ import annotations

import os
import tempfile

import pytest
from hypothesis import settings

# Property tests assert behaviour, not time: no per-example deadline (a loaded CI machine would turn one
# slow example into a "flaky" failure).
settings.register_profile("k8sdoctor", deadline=None)
settings.load_profile("k8sdoctor")

# Keep k8sdoctor's caches and logs out of the user's home during tests (subprocesses inherit these).
_SCRATCH = tempfile.mkdtemp(prefix="k8sdoctor-tests-")
os.environ.setdefault("K8SDOCTOR_CACHE_DIR", os.path.join(_SCRATCH, "cache"))
os.environ.setdefault("K8SDOCTOR_STATE_DIR", os.path.join(_SCRATCH, "state"))

from k8sdoctor.core.engine import Engine  # noqa: E402
from k8sdoctor.playbook_files import load_playbooks  # noqa: E402


@pytest.fixture(scope="session")
def playbooks():
    return load_playbooks(use_user_dir=False).playbooks


@pytest.fixture(scope="session")
def engine(playbooks):
    return Engine(playbooks)
