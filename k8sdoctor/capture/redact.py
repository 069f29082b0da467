"""The redaction step of `capture`: rules are data (`redaction.yaml`, or a file the user names), compiled
with the playbooks' regex safety check, applied in order, and counted."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from k8sdoctor.core.playbooks.regex_safety import UnsafeRegex, compile_safe
from k8sdoctor.errors import UsageError

#: Longest text one rule sees; longer values are cut to this first (and the cut is listed).
MAX_VALUE_CHARS = 16384
_KEEP, _TAIL = "keep", "tail"  # groups of a match that stay


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    pattern: Any  # compiled by regex_safety.compile_safe (RE2): sub, groupindex
    group: str | None = None

    def manifest(self) -> dict:
        return {
            "name": self.name,
            "description": self.description,
            "pattern": self.pattern.pattern,
            **({"group": self.group} if self.group else {}),
        }


def load_rules(path: str | Path | None = None) -> list[Rule]:
    """The rules of `path`, or the built-in ones. A bad file is a one-line UsageError."""
    where = str(path) if path else "built-in redaction.yaml"
    try:
        text = (
            Path(path).read_text(encoding="utf-8")
            if path
            else resources.files("k8sdoctor.capture").joinpath("redaction.yaml").read_text("utf-8")
        )
        doc = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UsageError(f"redaction rules {where}: cannot be read ({type(exc).__name__})") from None
    items = doc.get("rules") if isinstance(doc, dict) else None
    if not isinstance(items, list) or not items:
        raise UsageError(f"redaction rules {where}: expected a list under `rules`")
    rules, names = [], set()
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not isinstance(item.get("pattern"), str):
            raise UsageError(f"redaction rules {where}: rule {i + 1} needs a name and a pattern")
        name = item["name"]
        if name in names:
            raise UsageError(f"redaction rules {where}: rule {name} is there twice")
        names.add(name)
        try:
            pattern = compile_safe(item["pattern"])
        except UnsafeRegex as exc:
            raise UsageError(f"redaction rules {where}: rule {name}: {exc}") from None
        group = item.get("group")
        rules.append(Rule(name, str(item.get("description") or ""), pattern, group if isinstance(group, str) else None))
    return rules


class Redactor:
    """Applies the enabled rules and counts what each removed. Not thread-safe (one per capture)."""

    def __init__(self, rules: list[Rule], groups: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        self.rules = rules
        self.enabled = [r for r in rules if r.group is None or r.group in groups]
        self.removed: Counter[str] = Counter()
        self.cut: list[dict] = []

    def text(self, value: str, where: str) -> str:
        """`value` with every match of the enabled rules replaced by <redacted:RULE> (`keep` and `tail` groups stay)."""
        if len(value) > MAX_VALUE_CHARS:
            self.cut.append(
                {"what": where, "why": f"longer than {MAX_VALUE_CHARS} characters", "dropped_chars": len(value) - MAX_VALUE_CHARS}
            )
            value = value[:MAX_VALUE_CHARS]
        for rule in self.enabled:

            def replace(match: re.Match[str], rule: Rule = rule) -> str:
                return self._replace(match, rule)

            value = rule.pattern.sub(replace, value)
        return value

    def _replace(self, match: re.Match[str], rule: Rule) -> str:
        self.removed[rule.name] += 1
        keep = match.group(_KEEP) if _KEEP in rule.pattern.groupindex else None
        tail = match.group(_TAIL) if _TAIL in rule.pattern.groupindex else None
        return f"{keep or ''}<redacted:{rule.name}>{tail or ''}"

    def pair(self, key: str, value: str, where: str) -> str:
        """A value judged with its name (`PASSWORD=hunter2`, an annotation `example.com/token=...`): the
        redacted value alone."""
        joined = self.text(f"{key}={value}", where)
        prefix = f"{key}="
        return joined[len(prefix) :] if joined.startswith(prefix) else joined

    def manifest(self) -> dict:
        return {
            "rules": [r.manifest() for r in self.rules],
            "enabled": [r.name for r in self.enabled],
            "removed": {r.name: self.removed.get(r.name, 0) for r in self.enabled},
        }
