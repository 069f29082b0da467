"""The playbook format: validation messages, template safety, overriding, caching (docs/playbooks.md)."""

from __future__ import annotations

import pathlib
import textwrap
from datetime import datetime, timezone

import pytest

from k8sdoctor.core.engine import Engine
from k8sdoctor.core.playbooks.examples import run_examples
from k8sdoctor.core.playbooks.model import PlaybookSpecError
from k8sdoctor.core.playbooks.schema import compile_playbook
from k8sdoctor.core.playbooks.templates import MissingValue, render
from k8sdoctor.errors import PlaybookError
from k8sdoctor.playbook_files import builtin_dir, load_playbooks, read_playbook

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


def playbook(**overrides) -> dict:
    data = {
        "id": "custom-family",
        "category": "Custom",
        "title": "A custom family",
        "match": {"container.waiting.reason": "CreateContainerConfigError"},
        "causes": [
            {
                "id": "missing-secret",
                "title": "Secret missing",
                "summary": "Secret {{secret}} is missing",
                "match": {"message": {"regex": 'secret "(?P<secret>[^"]+)" not found'}},
                "explanation": "Explained.",
                "remediation": [{"text": "Create it.", "command": "kubectl -n {{namespace}} create secret generic {{secret}}"}],
            }
        ],
        "fallback": {"id": "other", "title": "Other", "explanation": "E.", "remediation": [{"text": "Look."}]},
    }
    data.update(overrides)
    return data


def error_of(data: dict) -> str:
    with pytest.raises(PlaybookSpecError) as exc:
        compile_playbook(data)
    return str(exc.value)


def test_unknown_field_suggests_the_right_one():
    data = playbook(match={"container.waitng.reason": "X"})
    assert (
        error_of(data) == "match.container.waitng.reason: unknown field 'container.waitng.reason'; did you mean 'container.waiting.reason'?"
    )


def test_unknown_operator_and_wrong_types_name_the_path():
    assert error_of(playbook(match={"pod.age": {"greater": 3}})).startswith("match.pod.age.greater: unknown operator")
    assert error_of(playbook(match={"pod.age": {"gte": "three"}})) == "match.pod.age.gte: expects a number"
    assert error_of(playbook(severity="fatal")).startswith("severity: Input should be 'critical', 'warning' or 'info'")


def test_container_fields_need_container_scope():
    assert (
        error_of(playbook(scope="pod"))
        == "match.container.waiting.reason: container fields need a container-scoped playbook (scope: container)"
    )


def test_templates_allow_bare_names_only():
    bad = playbook()
    bad["causes"][0]["summary"] = "{{ secret.__class__ }}"
    assert error_of(bad) == "causes[0].summary: only {{ name }} placeholders are allowed (no expressions, filters or attributes)"
    unknown = playbook()
    unknown["causes"][0]["summary"] = "{{ password }}"
    assert error_of(unknown).startswith("causes[0].summary: unknown template variable 'password'; available: ")


def test_captured_values_are_shell_quoted_in_commands():
    hostile = 'x"; rm -rf / #'
    assert render("kubectl get secret {{secret}}", {"secret": hostile}, shell=True) == "kubectl get secret 'x\"; rm -rf / #'"
    assert render("Secret {{secret}} is missing", {"secret": hostile}) == f"Secret {hostile} is missing"
    with pytest.raises(MissingValue):
        render("{{missing}} is required", {})
    assert render("{{missing}} is dropped in prose", {}, lenient=True) == " is dropped in prose"


def test_an_optional_segment_is_left_out_when_a_value_is_missing():
    summary = "Container {{container}} exits with an error[[ (exit code {{exit_code}})]]"
    assert render(summary, {"container": "web", "exit_code": "1"}) == "Container web exits with an error (exit code 1)"
    assert render(summary, {"container": "web"}) == "Container web exits with an error"
    # a value is inserted once: text in it is never read as a placeholder or a segment
    assert render("[[{{a}}]]", {"a": "{{b}} [[x]]", "b": "no"}) == "{{b}} [[x]]"


def test_a_value_that_may_be_missing_must_sit_in_an_optional_segment():
    data = playbook()
    data["causes"][0]["summary"] = "Evicted from node {{node}}"
    with pytest.raises(PlaybookSpecError, match=r"causes\[0\]\.summary: \{\{node\}\} may have no value here"):
        compile_playbook(data)
    data["causes"][0]["summary"] = "Evicted[[ from node {{node}}]]"
    compile_playbook(data)


def test_examples_run_through_the_engine(engine):
    data = playbook(
        examples=[
            # https://github.com/reportportal/kubernetes/issues/178
            {
                "name": "missing",
                "pod": {
                    "status": {
                        "phase": "Pending",
                        "containerStatuses": [
                            {
                                "name": "app",
                                "ready": False,
                                "restartCount": 0,
                                "state": {"waiting": {"reason": "CreateContainerConfigError"}},
                            }
                        ],
                    }
                },
                "events": [{"message": 'Error: secret "secretpostgresql" not found'}],
                "expect": {"cause": "missing-secret", "evidence": "secretpostgresql"},
            },
        ]
    )
    custom = compile_playbook(data)
    results = run_examples(Engine([custom]), [custom], NOW)
    assert [(r.ok, r.detail) for r in results] == [(True, "missing-secret as expected")]


def test_user_playbook_overrides_a_builtin_by_id(tmp_path):
    builtin = {pb.id: pb for pb in load_playbooks(use_user_dir=False).playbooks}["not-ready"]
    text = tmp_path / "not-ready.yaml"
    text.write_text(
        textwrap.dedent("""
        id: not-ready
        category: NotReady
        title: Overridden
        match: {container.ready: false}
        causes:
          - id: my-cause
            title: Mine
            match: {container.state: running}
            explanation: Mine.
            remediation: [{text: Do it.}]
        fallback: {id: not-ready, title: T, explanation: E, remediation: [{text: R}]}
    """)
    )
    loaded = {pb.id: pb for pb in load_playbooks([str(tmp_path)], use_user_dir=False).playbooks}
    assert loaded["not-ready"].spec.title == "Overridden" != builtin.spec.title
    assert not loaded["not-ready"].builtin


def test_a_bad_user_playbook_keeps_the_builtin_in_force_when_not_strict(tmp_path):
    (tmp_path / "pending.yaml").write_text("id: pending\ncategory: Pending\n")
    with pytest.raises(PlaybookError) as exc:
        load_playbooks([str(tmp_path)], use_user_dir=False)
    assert "pending.yaml: causes: Field required" in str(exc.value)
    lenient = load_playbooks([str(tmp_path)], use_user_dir=False, strict=False)
    pending = {pb.id: pb for pb in lenient.playbooks}["pending"]
    assert pending.builtin and len(lenient.errors) == 1 and "built-in playbooks stay in force" in lenient.errors[0]


def test_cache_is_used_and_refreshed_when_a_file_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("K8SDOCTOR_CACHE_DIR", str(tmp_path / "cache"))
    user = tmp_path / "user"
    user.mkdir()
    path = user / "custom.yaml"
    import yaml

    path.write_text(yaml.safe_dump(playbook()))
    first = {pb.id: pb for pb in load_playbooks([str(user)], use_user_dir=False).playbooks}
    assert first["custom-family"].spec.title == "A custom family"
    assert list((tmp_path / "cache").glob("playbooks-*.json"))
    path.write_text(yaml.safe_dump(playbook(title="Changed title here")))
    second = {pb.id: pb for pb in load_playbooks([str(user)], use_user_dir=False).playbooks}
    assert second["custom-family"].spec.title == "Changed title here"


def test_the_cache_forgets_files_that_are_gone(tmp_path, monkeypatch):
    """An old install's or a removed playbook's entry leaves the cache when it is next written."""
    import orjson
    import yaml

    monkeypatch.setenv("K8SDOCTOR_CACHE_DIR", str(tmp_path / "cache"))
    user = tmp_path / "user"
    user.mkdir()
    (user / "custom.yaml").write_text(yaml.safe_dump(playbook()))
    load_playbooks([str(user)], use_user_dir=False)
    cache = next((tmp_path / "cache").glob("playbooks-*.json"))
    assert str((user / "custom.yaml").resolve()) in orjson.loads(cache.read_bytes())
    (user / "custom.yaml").unlink()
    (user / "other.yaml").write_text(yaml.safe_dump(playbook(id="other-family")))  # a change: the cache is written
    load_playbooks([str(user)], use_user_dir=False)
    kept = orjson.loads(cache.read_bytes())
    assert str((user / "custom.yaml").resolve()) not in kept
    assert str((user / "other.yaml").resolve()) in kept
    assert all(pathlib.Path(key).is_file() for key in kept)


def test_every_builtin_playbook_validates_from_its_file(playbooks):
    for pb in playbooks:
        assert read_playbook(__import__("pathlib").Path(pb.path)).id == pb.id


def test_a_corrupt_cache_entry_is_validated_again(tmp_path, monkeypatch):
    monkeypatch.setenv("K8SDOCTOR_CACHE_DIR", str(tmp_path))
    load_playbooks(use_user_dir=False)
    cache = next(tmp_path.glob("playbooks-*.json"))
    import orjson

    entries = orjson.loads(cache.read_bytes())
    for entry in entries.values():
        entry["data"] = {"id": "broken"}  # stamps still match: the data is what is wrong
    cache.write_bytes(orjson.dumps(entries))
    ids = sorted(pb.id for pb in load_playbooks(use_user_dir=False).playbooks)
    assert ids == sorted(p.stem for p in builtin_dir().glob("*.yaml"))


def test_every_analyzer_is_registered_for_a_cause_a_builtin_playbook_has(playbooks):
    from k8sdoctor.core.analyzers import EVERY_CAUSE, registered

    causes = {
        (category, c.spec.id)
        for pb in playbooks
        for category in (pb.spec.category, *(cat for _when, cat in pb.variants))
        for c in (*pb.causes, pb.fallback)
    }
    families = {pb.spec.category for pb in playbooks} | {category for pb in playbooks for _when, category in pb.variants}
    keys = registered()
    assert keys, "no analyzer registered"
    unknown = sorted(k for k in keys if (k[1] == EVERY_CAUSE and k[0] not in families) or (k[1] != EVERY_CAUSE and k not in causes))
    assert unknown == []
