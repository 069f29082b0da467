"""`StatePanel`: what the pods table would be empty for, said plainly: connecting, syncing, no pods in
the namespace, forbidden (with the exact missing permission), disconnected, or nothing matching the
filter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from k8sdoctor.core.findings import SEVERITY_MARK
from k8sdoctor.core.kube.timeutil import human_duration
from k8sdoctor.model.batch import Health
from k8sdoctor.model.commands import view_word
from k8sdoctor.model.forbidden import missing_permission
from k8sdoctor.model.source import SourceInfo
from k8sdoctor.tui.text import one_line
from k8sdoctor.tui.widgets.header.cluster_header import retry_text

if TYPE_CHECKING:
    from k8sdoctor.cluster.view import ObjectRow
    from k8sdoctor.core.inventory import Ref

Part = str | tuple[str, str] | Content


@dataclass(frozen=True)
class NamespaceFact:
    """What the cluster says about a namespace that shows no pods: it exists (True), it does not
    (False, with the closest names), or namespaces cannot be listed to tell (None)."""

    exists: bool | None
    near: tuple[str, ...] = ()

    @classmethod
    def from_list(cls, namespace: str, listed: list[str]) -> NamespaceFact:
        if not listed:  # every cluster has namespaces: an empty list means they cannot be listed
            return cls(None)
        if namespace in listed:
            return cls(True)
        from k8sdoctor.core.suggest import close_matches

        return cls(False, tuple(close_matches(namespace, listed)))


def retry_sentence(retry: str) -> str:
    """ "Retrying in 2s." from "retry in 2s" (or just "Retrying." while no retry is scheduled)."""
    return f"Retrying {retry.removeprefix('retry ')}." if retry else "Retrying."


def _where(namespace: str | None) -> str:
    return f'namespace "{one_line(namespace)}"' if namespace else "any namespace"


def state_panel_content(
    health: Health,
    info: SourceInfo | None,
    namespace: str | None,
    selector: str | None,
    monotonic: Callable[[], float],
    namespace_fact: NamespaceFact | None = None,
    syncing_for: float = 0.0,
) -> Content:
    state = health.state
    retry = retry_text(health, monotonic)
    parts: list[Part]
    if state == "connecting":
        parts = [("Connecting…", "bold"), "\nReading the kubeconfig and loading the playbooks."]
        if syncing_for >= 2:
            parts.append((f"\n{human_duration(syncing_for)} so far", "$text-muted"))
    elif state == "syncing":
        parts = [("Listing pods", "bold"), f" in {_where(namespace)}…"]
        if syncing_for >= 2:
            parts.append((f" ({human_duration(syncing_for)} so far)", "$text-muted"))
        if info is not None and info.live:
            parts.append((f"\nfrom {one_line(info.server)} (context {one_line(info.context)})", "$text-muted"))
        if health.message:
            parts.append((f"\n{one_line(health.message)}", "$text-muted"))
    elif state == "empty" and namespace_fact is not None and namespace_fact.exists is False:
        parts = [(f"Namespace \"{one_line(namespace or '')}\" does not exist.", "bold $text-error")]
        if namespace_fact.near:
            parts.append(f"\nDid you mean {', '.join(one_line(n) for n in namespace_fact.near)}?")
        parts.append(("\nPress n to choose another namespace, or start k8sdoctor with -A to see all namespaces.", "$text-muted"))
    elif state == "empty":
        what = f"No pods match -l {one_line(selector)}" if selector else "No pods"
        parts = [(f"{what} in {_where(namespace)}.", "bold")]
        if namespace and namespace_fact is not None and namespace_fact.exists is None:
            parts.append(("\nIt may also not exist: this user may not list namespaces to tell.", "$text-muted"))
        if namespace:
            parts.append(("\nPress n to choose another namespace, or start k8sdoctor with -A to see all namespaces.", "$text-muted"))
    elif state == "forbidden":
        parts = [("Not allowed to list pods", "bold $text-error"), f" in {_where(namespace)}.\n"]
        parts.append(("The API server said: ", "$text-muted"))
        parts.append(one_line(health.message))
        perm = missing_permission(health.message)
        if perm is not None:
            parts += [("\nMissing permission: ", "$text-muted"), (perm.needed, "bold")]
            parts += [("\nCheck it with: ", "$text-muted"), (perm.can_i, "$text-accent")]
        parts.append((f"\nStill trying{': ' + retry if retry else ''}. Press n to choose another namespace.", "$text-muted"))
    elif state == "disconnected":
        parts = [("Cannot reach the cluster.", "bold $text-error"), f"\n{one_line(health.message)}"]
        parts.append((f"\n{retry_sentence(retry)} k8sdoctor keeps trying; press q to quit.", "$text-muted"))
    else:
        parts = [state]
    return Content.assemble(*parts)


def no_rows_content(query: str, problems_only: bool, total: int) -> Content:
    if query:
        return Content.assemble((f'No pods match "{one_line(query)}".', "bold"), ("\nPress esc to clear the filter.", "$text-muted"))
    if problems_only:
        return Content.assemble(
            (f"No problems: all {total} pods are healthy.", "bold $text-success"), ("\nPress ctrl+z to show every pod.", "$text-muted")
        )
    return Content("")


class StatePanel(Static):
    """Shown in place of the pods table while it has no rows to show."""


def scope_name(scope: Ref | None) -> str:
    """The pods view's name in the header: "pods of deployment/web" (empty: every pod)."""
    if scope is None:
        return ""
    kind, _namespace, name = scope
    return f"pods of {kind.lower()}/{name}"


def scope_empty_content(scope: Ref, row: ObjectRow | None) -> Content:
    """A drill-down with no pods: the object's own verdict says why (a workload refused at creation)."""
    kind, _namespace, name = scope
    parts: list[Part] = [(f"No pods of {kind.lower()} {one_line(name)}.", "bold")]
    problem = next((f for f in row.diagnosis.findings if f.is_problem), None) if row is not None else None
    if problem is not None:
        parts += [
            (
                "\n" + SEVERITY_MARK.get(problem.severity, "✖") + f" {one_line(problem.category)} › {one_line(problem.cause)}",
                "bold $text-error",
            ),
            f"\n{one_line(problem.summary)}",
        ]
    parts.append(("\nPress esc to go back.", "$text-muted"))
    return Content.assemble(*parts)


def with_not_created(content: Content, not_created: tuple[ObjectRow, ...]) -> Content:
    """An empty namespace's panel, saying which workloads have no pods because their creation is refused:
    never "no problems" while a workload in scope cannot run."""
    if not not_created:
        return content
    parts: list[Part] = [content, ("\n\nBut not everything here is healthy:", "bold")]
    for row in not_created[:3]:
        finding = next(f for f in row.diagnosis.findings if f.category == "PodsNotCreated")
        parts += [
            (f"\n{SEVERITY_MARK.get(finding.severity, '✖')} {row.kind.lower()} {one_line(row.name)}", "bold $text-error"),
            f" cannot create its pods: {one_line(finding.cause)}",
            (f"\n{one_line(finding.summary)}", "$text-muted"),
        ]
    if len(not_created) > 3:
        parts.append((f"\n… and {len(not_created) - 3} more", "$text-muted"))
    first = not_created[0]
    parts.append(
        (f"\nPress : then {view_word(first.kind)} to see {'it' if len(not_created) == 1 else 'them'}, or : problems.", "$text-muted")
    )
    return Content.assemble(*parts)
