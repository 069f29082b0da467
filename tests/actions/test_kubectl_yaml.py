"""The YAML view's text is kubectl's: `kubectl get pod NAME -o yaml` (1.32) on the local API server and
k8sdoctor's writer give the same bytes, for every pod of the test scenarios and for a pod of hard cases."""

from __future__ import annotations

import copy

import pytest

from k8sdoctor.actions.kubectl_yaml import dump, go_float, reads_back_as_string, render, sorted_keys, string_style
from k8sdoctor.actions.yaml_view import read_object, yaml_document
from k8sdoctor.cluster.live.client import KubeClient
from tests.actions.helpers import has_kubectl, kubectl
from tests.actions.yaml_cases import MANAGED_FIELDS, TRICKY_POD

pytestmark = pytest.mark.skipif(not has_kubectl(), reason="kubectl is not installed")


@pytest.fixture
def loaded(server):
    if server.get("Namespace", "", "lab") is None:
        server.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "lab"}})
    server.apply(TRICKY_POD)
    managed = copy.deepcopy(TRICKY_POD)
    managed["metadata"].update(name="with-managed-fields", annotations={"a": "b"}, managedFields=MANAGED_FIELDS)
    server.apply(managed)
    return server


def test_every_pod_reads_as_kubectl_prints_it(loaded, kubeconfig, tmp_path):
    client = KubeClient(str(kubeconfig))
    pods = loaded.list("Pod")
    assert len(pods) >= 10
    for pod in pods:
        namespace, name = pod["metadata"]["namespace"], pod["metadata"]["name"]
        expected = kubectl(kubeconfig, tmp_path / "home", "get", "pod", "-n", namespace, name, "-o", "yaml")
        assert expected.returncode == 0, expected.stderr
        shown = yaml_document("Pod", read_object(client, "Pod", namespace, name))
        assert shown.text == expected.stdout, name
        assert len(shown.lines) == expected.stdout.count("\n")


def test_managed_fields_are_hidden_as_kubectl_hides_them_and_shown_on_request(loaded, kubeconfig, tmp_path):
    client = KubeClient(str(kubeconfig))
    obj = read_object(client, "Pod", "lab", "with-managed-fields")
    assert len(obj["metadata"]["managedFields"]) == 2
    hidden = yaml_document("Pod", obj)
    shown = yaml_document("Pod", obj, managed_fields=True)
    assert (hidden.managed_fields, hidden.shows_managed_fields, shown.shows_managed_fields) == (2, False, True)
    home = tmp_path / "home"
    assert hidden.text == kubectl(kubeconfig, home, "get", "pod", "-n", "lab", "with-managed-fields", "-o", "yaml").stdout
    full = kubectl(kubeconfig, home, "get", "pod", "-n", "lab", "with-managed-fields", "-o", "yaml", "--show-managed-fields")
    assert shown.text == full.stdout
    assert "managedFields:" in shown.text and "managedFields" not in hidden.text
    assert obj["metadata"]["managedFields"] == MANAGED_FIELDS  # the object read is left as it was


def test_a_control_character_kubectl_refuses_is_still_written(loaded):
    """kubectl's YAML step reads the JSON back with go-yaml, which refuses DEL and C1 controls ("yaml:
    control characters are not allowed"); the view shows the object anyway, the character escaped."""
    text = dump({"a": "x\x7fy", "b": "x\x85y"})
    assert text == 'a: "x\\x7Fy"\nb: "x\\Ny"\n'


@pytest.mark.parametrize(
    ("text", "plain"),
    [("web", True), ("80", False), ("y", False), ("Yes", False), ("~", False), ("", False), ("1e3", False), ("0x1F", False)]
    + [("2024-05-01T10:00:00Z", False), ("2024-13-01", True), ("1:20", True), (".5", False), ("-", True), ("<<", True)],
)
def test_which_strings_read_back_as_strings(text, plain):
    assert reads_back_as_string(text) is plain


def test_styles_keys_and_numbers():
    assert [string_style(s) for s in ("a", "1:20", "80", "a\nb")] == ["plain", "double", "double", "literal"]
    assert sorted_keys({"a10": 0, "a9": 0, "A": 0, "_z": 0, "b": 0}) == ["_z", "A", "a9", "a10", "b"]
    assert [go_float(f) for f in (1.5, 2.0, 1e21, 1e-7, 1234567.5, 0.0001)] == ["1.5", "2", "1e+21", "1e-07", "1.2345675e+06", "0.0001"]


def test_each_line_knows_its_field():
    rendered = render({"spec": {"containers": [{"name": "web", "image": "nginx"}]}, "status": {"conditions": [{"type": "Ready"}]}})
    assert rendered.text.splitlines() == [
        "spec:",
        "  containers:",
        "  - image: nginx",
        "    name: web",
        "status:",
        "  conditions:",
        "  - type: Ready",
    ]
    assert rendered.paths == [
        "spec",
        "spec.containers",
        "spec.containers[web].image",
        "spec.containers[web].name",
        "status",
        "status.conditions",
        "status.conditions[Ready].type",
    ]


def test_highlights_are_in_the_columns_of_the_shown_line():
    """A key holding a character the screen shows as an escape (a right-to-left override) moves the
    highlight of what follows it: columns are counted on the line as shown."""
    doc = yaml_document("ConfigMap", {"data": {"k\u202ey": "v"}})
    assert [line.text for line in doc.lines] == ["data:", "  k<U+202E>y: v"]
    assert doc.highlights[0] == [(0, 4, "key")]
    shown = doc.lines[1].text
    (key_start, key_end, key), (value_start, value_end, value) = doc.highlights[1]
    assert (shown[key_start:key_end], key) == ("k<U+202E>y", "key")
    assert (shown[value_start:value_end], value) == ("v", "string")
