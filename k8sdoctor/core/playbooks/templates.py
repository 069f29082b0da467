"""Playbook text templates: `{{ name }}` placeholders, optional `[[ ... ]]` segments, and nothing else.

No expressions, no attribute or item access, no filters: a placeholder is a bare name looked up in a
flat mapping of strings. A segment in `[[ ]]` is left out when a placeholder in it has no value
(`keeps exiting[[ (exit code {{exit_code}})]]`); a value a template needs outside such a segment must be
one that always exists (checked when the playbook compiles), so a missing one never reaches the user as
`<name>`. In commands, values that are not plainly safe are shell-quoted, so a hostile event message
captured by a regex cannot inject shell syntax into a command the user copies; and a value that starts
with `-` counts as missing, so it cannot become an option either (`--server=https://evil.example` as a
Secret name): the command is left out. Playbook commands put `--` before names where kubectl reads names
after it.
"""

from __future__ import annotations

import contextlib
import re
import shlex

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_OPTIONAL = re.compile(r"\[\[(.*?)\]\]", re.S)
_ANY_BRACES = re.compile(r"\{\{|\{%")
_SHELL_SAFE = re.compile(r"^[A-Za-z0-9._:/@=+,-]+$")

#: Variables a template may use, by subject. Regex named groups from the matching clauses add to these.
POD_VARS = frozenset({"pod", "namespace", "node", "workload", "owner_kind", "owner_name"})
CONTAINER_VARS = POD_VARS | {"container", "image", "exit_code", "restarts"}
#: For every other subject: `object` is how kubectl names it (`deployment/web`), `workload` the workload
#: that manages it (a ReplicaSet's Deployment) or the object itself.
OBJECT_VARS = frozenset({"namespace", "name", "kind", "object", "workload"})
#: The variables that always have a value; any other may only be used inside `[[ ]]` (unless a regex of
#: the cause always captures it).
_ALWAYS = {"pod": frozenset({"pod", "namespace", "workload"}), "object": frozenset({"name", "kind", "object", "workload"})}


def standard_vars(subject: str, scope: str) -> frozenset[str]:
    if subject != "Pod":
        return OBJECT_VARS
    return CONTAINER_VARS if scope == "container" else POD_VARS


def always_vars(subject: str, scope: str, namespaced: bool = True) -> frozenset[str]:
    """The standard variables that always have a value (`namespace` only for namespaced kinds)."""
    if subject != "Pod":
        return _ALWAYS["object"] | ({"namespace"} if namespaced else set())
    return _ALWAYS["pod"] | ({"container", "image", "restarts"} if scope == "container" else set())


class MissingValue(ValueError):
    """A template needs a value the target does not have (outside an optional segment)."""


def required_placeholders(template: str) -> set[str]:
    """Names a template needs outside `[[ ]]` segments."""
    return set(_PLACEHOLDER.findall(_OPTIONAL.sub("", template)))


class TemplateError(ValueError):
    pass


def placeholders(template: str) -> set[str]:
    """Names a template uses; raises TemplateError on anything that is not a bare `{{ name }}`."""
    leftover = _PLACEHOLDER.sub("", template)
    if _ANY_BRACES.search(leftover):
        raise TemplateError("only {{ name }} placeholders are allowed (no expressions, filters or attributes)")
    if "[[" in _OPTIONAL.sub("", template) or "]]" in _OPTIONAL.sub("", template):
        raise TemplateError("an optional segment opens with [[ and closes with ]], and does not nest")
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


def render(template: str, values: dict[str, str], *, shell: bool = False, lenient: bool = False) -> str:
    """Fill placeholders; an optional segment whose values are not all there is left out. A value missing
    outside one raises MissingValue, or with `lenient` renders empty. With shell=True, values are quoted,
    and a value that would read as an option (it starts with `-`) counts as missing.
    Values are inserted once: text inside a value is never read as a placeholder."""

    def fill(part: str, strict: bool) -> str:
        def sub(m: re.Match[str]) -> str:
            value = values.get(m.group(1))
            if value is None or value == "" or (shell and value.startswith("-")):
                if strict:
                    raise MissingValue(m.group(1))
                return ""
            return shlex.quote(value) if shell and not _SHELL_SAFE.match(value) else value

        return _PLACEHOLDER.sub(sub, part)

    out: list[str] = []
    pos = 0
    for m in _OPTIONAL.finditer(template):
        out.append(fill(template[pos : m.start()], not lenient))
        with contextlib.suppress(MissingValue):
            out.append(fill(m.group(1), True))
        pos = m.end()
    out.append(fill(template[pos:], not lenient))
    return "".join(out)
