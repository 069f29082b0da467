"""YAML in flow style on one line (`{key: value, list: [a, b]}`), for snippets inside a remediation
step: plain where YAML reads the text back as the same string, quoted otherwise."""

from __future__ import annotations

import json
import re

_PLAIN = re.compile(r"^[A-Za-z_/][A-Za-z0-9_./-]*$")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def flow_yaml(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{flow_yaml(str(k))}: {flow_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow_yaml(v) for v in value) + "]"
    if isinstance(value, str):
        return value if _PLAIN.match(value) and value.lower() not in _YAML_WORDS else json.dumps(value)
    return json.dumps(value)
