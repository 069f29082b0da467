"""One boundary between cluster text and the TUI (k8sdoctor/tui/text.py): no other TUI module takes its
sanitising from elsewhere, and the app's entry points that reach the terminal outside a widget (toasts,
the clipboard, the title) go through it whatever their caller passed."""

from __future__ import annotations

import ast
from pathlib import Path

import k8sdoctor.tui
from k8sdoctor.tui.app import DoctorApp
from k8sdoctor.tui.widgets.table.virtual_table import fit
from tests.tui.helpers import make_app

TUI = Path(k8sdoctor.tui.__file__).parent
HOSTILE = "secret \x1b]52;c;aWQ=\x1b\\ [b]bold[/b] [@click=app.quit]x[/] \x9b31m"


def test_no_tui_module_bypasses_the_boundary():
    offenders = []
    for path in TUI.rglob("*.py"):
        if path.name == "text.py" and path.parent == TUI:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "k8sdoctor.sanitize":
                offenders.append(str(path.relative_to(TUI)))
            if isinstance(node, ast.Import) and any(a.name == "k8sdoctor.sanitize" for a in node.names):
                offenders.append(str(path.relative_to(TUI)))
    assert offenders == []


def test_every_table_cell_is_made_printable_where_it_is_drawn():
    cell = fit(HOSTILE, 80)
    assert "\x1b" not in cell and "\x9b" not in cell and "\\x1b]52;c;aWQ=" in cell


async def test_toasts_the_clipboard_and_the_title_are_sanitised(engine):
    app: DoctorApp = make_app(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        app.notify(HOSTILE, title=HOSTILE, markup=True)
        app.copy_to_clipboard(f"kubectl get {HOSTILE}")
        app.title = HOSTILE
        await pilot.pause()
        (toast,) = list(app._notifications)
        assert "\x1b" not in toast.message and "\x1b" not in toast.title and "\x9b" not in toast.message
        assert toast.markup is False  # markup in cluster text never runs: [@click=...] stays text
        assert "[@click=app.quit]" in toast.message
        assert app.clipboard == "kubectl get " + HOSTILE.replace("\x1b", "\\x1b").replace("\x9b", "\\x9b")
        assert "\x1b" not in app.title and "\n" not in app.title
