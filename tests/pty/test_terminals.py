"""The main screen at the sizes and in the terminal types users have: names whole (or cut in the middle,
never into look-alikes), severity readable in 16, 256 and true colour and with NO_COLOR."""

from __future__ import annotations

import pytest

from tests.pty.conftest import LARGE, SMALL
from tests.pty.screens import header_row, main_screen_ready, table_rows

TERMINALS = {
    "xterm": ("xterm", {}),  # 16 colours
    "linux": ("linux", {}),  # the Linux console: 16 colours
    "256": ("xterm-256color", {}),
    "truecolor": ("xterm-256color", {"COLORTERM": "truecolor"}),
    "NO_COLOR": ("xterm", {"NO_COLOR": "1"}),
}
SIXTEEN = {"xterm", "linux"}
RED16 = {"red", "brightred"}


def reddish(fg: str) -> bool:
    if fg in RED16:
        return True
    if len(fg) != 6:
        return False
    r, g, b = int(fg[:2], 16), int(fg[2:4], 16), int(fg[4:], 16)
    return r > g + 40 and r > b + 20


def diagnosis_cells(t, y: int) -> list:
    """The first cells of the DIAGNOSIS column on row `y`: its mark and the start of the cause."""
    chars = t.row_chars(y)
    start = next(x for x, c in enumerate(chars) if c.data in "✖▲●")
    return chars[start : start + 6]


@pytest.fixture
def pods(demo_cluster) -> dict[tuple[str, str], dict]:
    return {(p["metadata"]["namespace"], p["metadata"]["name"]): p for p in demo_cluster.server.list("Pod")}


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x35"])
@pytest.mark.parametrize("kind", list(TERMINALS))
def test_names_whole_and_severity_visible(terminal, demo_cluster, pods, size, kind):
    term, env = TERMINALS[kind]
    t = terminal("--kubeconfig", str(demo_cluster.kubeconfig), "-A", cols=size[0], rows=size[1], term=term, env=env)
    main_screen_ready(t)
    rows = table_rows(t)
    assert len(rows) >= 5
    names = {name for _ns, name in pods}
    namespaces = {ns for ns, _name in pods}
    seen = []
    for row in rows:
        namespace, name = row.split()[:2]
        assert namespace in namespaces, f"namespace cut: {row!r}"
        assert name in names, f"pod name cut: {row!r}"
        seen.append((namespace, name))
    assert len(set(seen)) == len(seen)
    top = header_row(t)
    assert top is not None
    for i, row in enumerate(rows):
        y = top + 1 + i
        marks = [m for m in "✖▲" if m in row]
        assert marks, f"a problem row without its severity mark: {row!r}"  # problems come first; the demo's first rows all fail
        if kind == "NO_COLOR":
            continue
        cells = diagnosis_cells(t, y)
        if i == 0:  # the cursor row: told apart, and (16 colours) still red, reversed
            assert all(c.reverse or c.bg not in ("default", "black") for c in cells), row
            if kind in SIXTEEN:
                assert all(c.fg in RED16 and c.reverse for c in cells), (row, cells[0])
        elif "✖" in row:
            assert all(reddish(c.fg) for c in cells), (row, cells[0])


FOOTER = "? Help q Quit d Describe l Logs p Prev x Debug c Copy / Filter e Events n Namespace ^z Problems : Command"


@pytest.mark.parametrize("size", [(60, 20), SMALL, LARGE], ids=["60x20", "80x24", "120x35"])
def test_the_footer_starts_with_help_and_quit_and_leaves_no_stale_cell(terminal, demo_cluster, size):
    t = terminal("--kubeconfig", str(demo_cluster.kubeconfig), "-A", cols=size[0], rows=size[1])
    main_screen_ready(t)
    t.send("j", "k")  # a few redraws
    main_screen_ready(t)
    bottom = t.lines()[-1].strip()
    assert bottom.startswith("? Help q Quit")
    assert FOOTER.startswith(bottom), bottom  # clipped at the edge, never a stale character after it
