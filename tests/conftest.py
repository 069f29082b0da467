"""Shared fixtures: the built-in playbooks, compiled once per session."""

from __future__ import annotations

import os
import signal
import tempfile

import pytest
from hypothesis import settings

# Property tests assert behaviour, not time: no per-example deadline (a loaded CI machine would turn one
# slow example into a "flaky" failure).
settings.register_profile("k8sdoctor", deadline=None)
settings.load_profile("k8sdoctor")

# Tests stop the programs they start with Ctrl-C (SIGINT). A shell that starts a job in the background
# without job control ignores SIGINT for it, and an ignored signal stays ignored in every program it
# starts: Python would then install no KeyboardInterrupt handler. A handler is reset to the default at
# exec, so the programs started here get SIGINT as a terminal gives it.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

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
