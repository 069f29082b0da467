"""`c`: a menu of what to copy from the selected pod: its name, `namespace/name`, each remediation command
of its findings, the top finding as Markdown. `c` again copies the top finding's first command (so `cc`
is the old `c`); the others have keys of their own. The text goes to the terminal by OSC 52 and to the
system clipboard where there is one, and the notification says which took it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from k8sdoctor.tui.actions.menu import MenuItem, MenuScreen

if TYPE_CHECKING:
    from textual.app import App

    from k8sdoctor.cluster.view import PodRow

OSC52_ONLY = "OSC 52 only: your terminal must allow it"
PREVIEW = 120  # characters of the copied text the notification shows


@dataclass(frozen=True)
class CopyChoice:
    item: MenuItem
    text: str


def copy_choices(row: PodRow) -> list[CopyChoice]:
    """What `c` offers for a pod: each remediation command of its findings (once each; the first on `c`,
    the next on 2-9, a tenth and more on ↑ ↓ only), its name, `namespace/name`, and the top finding as
    Markdown."""
    choices: list[CopyChoice] = []
    commands: list[tuple[str, str]] = []
    for finding in row.diagnosis.findings:
        for step in finding.remediation:
            if step.command and step.command not in (c for c, _ in commands):
                commands.append((step.command, finding.cause))
    keys = iter(("c", *"23456789"))
    several = len(row.diagnosis.findings) > 1  # then each command says which finding it is for
    for i, (command, cause) in enumerate(commands):
        choices.append(CopyChoice(MenuItem(f"command-{i}", command, next(keys, ""), cause if several else ""), command))
    qualified = f"{row.namespace}/{row.name}"
    choices.append(CopyChoice(MenuItem("name", row.name, "n", "pod name"), row.name))
    choices.append(CopyChoice(MenuItem("qualified", qualified, "N", "namespace/name"), qualified))
    findings = row.diagnosis.findings
    if findings:
        from k8sdoctor.cli.report import finding_markdown

        top = findings[0]
        choices.append(
            CopyChoice(
                MenuItem("markdown", f"{top.category} / {top.cause}", "m", "top finding as Markdown"), finding_markdown(row.diagnosis, top)
            )
        )
    return choices


def copied_note(tool: str | None) -> str:
    """Which clipboards took the text."""
    return f"OSC 52 and {tool}" if tool else OSC52_ONLY


def preview(text: str) -> str:
    """The copied text as the notification shows it: the first line, cut, with the number of lines."""
    lines = text.rstrip("\n").split("\n")
    first = lines[0] if len(lines[0]) <= PREVIEW else lines[0][: PREVIEW - 1] + "…"
    return first if len(lines) == 1 else f"{first} … ({len(lines)} lines)"


class CopyMenu:
    """The flow behind `c`, for one pod: the menu, then OSC 52 at once and the system clipboard in a worker."""

    def __init__(self, app: App, row: PodRow) -> None:
        self.app, self.row = app, row
        self.choices = {choice.item.id: choice for choice in copy_choices(row)}

    def start(self) -> None:
        items = [choice.item for choice in self.choices.values()]
        hint = "c: the first command" if "command-0" in self.choices else "no remediation command to copy"
        self.app.push_screen(MenuScreen(f"Copy from {self.row.namespace}/{self.row.name}", items, hint=hint), self._chosen)

    def _chosen(self, choice: str | None) -> None:
        if choice is None:
            return
        text = self.choices[choice].text
        self.app.copy_to_clipboard(text)  # OSC 52: the terminal's clipboard, over SSH too
        self.app.run_worker(lambda: self._system_copy(text), thread=True, group="copy", exit_on_error=False)

    def _system_copy(self, text: str) -> None:
        from k8sdoctor.actions.clipboard import system_copy
        from k8sdoctor.tui.text import printable

        tool = system_copy(printable(text))  # what OSC 52 got: printable text only
        self.app.call_from_thread(self.app.notify, f"{preview(text)}\n{copied_note(tool)}", title="Copied to the clipboard")
