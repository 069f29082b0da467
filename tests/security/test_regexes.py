"""Regexes over tenant text: linear time, bounded input, and risky playbook patterns refused.

* The scheduler message parser once took 36 s on 64,000 digits (`diagnose pod` 49 s, the TUI frozen):
  it is linear now, and reads at most MAX_MESSAGE characters.
* Playbook patterns are matched by RE2: even a pattern that reached the matcher without the shape
  check (a cached, trusted playbook) cannot backtrack. `playbooks validate` refuses the shapes that
  would in a backtracking engine, as a first line.
* The built-in pattern that used a lookahead (which RE2 lacks) was rewritten; the rewrite matches
  exactly what the lookahead version matched.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from k8sdoctor.core.kube.scheduler_message import parse_scheduler_message
from k8sdoctor.core.playbooks.regex_safety import UnsafeRegex, compile_safe
from k8sdoctor.fakeapi import FakeApiServer
from tests.analyzers.builders import corpus_message

#: From https://github.com/pires/kubernetes-elasticsearch-cluster/issues/178 (the corpus cites it).
SCHEDULER_VERDICT = corpus_message("es-client-insufficient-cpu", "https://github.com/pires/kubernetes-elasticsearch-cluster/issues/178")

MAX_MESSAGE = 16_384  # characters of a scheduler message that are read (scheduler_message.MAX_MESSAGE)
CATASTROPHIC = ["(a|aa)*c", "(?:a{1,16})*c", ".*.*.*=", "^(.*,){12}X"]


# ---- the scheduler message ---------------------------------------------------------------------------
ADVERSARIAL = {
    "a run of digits": "1" * 64_000,
    "digits before the verdict": "0/5 nodes are available: " + "1" * 64_000,
    "spaces before preemption": f"{SCHEDULER_VERDICT}{' ' * 64_000}x preemption: 0/5 nodes are available: 5 No preemption victims",
    "spaces in a legacy per-node list": "failed to fit in any node fit failure on node (a): " + " " * 64_000 + "x",
    "spaces in a predicate item": "No nodes are available that match all of the predicates: x" + " " * 64_000 + "(1x",
    "a long word before VolumeCount": "0/1 nodes are available: 1 " + "max" * 30_000,
    "many taint openings": "0/1 nodes are available: 1 node(s) had taint " + "taint {" * 20_000,
}


@pytest.mark.parametrize("message", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_scheduler_messages_parse_in_linear_time(message):
    started = time.perf_counter()
    parse_scheduler_message(message)
    assert time.perf_counter() - started < 1.0  # quadratic: 10 s and more; linear: milliseconds


def test_a_verdict_after_a_long_prefix_is_still_read_within_the_bound():
    verdict = parse_scheduler_message(" " * (MAX_MESSAGE - len(SCHEDULER_VERDICT) - 1) + SCHEDULER_VERDICT)
    assert verdict is not None and verdict.summary() == "5 nodes: 5 lack cpu"
    assert parse_scheduler_message(" " * MAX_MESSAGE + SCHEDULER_VERDICT) is None  # beyond the bound: not read


def pending_pod(name: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "rt", "creationTimestamp": "-10m"},
        "spec": {"containers": [{"name": "app", "image": "nginx:1.27.2", "resources": {"requests": {"cpu": "2"}}}]},
        "status": {
            "phase": "Pending",
            "conditions": [
                {"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": "1" * 64_000 + " " + SCHEDULER_VERDICT}
            ],
        },
    }


def test_diagnose_pod_with_a_digit_stuffed_scheduler_message_answers_at_once(run_cli, tmp_path):
    """Issue 17: `diagnose pod` took 49 s on this pod."""
    with FakeApiServer() as server:
        server.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "rt"}})
        server.apply(pending_pod("stuffed"))
        result = run_cli("diagnose", "pod", "stuffed", kubeconfig=server.write_kubeconfig(tmp_path / "kc", namespace="rt"), timeout=20)
    assert result.code == 1, result.err
    assert "Pending" in result.out


# ---- playbook patterns -------------------------------------------------------------------------------
@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_the_shape_check_refuses_catastrophic_patterns(pattern):
    with pytest.raises(UnsafeRegex):
        compile_safe(pattern)


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_playbooks_validate_refuses_them_with_one_line(run_cli, tmp_path, pattern):
    folder = tmp_path / "playbooks"
    folder.mkdir()
    (folder / "slow.yaml").write_text(
        "id: slow\ncategory: CrashLoopBackOff\ntitle: t\nscope: container\nmatch: {container.waiting.reason: CrashLoopBackOff}\n"
        f"causes:\n  - id: cause-a\n    title: t\n    explanation: e\n    remediation: [{{text: r}}]\n    match: {{log: {{regex: '{pattern}'}}}}\n"
        "fallback: {id: fallback-a, title: t, explanation: e, remediation: [{text: r}]}\n"
    )
    result = run_cli("playbooks", "validate", str(folder / "slow.yaml"))
    assert result.code == 2, result.out
    lines = [line for line in (result.out + result.err).splitlines() if line.strip()]
    assert len(lines) == 1 and "slow.yaml" in lines[0] and "causes[0].match.log.regex" in lines[0] and "catastrophically" in lines[0]


def test_lookarounds_are_refused_with_a_reason():
    with pytest.raises(UnsafeRegex, match="lookahead"):
        compile_safe("^Error: (?!ErrImagePull)")


def test_matching_is_linear_even_without_the_shape_check():
    """A trusted (cached) playbook skips the shape check: its pattern is still matched by RE2. In a
    subprocess, so that a backtracking engine would show as a timeout, not a hung test run."""
    code = (
        "from k8sdoctor.core.playbooks.predicates import TRUSTED, compile_predicate\n"
        "TRUSTED.set(True)\n"
        "for pattern in ['(a|aa)*c', '(?:a{1,16})*c', '.*.*.*=', '^(.*,){12}X']:\n"
        "    predicate = compile_predicate({'regex': pattern}, 'log')\n"
        "    assert predicate('a' * 120) is None and predicate(',' * 120) is None\n"
        "print('linear')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert done.stdout.strip() == "linear", done.stderr


# ---- the rewritten built-in pattern -----------------------------------------------------------------
ERROR_BEFORE = re.compile(r"^Error: (?!ErrImagePull|ImagePullBackOff|InvalidImageName|ErrImageNeverPull)")


def _playbook_regex(path: str, contains: str) -> str:
    import yaml

    def walk(obj):
        if isinstance(obj, dict):
            for key, value in obj.items():
                if key == "regex" and isinstance(value, str) and contains in value:
                    yield value
                yield from walk(value)
        elif isinstance(obj, list):
            for value in obj:
                yield from walk(value)

    from tests.realcases import REPO

    found = list(walk(yaml.safe_load((REPO / path).read_text())))
    assert len(found) == 1, found
    return found[0]


@given(
    st.sampled_from(["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "Err", "Image", "x", ""]).flatmap(
        lambda word: st.text(alphabet="ErImagePulBckOfInvdNNx: ", max_size=12).map(lambda tail: f"Error: {word}{tail}")
    )
)
def test_error_events_but_pull_errors_match_as_the_lookahead_did(message):
    from k8sdoctor.core.playbooks.predicates import compile_predicate

    predicate = compile_predicate(
        {"regex": "^Error: ", "not": {"regex": "^Error: (?:ErrImagePull|ImagePullBackOff|InvalidImageName|ErrImageNeverPull)"}}, "p"
    )
    assert _playbook_regex("playbooks/run-container-error.yaml", "^Error: (?:ErrImagePull") in (
        "^Error: (?:ErrImagePull|ImagePullBackOff|InvalidImageName|ErrImageNeverPull)",
    )
    assert (predicate(message) is not None) == (ERROR_BEFORE.search(message) is not None)
