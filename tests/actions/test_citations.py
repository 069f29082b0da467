"""The fields and lines a finding cites, found in describe's lines and in the logs."""

from __future__ import annotations

from datetime import timezone

import pytest

from k8sdoctor.actions.citations import cited_lines, field_paths, lines_for_event, log_citations
from k8sdoctor.actions.describe import describe_pod
from tests.actions.helpers import FIXED_NOW, scenario_inventory


@pytest.fixture(scope="module")
def inventory():
    return scenario_inventory()


def cited_texts(engine, inventory, namespace, name) -> list[str]:
    doc = describe_pod(inventory, namespace, name, FIXED_NOW, timezone.utc)
    diagnosis = engine.diagnose_pod(inventory, inventory.pods[(namespace, name)], FIXED_NOW)
    return [doc.lines[i].text.strip() for i in sorted(cited_lines(doc.lines, diagnosis))]


def test_an_oom_kill_cites_the_last_state_and_the_memory_limit(engine, inventory):
    cited = cited_texts(engine, inventory, "shop", "memory-demo-2")
    assert "Reason:       OOMKilled" in cited and "Exit Code:    137" in cited
    assert "Reason:       CrashLoopBackOff" in cited
    assert "memory:  100Mi" in cited
    assert not any(line.startswith(("Image:", "Node:", "Restart Count:")) for line in cited)


def test_an_event_citation_marks_the_row_with_that_message(engine, inventory):
    cited = cited_texts(engine, inventory, "myproject", "kafdrop-1-j4969")
    failed = [line for line in cited if line.startswith("Warning  Failed")]
    # source: https://github.com/red-hat-storage/ocs-ci/issues/4494 — the rate-limit row, not "Error: ErrImagePull"
    assert len(failed) == 1 and "toomanyrequests" in failed[0]
    assert "Reason:       ImagePullBackOff" in cited


def test_a_field_kubectl_does_not_show_marks_the_closest_line_that_does(engine, inventory):
    cited = cited_texts(engine, inventory, "shop", "db-0")
    # spec.initContainers[setup-config].envFrom[0].configMapRef → the envFrom line; the waiting message is
    # a line k8sdoctor adds under the waiting state.
    assert "cluster-config  ConfigMap  Optional: false" in cited
    assert 'Message:      configmap "cluster-config" not found' in cited


def test_field_paths_in_evidence_sources():
    assert field_paths("spec.containers[app].command, .args") == ["spec.containers[app].command", "spec.containers[app].args"]
    assert field_paths("spec.securityContext + spec.containers[x].securityContext") == [
        "spec.securityContext",
        "spec.containers[x].securityContext",
    ]
    assert field_paths("spec.containers[*].resources (with init containers, sidecars and overhead)") == ["spec.containers[*].resources"]
    assert field_paths("ConfigMap names in namespace shop") == []
    assert lines_for_event([], "not an event", "x") == []


def test_log_citations_are_read_from_the_evidence(engine, inventory):
    diagnosis = engine.diagnose_pod(inventory, inventory.pods[("shop", "kb-5c7d8f9b6-q4w2e")], FIXED_NOW)
    (cite,) = log_citations(diagnosis)
    # source: https://github.com/kubeedge/sedna/issues/320
    assert (cite.container, cite.previous, cite.line, cite.total) == ("kb", True, 10, 10)
    assert cite.text == "ModuleNotFoundError: No module named 'cv2'"
    assert log_citations(None) == []
