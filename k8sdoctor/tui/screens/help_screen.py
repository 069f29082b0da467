"""`HelpScreen`: the keys of the screen it was opened from (each screen lists its own in `KEYS_HELP`),
and on the main screen what the states and marks mean. esc, ? or q close it."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from k8sdoctor.tui.format import SEVERITY_MARK

Section = tuple[str, tuple[tuple[str, str], ...]]

KEYS: tuple[Section, ...] = (
    (
        "Pods",
        (
            ("↑ ↓  j k", "move in the table (pgup/pgdn, home/end or g/G)"),
            ("enter", "zoom the selected pod's detail (esc: back); double-click does too"),
            ("/", "filter by words of name, namespace, status, cause; node:NAME; LABEL=VALUE"),
            ("ctrl+z", "show problems only"),
            ("o", "order: problems first, name, newest, most restarts"),
            ("O", "sort by a column (▲ ▼ in its header); the same column again reverses"),
            ("tab", "move focus between the table and the detail (to scroll it)"),
        ),
    ),
    (
        "On the selected pod",
        (
            ("d", "describe: everything kubectl describe shows"),
            ("l / p", "logs of the failing container / of its previous (crashed) run"),
            ("y", "YAML: the pod as kubectl get -o yaml shows it"),
            ("s", "shell: sh or bash in a running container, as kubectl exec -it (live only)"),
            ("x", "debug: attach an ephemeral container (asks first; live only)"),
            ("c", "copy: any fix command (c c: the first), name, namespace/name, Markdown"),
            ("J / 1-9", "jump to the pod's workload / to a related object its detail lists (esc: back)"),
        ),
    ),
    (
        "Scope and views",
        (
            (":", "a view by name, as in k9s: :deploy :svc :pvc :nodes :problems … (tab completes)"),
            ("e", "events view of the namespace (w: Warnings only)"),
            ("n", "switch namespace (or all namespaces)"),
            ("C", "switch kubeconfig context"),
            ("r", "reconnect now"),
            ("ctrl+p", "command palette: pods, namespaces, actions"),
            ("ctrl+t", "light / dark theme"),
            ("esc", "back: clear the filter, leave a view"),
            ("? / q", "this help (each screen has its own) / quit"),
            ("ctrl+c", "quit"),
        ),
    ),
)

LEGEND = (
    (SEVERITY_MARK["critical"], "critical: the pod cannot run until this is fixed"),
    (SEVERITY_MARK["warning"], "warning: degraded (not ready, evicted, probe failing)"),
    (SEVERITY_MARK["info"], "info: worth knowing, not a failure"),
    ("● live", "watching the cluster; ◌ syncing: listing; ✖ disconnected: data shown is stale, retrying"),
)


def _grid(rows) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="bold", min_width=9)
    grid.add_column()
    for key, what in rows:
        grid.add_row(key, what)
    return grid


def help_renderable(sections: tuple[Section, ...] = KEYS, legend: bool = True) -> Group:
    parts: list[RenderableType] = []
    for title, keys in sections:
        parts += [Text(title, style="bold underline"), _grid(keys), Text("")]
    if legend:
        parts += [Text("Marks", style="bold underline"), _grid(LEGEND)]
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, sections: tuple[Section, ...] = KEYS, *, legend: bool = True) -> None:
        super().__init__()
        self.sections, self.legend = sections, legend

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static("k8sdoctor — what is wrong with a pod, why, the evidence, and what to do next", id="help-title")
            yield Static(help_renderable(self.sections, self.legend), id="help-keys")
