"""No control, bidi or zero-width character from the cluster survives raw into any output format.

Hypothesis takes every example pod of the built-in playbooks (real failure messages, cited in the
playbooks), plants hostile characters — ESC sequences (OSC 52 clipboard writes, CSI, DCS), C1 controls,
bidi overrides and isolates, zero-width characters, Unicode tags — in every text a tenant controls (object
names, namespaces, images, messages, log lines, labels, annotations, event sources), diagnoses it, and
renders text, JSON, YAML, Markdown and the describe document. Then:

* text, Markdown and describe hold none of those characters raw (newline and tab aside);
* JSON and YAML hold none raw either, and still parse back to exactly the diagnosis' payload, hostile
  characters included (they are escaped, not dropped).
"""

from __future__ import annotations

import copy
import io
import unicodedata
from datetime import datetime, timezone

import orjson
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8sdoctor.actions.describe import describe_pod
from k8sdoctor.cli import report
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.playbooks.examples import EXAMPLE_NAMESPACE, EXAMPLE_POD, example_inventory, playbook_examples

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)

#: Fields whose values the engine compares with fixed words (a planted character there only stops a
#: match, which other examples cover); everything else is planted.
KEEP = {"kind", "apiVersion", "phase", "type", "status", "reason", "uid", "creationTimestamp", "firstTimestamp", "lastTimestamp"}
KEEP |= {"eventTime", "startedAt", "finishedAt", "lastTransitionTime", "lastProbeTime", "restartPolicy", "operator", "effect"}

PIECES = [
    "\x1b]52;c;a3ViZWN0bCBkZWxldGUgbnMgcHJvZA==\x1b\\",  # OSC 52: write the clipboard
    "\x1b]0;owned\x07",  # OSC 0: window title
    "\x1b[2J\x1b[H",  # CSI: clear screen
    "\x1bP+q544e\x1b\\",  # DCS
    "\x9b31m",  # C1 CSI
    "\x9d0;t\x9c",  # C1 OSC ... ST
    "\x00\x08\x7f\r",
    "\u202e",  # right-to-left override
    "\u2066\u2069",  # isolates
    "\u200b\u200d\ufeff",  # zero width space, joiner, BOM
    "\U000e0041\U000e007f",  # tag characters
    "\u2028",  # line separator
]
payloads = st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join)


def _examples(playbooks) -> list:
    return [(pb.id, ex) for pb, ex in playbook_examples(playbooks)]


def plant(obj, payload: str, key: str = ""):
    """A copy of `obj` with `payload` planted in the middle of every tenant-controlled string (the same
    string always becomes the same planted string, so references between objects still hold)."""
    if isinstance(obj, dict):
        return {plant(k, payload) if key in ("labels", "annotations") else k: plant(v, payload, k) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plant(v, payload, key) for v in obj]
    if isinstance(obj, str) and key not in KEEP and obj:
        middle = len(obj) // 2
        return obj[:middle] + payload + obj[middle:]
    return obj


def hostile_inventory(example, payload: str) -> tuple[Inventory, str, str]:
    inventory, pod = example_inventory(example, NOW)
    pod = copy.deepcopy(pod)
    pod["metadata"]["labels"] = {"app": "web", "team": "payments"}
    pod["metadata"]["annotations"] = {"note": "owned by team payments"}
    planted = Inventory()
    planted.put_pod(plant(pod, payload))
    for event in inventory.all("Event"):
        planted.put_event(plant(event, payload))
    for kind in ("Node", "Secret", "ConfigMap", "PersistentVolumeClaim", "ReplicaSet", "ServiceAccount", "Job"):
        for obj in inventory.all(kind):
            planted.put(kind, plant(obj, payload))
    for key, lines in inventory.logs.items():
        planted.put_logs(
            plant(key.namespace, payload), plant(key.pod, payload), plant(key.container, payload), key.previous, plant(lines, payload)
        )
    return planted, plant(EXAMPLE_NAMESPACE, payload), plant(EXAMPLE_POD, payload)


def assert_no_raw(text: str, where: str) -> None:
    """No control (but newline and tab), format, surrogate or separator character, by Unicode's own
    categories (not by the module under test)."""
    for i, ch in enumerate(text):
        if ch not in "\n\t" and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            raise AssertionError(f"{where}: raw U+{ord(ch):04X} at {i}: {text[max(0, i - 60) : i + 20]!r}")


@pytest.fixture(scope="module")
def examples(playbooks):
    found = _examples(playbooks)
    assert len(found) > 30, "the built-in playbooks carry the examples this test plants characters in"
    return found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), payload=payloads)
def test_no_hostile_character_reaches_any_output_format(engine, examples, data, payload):
    _playbook, example = data.draw(st.sampled_from(examples))
    inventory, namespace, name = hostile_inventory(example, payload)
    results = [engine.diagnose_pod(inventory, inventory.pods[(namespace, name)], NOW)]

    for single in (True, False):
        payload_dict = report.payload_for(results, single)
        as_json = report.to_json(payload_dict).decode()
        assert_no_raw(as_json, "json")
        assert orjson.loads(as_json) == payload_dict
        as_yaml = report.to_yaml(payload_dict)
        assert_no_raw(as_yaml, "yaml")
        assert yaml.safe_load(as_yaml) == payload_dict

    groups = report.group_by_workload(results, {})
    assert_no_raw(report.to_markdown(results, groups, [f"could not read events in {namespace}: forbidden"]), "markdown")
    out = io.StringIO()
    report.render_text(results, groups, [f"note about {name}"], show_healthy=True, single=False, stream=out)
    assert_no_raw(out.getvalue(), "text")
    doc = describe_pod(inventory, namespace, name, NOW)
    assert_no_raw("\n".join(line.text for line in doc.lines), "describe")


def test_the_planting_reaches_the_output(engine, examples):
    """Guard against a vacuous pass: the planted payload is in the diagnosis, escaped in every format."""
    shown = 0
    for _playbook, example in examples:
        inventory, namespace, name = hostile_inventory(example, "\u202e")
        result = engine.diagnose_pod(inventory, inventory.pods[(namespace, name)], NOW)
        payload = report.payload_for([result], True)
        if "\u202e" in orjson.dumps(payload).decode():
            shown += 1
            assert "\\u202e" in report.to_json(payload).decode()
            if result.findings:
                assert "<U+202E>" in report.to_markdown([result], report.group_by_workload([result], {}), [])
    assert shown == len(examples)
