"""The text and Markdown reports: commands whole on their line at any width, quotes verbatim and set
apart, Markdown that renders as intended (code blocks inside their list item) and that cluster text
cannot turn into links, images, comments or mentions."""

from __future__ import annotations

import io

import pytest

from k8sdoctor.cli.report import group_by_workload, md_text, render_text, to_markdown
from k8sdoctor.core.findings import Diagnosis, Evidence, Finding, Step
from tests.tui.helpers import FIXED_NOW, demo_inventory


@pytest.fixture(scope="module")
def demo_results(engine):
    inventory = demo_inventory()
    return [engine.diagnose_pod(inventory, inventory.pods[key], FIXED_NOW) for key in sorted(inventory.pods)]


def text_report(results: list[Diagnosis], width: int = 80) -> str:
    class Pipe(io.StringIO):
        def isatty(self) -> bool:
            return False

    out = Pipe()
    import os

    os.environ["COLUMNS"] = str(width)
    try:
        render_text(results, group_by_workload(results, {}), [], show_healthy=False, single=False, stream=out)
    finally:
        del os.environ["COLUMNS"]
    return out.getvalue()


def commands(results: list[Diagnosis]) -> list[str]:
    return [s.command for r in results for f in r.findings for s in f.remediation if s.command]


@pytest.mark.parametrize("width", [60, 80, 120])
def test_every_command_is_whole_on_its_line_at_any_width(demo_results, width):
    lines = text_report(demo_results, width).splitlines()
    shown = [line.strip()[2:] for line in lines if line.strip().startswith("$ ")]
    long = [c for c in commands(demo_results) if len(c) > width]
    assert long, "the demo has commands wider than the page"
    for command in commands(demo_results):
        assert command in shown, command


def test_piped_quotes_are_whole_verbatim_lines_behind_a_bar(demo_results):
    report = text_report(demo_results, 80)
    quoted = [line.strip()[2:] for line in report.splitlines() if line.strip().startswith("│ ")]
    texts = [line for r in demo_results for f in r.findings for e in f.evidence for line in e.text.split("\n")]
    assert any(len(t) > 80 for t in texts)
    for text in texts:
        assert text.strip() in [q.strip() for q in quoted], text  # whole, greppable, as the cluster said it
    assert "\x1b" not in report  # a pipe: no colour at all, the bar does the separating


def test_on_a_terminal_a_long_quote_wraps_and_keeps_its_bar(demo_results, monkeypatch):
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    out = Tty()
    render_text(demo_results, group_by_workload(demo_results, {}), [], show_healthy=False, single=False, stream=out)
    event = next(e.text for r in demo_results for f in r.findings for e in f.evidence if len(e.text) > 200 and "\n" not in e.text)
    quoted = [line.strip()[2:] for line in out.getvalue().splitlines() if line.strip().startswith("│ ")]
    start = next(i for i, line in enumerate(quoted) if event.startswith(line))
    joined = ""
    for line in quoted[start:]:
        joined = f"{joined} {line}".strip() if joined else line
        if len(joined) >= len(event):
            break
    assert joined.split() == event.split()  # every wrapped line of it had its bar


def test_markdown_code_blocks_stay_inside_their_list_item(demo_results):
    md = to_markdown(demo_results, group_by_workload(demo_results, {}), [])
    lines = md.splitlines()
    for i, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            assert line.startswith(("  ```", "   ```")), f"a fence outside its list item: {line!r} (line {i})"
    numbered = [line for line in lines if line[:1].isdigit() and ". " in line[:4]]
    assert any(line.startswith("2. ") for line in numbered)
    for command in commands(demo_results):
        assert f"   {command}" in lines


HOSTILE = "x <!-- hide the rest ![pixel](https://evil.example/p.png) [click](https://evil.example) @org/admins `rm -rf` # | ~~"


def test_cluster_text_cannot_make_links_images_comments_or_mentions_in_markdown():
    finding = Finding(
        category="CrashLoopBackOff",
        cause="app-error",
        container=HOSTILE,
        severity="critical",
        summary=HOSTILE,
        explanation=HOSTILE,
        evidence=[Evidence(source=HOSTILE, text=HOSTILE)],
        remediation=[Step(text=HOSTILE, command=f"kubectl logs {HOSTILE}")],
        playbook="crash-loop",
    )
    pod = Diagnosis(namespace="shop", name=HOSTILE, phase="Running", status=HOSTILE, findings=[finding], notes=[HOSTILE])
    md = to_markdown([pod], group_by_workload([pod], {}), [HOSTILE])
    outside = [line for line in md.splitlines() if not line.startswith(("  ", "   "))]  # the code blocks are indented
    for line in outside:
        for raw in ("<!--", "![", "](", "[click]", " @org", "`rm"):
            assert raw not in line.replace("\\" + raw[0], ""), (raw, line)
    assert "   kubectl logs " + HOSTILE in md  # in a code block, verbatim
    assert md_text("a @b") == "a \\@b"


def test_on_a_terminal_the_source_is_dim_and_the_quote_is_not(demo_results, monkeypatch):
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    out = Tty()
    render_text(demo_results[:3], group_by_workload(demo_results[:3], {}), [], show_healthy=False, single=False, stream=out)
    lines = out.getvalue().splitlines()
    source = next(line for line in lines if "status.containerStatuses" in line)
    quote = next(line for line in lines if "│" in line)
    assert "\x1b[2;3m" in source  # dim italic
    after_bar = quote.split("│", 1)[1]
    assert "\x1b[2" not in after_bar  # the quoted words themselves are not dimmed


def test_counts_agree_with_their_number():
    from k8sdoctor.cli.playbooks_cmd import counted

    assert [counted(n, "cause") for n in (0, 1, 2)] == ["0 causes", "1 cause", "2 causes"]


def test_the_summary_counts_one_pod_in_the_singular():
    from k8sdoctor.cli.report import count_line

    assert count_line({"kinds": {"Pod": 1}, "pods": 1, "objects": 1}) == "1 pod"
    assert count_line({"kinds": {"Pod": 2}, "pods": 2, "objects": 2}) == "2 pods"
    assert count_line({"kinds": {"Deployment": 1, "Pod": 1}, "pods": 1, "objects": 2}) == "2 objects (1 deployment, 1 pod)"
