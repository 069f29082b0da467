"""Action screens opened from the main screen: describe (`d`), logs (`l`, `p` for previous), debug
(`x`) and YAML (`y`). The main app calls these factories with the pod's namespace and name; each returns
a Textual `Screen` that the app pushes, and that dismisses itself (esc) back to the main screen. The shell
(`s`) has no screen: a menu, then the terminal (`shell.ShellLauncher`).

    describe_screen(ctx: ActionContext, namespace: str, name: str) -> Screen
    logs_screen(ctx: ActionContext, namespace: str, name: str, previous: bool) -> Screen
    debug_screen(ctx: ActionContext, namespace: str, name: str) -> Screen
    yaml_screen(ctx: ActionContext, namespace: str, name: str, kind: str = "Pod") -> Screen
"""

from __future__ import annotations

from textual.screen import Screen

from k8sdoctor.actions.context import ActionContext


def describe_screen(ctx: ActionContext, namespace: str, name: str) -> Screen:
    from k8sdoctor.tui.actions.describe import DescribeScreen

    return DescribeScreen(ctx, namespace, name)


def logs_screen(ctx: ActionContext, namespace: str, name: str, previous: bool) -> Screen:
    from k8sdoctor.tui.actions.logs import LogsScreen

    return LogsScreen(ctx, namespace, name, previous)


def debug_screen(ctx: ActionContext, namespace: str, name: str) -> Screen:
    from k8sdoctor.tui.actions.debug import DebugScreen

    return DebugScreen(ctx, namespace, name)


def yaml_screen(ctx: ActionContext, namespace: str, name: str, kind: str = "Pod") -> Screen:
    from k8sdoctor.tui.actions.yaml import YamlScreen

    return YamlScreen(ctx, kind, namespace, name)
