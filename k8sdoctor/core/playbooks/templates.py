"""Playbook text templates: `{{ name }}` placeholders and nothing else.

No expressions, no attribute or item access, no filters: a placeholder is a bare name looked up in a
flat mapping of strings. In commands, values that are not plainly safe are shell-quoted, so a hostile
event message captured by a regex cannot inject shell syntax into a command the user copies; and a
value that starts with `-` is left out (shown as `<name>`, like a missing one), so it cannot become an
option either (`--server=https://evil.example` as a Secret name). Playbook commands put `--` before
names where kubectl reads names after it.
"""

from __future__ import annotations

import re
import shlex

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_ANY_BRACES = re.compile(r"\{\{|\{%")
_SHELL_SAFE = re.compile(r"^[A-Za-z0-9._:/@=+,-]+$")

#: Variables every template may use. Regex named groups from the matching clauses add to these.
STANDARD_VARS = frozenset(
    {"pod", "namespace", "container", "image", "node", "workload", "owner_kind", "owner_name", "exit_code", "restarts"}
)


class TemplateError(ValueError):
    pass


def placeholders(template: str) -> set[str]:
    """Names a template uses; raises TemplateError on anything that is not a bare `{{ name }}`."""
    leftover = _PLACEHOLDER.sub("", template)
    if _ANY_BRACES.search(leftover):
        raise TemplateError("only {{ name }} placeholders are allowed (no expressions, filters or attributes)")
    return set(_PLACEHOLDER.findall(template))


def reflow(text: str) -> str:
    """Join the lines of each paragraph (YAML block scalars keep their line breaks); keep blank-line
    paragraph breaks and lines that start a list item."""
    paragraphs = []
    for para in text.strip().split("\n\n"):
        out: list[str] = []
        for line in para.splitlines():
            stripped = line.strip()
            if out and not stripped.startswith(("- ", "* ")):
                out[-1] += " " + stripped
            else:
                out.append(stripped)
        paragraphs.append("\n".join(out))
    return "\n\n".join(paragraphs)


def render(template: str, values: dict[str, str], *, shell: bool = False) -> str:
    """Fill placeholders. Missing values render as `<name>`. With shell=True, values are quoted, and
    values that would read as options render as `<name>` too."""

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        value = values.get(name)
        if value is None or value == "" or (shell and value.startswith("-")):
            return f"<{name}>"
        if shell and not _SHELL_SAFE.match(value):
            return shlex.quote(value)
        return value

    return _PLACEHOLDER.sub(sub, template)
