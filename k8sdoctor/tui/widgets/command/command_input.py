"""`CommandInput`: the `:` prompt, completing view names (kubectl's short names too), `ns NAME` and
`ctx NAME` as they are typed; tab (or →) takes the completion."""

from __future__ import annotations

from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Input

from k8sdoctor.model.commands import WORDS
from k8sdoctor.tui.text import one_line


class CommandSuggester(Suggester):
    """Completes the first word from the views, and `ns`/`ctx` arguments from what the prompt learned."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.namespaces: list[str] = []
        self.contexts: list[str] = []

    def candidates(self, value: str) -> list[str]:
        head, _, rest = value.partition(" ")
        if not _:
            return [w for w in WORDS if w.startswith(head.lower())]
        names = self.namespaces + ["all"] if head.lower() == "ns" else self.contexts if head.lower() == "ctx" else []
        return [f"{head} {n}" for n in names if n.startswith(rest)]

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        found = self.candidates(value)
        return found[0] if found else None


class CommandInput(Input):
    BINDINGS = [Binding("tab", "complete", "Complete", show=False)]

    def __init__(self, *, id: str | None = None) -> None:
        self.completions = CommandSuggester()
        super().__init__(placeholder="pods, deploy, svc, pvc, nodes, problems… · ns NAME · ctx NAME", suggester=self.completions, id=id)
        self.cursor_blink = False

    def learn(self, namespaces: list[str], contexts: list[str]) -> None:
        """Names to complete `ns` and `ctx` with (listed by a worker once the prompt is open)."""
        self.completions.namespaces = sorted({one_line(n) for n in namespaces if n})
        self.completions.contexts = sorted({one_line(c) for c in contexts if c})

    def action_complete(self) -> None:
        self.cursor_position = len(self.value)
        self.action_cursor_right()
