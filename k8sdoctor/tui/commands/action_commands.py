"""Palette: every key's action by name, so nothing needs remembering."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

COMMANDS = (
    ("Describe pod", "describe", "everything kubectl describe shows, findings highlighted (d)"),
    ("Logs of the failing container", "logs", "current logs (l)"),
    ("Previous logs", "previous_logs", "the logs of the run that crashed (p)"),
    ("YAML of the pod", "yaml", "the pod as kubectl get -o yaml shows it (y)"),
    ("Shell into a container", "shell", "sh or bash in a running container, as kubectl exec -it (s)"),
    ("Debug pod", "debug", "attach an ephemeral debug container, after asking (x)"),
    ("Copy…", "copy", "a remediation command, the pod's name, the finding as Markdown (c; c c: the top command)"),
    ("Toggle problems only", "toggle_problems", "hide healthy pods (ctrl+z)"),
    ("Cycle sort order", "cycle_sort", "problems first, name, newest, most restarts (o)"),
    ("Sort by column…", "sort_by_column", "any column, ascending or descending (O)"),
    ("Filter pods", "filter", "fuzzy filter on name, namespace, status, cause (/)"),
    ("Events view", "events", "the namespace's event stream (e)"),
    ("Switch namespace…", "pick_namespace", "choose another namespace, or all (n)"),
    ("Switch context…", "pick_context", "choose another kubeconfig context (C)"),
    ("Reconnect now", "reconnect", "restart the watches without waiting for the retry (r)"),
    ("Toggle light/dark theme", "app.toggle_theme", "(ctrl+t)"),
    ("Help", "app.help", "keys and what the screens show (?)"),
)


class ActionCommands(Provider):
    def _available(self):
        screen = self.screen
        for title, action, help_text in COMMANDS:
            if action.startswith("app.") or screen.check_action(action, ()):
                yield title, action, help_text

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, help_text in self._available():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self.screen.run_action, action), help=help_text)

    async def discover(self) -> Hits:
        for title, action, help_text in self._available():
            yield DiscoveryHit(title, partial(self.screen.run_action, action), help=help_text)
