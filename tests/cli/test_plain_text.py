"""The text report laid out without Rich (output that is not a terminal) is byte for byte what Rich lays
out, at any width; where it cannot be, Rich renders it; a pipe's report imports no Rich at all."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8sdoctor.cli.plain_text import NeedsRich, PlainWriter, plain_width
from k8sdoctor.cli.report import RichWriter, _write_text, group_by_workload, render_text
from k8sdoctor.core.findings import Diagnosis, Evidence, Finding, Step
from tests.tui.helpers import FIXED_NOW, demo_inventory


class Pipe(io.StringIO):
    def isatty(self) -> bool:
        return False


def both(results: list[Diagnosis], width: int, monkeypatch, *, single: bool = False) -> tuple[str | None, str]:
    """(the plain layout, or None when it defers to Rich; Rich's layout) of one report on a pipe."""
    monkeypatch.setenv("COLUMNS", str(width))
    groups = group_by_workload(results, {})
    plain_out, rich_out = Pipe(), Pipe()
    try:
        plain = PlainWriter(plain_out, width)
        _write_text(plain, results, groups, ["a note"], show_healthy=True, single=single)
        plain.flush()
        laid_out: str | None = plain_out.getvalue()
    except NeedsRich:
        laid_out = None
    rich = RichWriter(rich_out)
    _write_text(rich, results, groups, ["a note"], show_healthy=True, single=single)
    rich.flush()
    return laid_out, rich_out.getvalue()


@pytest.fixture(scope="module")
def demo_results(engine):
    inventory = demo_inventory()
    return [engine.diagnose_pod(inventory, inventory.pods[key], FIXED_NOW) for key in sorted(inventory.pods)]


@pytest.mark.parametrize("width", [24, 40, 60, 80, 100, 132, 200])
def test_the_demo_report_is_laid_out_as_rich_does(demo_results, width, monkeypatch):
    laid_out, rich = both(demo_results, width, monkeypatch)
    if width >= 60:  # narrower, a long word in a numbered step is Rich's to cut
        assert laid_out is not None
    assert laid_out in (None, rich)
    for result in demo_results:
        laid_out, rich = both([result], width, monkeypatch, single=True)
        assert laid_out in (None, rich)


short_words = st.text(alphabet="abcdefghij-./:", min_size=1, max_size=9)
words = st.one_of(short_words, short_words, st.text(alphabet="xyz", min_size=30, max_size=150))
gaps = st.sampled_from([" ", "  ", "\n", " \n", "\n\n"])


def _prose(word: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda ws, gs: "".join(w + g for w, g in zip(ws, gs, strict=False)).strip(),
        st.lists(word, max_size=25),
        st.lists(gaps, max_size=25),
    )


prose = _prose(words)
narrow_text = st.text(alphabet="ab c\t\n-—×", max_size=80)
cluster_text = st.one_of(
    narrow_text, narrow_text, narrow_text, st.text(alphabet=st.sampled_from(list("ab c\t\n") + ["é", "日", "\x1b", "\u202e"]), max_size=80)
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    summary=prose,
    explanation=prose,
    step=st.one_of(_prose(short_words), _prose(short_words), prose),
    quoted=cluster_text,
    source=prose,
    width=st.integers(min_value=20, max_value=140),
)
def test_any_text_is_laid_out_as_rich_does_or_left_to_rich(summary, explanation, step, quoted, source, width, monkeypatch):
    finding = Finding(
        category="CrashLoopBackOff",
        cause="dependency-unreachable",
        severity="critical",
        summary=summary,
        explanation=explanation,
        evidence=[Evidence(source or "log", quoted)],
        remediation=[Step(step, command=f"kubectl logs {quoted}")] * 11,  # a two-digit number too
        container="app",
        playbook="crashloop",
    )
    result = Diagnosis(namespace="shop", name="web-1", phase="Running", status="CrashLoopBackOff", findings=[finding])
    laid_out, rich = both([result], width, monkeypatch)
    assert laid_out in (None, rich)


def test_what_it_cannot_measure_is_left_to_rich(monkeypatch):
    wide = Finding("c", "x", None, "warning", "名前が長すぎます", "", [], [], "p")
    result = Diagnosis(namespace="shop", name="web-1", phase="Running", status="Error", findings=[wide])
    laid_out, rich = both([result], 80, monkeypatch, single=True)
    assert laid_out is None
    assert "名前が長すぎます" in rich
    out = Pipe()
    render_text([result], group_by_workload([result], {}), ["a note"], show_healthy=True, single=True, stream=out)
    assert out.getvalue() == rich


def test_a_terminal_or_forced_colour_goes_to_rich(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    monkeypatch.setenv("COLUMNS", "90")
    assert plain_width(Tty()) is None
    assert plain_width(Pipe()) == 90
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert plain_width(Pipe()) is None
    monkeypatch.setenv("FORCE_COLOR", "")
    assert plain_width(Pipe()) == 90
    monkeypatch.setenv("TTY_COMPATIBLE", "0")
    assert plain_width(Tty()) == 90


def test_a_piped_report_imports_no_rich(engine):
    code = (
        "import sys\n"
        "from datetime import datetime\n"
        "from k8sdoctor.cli.report import group_by_workload, render_text\n"
        "from k8sdoctor.core.engine import Engine\n"
        "from k8sdoctor.playbook_files import load_playbooks\n"
        "from k8sdoctor.demo.cluster import demo_inventory\n"
        "engine = Engine(load_playbooks(use_user_dir=False).playbooks)\n"
        f"now = datetime.fromisoformat('{FIXED_NOW.isoformat()}')\n"
        "inv = demo_inventory(now)\n"
        "results = [engine.diagnose_pod(inv, inv.pods[k], now) for k in sorted(inv.pods)]\n"
        "render_text(results, group_by_workload(results, {}), [], show_healthy=False, single=False)\n"
        "assert not [m for m in sys.modules if m == 'rich' or m.startswith('rich.')], 'rich imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"COLUMNS": "80", "PATH": ""}, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "CrashLoopBackOff" in done.stdout


def test_every_character_it_lays_out_is_one_cell_for_rich():
    from rich.cells import cell_len

    from k8sdoctor.cli.plain_text import NARROW_RANGES

    chars = [chr(c) for start, end in NARROW_RANGES for c in range(start, end + 1)]
    assert [c for c in chars if cell_len(c) != 1] == []
    assert [c for c in chars if c.isspace() and c != " "] == []  # Rich crops trailing spaces of any kind
