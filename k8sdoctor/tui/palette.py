"""Rich styles for content the detail pane renders with Rich (wrapped tables, indented quotes), taken
from the current Textual theme so dark and light themes both read well. NO_COLOR is applied by Textual
to everything on screen, these included."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.style import Style
from textual.app import App
from textual.color import Color, ColorParseError


def _color(variables: dict[str, str], name: str) -> Style:
    """The theme variable as a Rich style: a hex colour, or the terminal's own ANSI colour in the
    16-colour themes."""
    try:
        return Style(color=Color.parse(variables[name]).rich_color)
    except (KeyError, ColorParseError):
        return Style()


@dataclass(frozen=True)
class Palette:
    critical: Style
    warning: Style
    info: Style
    success: Style
    accent: Style
    muted: Style = field(default_factory=lambda: Style(dim=True))

    @classmethod
    def from_app(cls, app: App) -> Palette:
        v = app.theme_variables
        return cls(
            critical=_color(v, "text-error"),
            warning=_color(v, "text-warning"),
            info=_color(v, "text-primary"),
            success=_color(v, "text-success"),
            accent=_color(v, "text-accent"),
        )

    def severity(self, severity: str | None) -> Style:
        return {"critical": self.critical, "warning": self.warning, "info": self.info}.get(severity or "", Style())
