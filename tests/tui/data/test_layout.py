"""Column widths of the virtual table, and cell fitting."""

from __future__ import annotations

from rich.cells import cell_len

from k8sdoctor.tui.widgets.table.virtual_table import fit, level


def test_level_cuts_the_widest_first_and_respects_minimums():
    assert level([10, 40, 5], [3, 8, 5], 100) == [10, 40, 5]  # fits: untouched
    widths = level([10, 40, 30], [3, 8, 5], 50)
    assert sum(widths) == 50 and widths[0] == 10 and widths[1] >= widths[2] >= 10
    assert level([10, 40, 30], [8, 20, 20], 10) == [8, 20, 20]  # never below the minimum


def test_fit_pads_cuts_and_picks_the_alternative_that_fits():
    assert fit("abc", 5) == "abc  "
    assert fit("abcdef", 4) == "abc…"
    assert fit(("✖ CrashLoopBackOff › oom-killed", "✖ oom-killed"), 20) == "✖ oom-killed        "
    assert fit(("✖ CrashLoopBackOff › oom-killed", "✖ oom-killed"), 40).startswith("✖ CrashLoopBackOff")
    assert cell_len(fit("日本語のポッド", 5)) == 5
    assert fit("x", 0) == ""


def test_a_name_is_cut_in_the_middle_so_its_unique_suffix_stays():
    assert fit("kestra-7sx7k2s4th-bvjlm", 16, "middle") == "kestra-…th-bvjlm"
    assert fit("kestra-7sx7k2s4th-kdgbp", 16, "middle") == "kestra-…th-kdgbp"
    assert fit("kestra-7sx7k2s4th-bvjlm", 30, "middle") == "kestra-7sx7k2s4th-bvjlm       "
    assert cell_len(fit("日本語のポッド-abcde", 9, "middle")) == 9


def pod_columns_at(width: int, *, namespace: bool = True) -> dict[str, int]:
    """The pods table's widths at `width` for demo-like content: long names, long statuses."""
    from k8sdoctor.tui.widgets.pods.pod_table import COLUMNS
    from k8sdoctor.tui.widgets.table.virtual_table import layout_widths

    content = {"namespace": 13, "name": 43, "ready": 3, "status": 26, "restarts": 14, "age": 4, "diagnosis": 40}
    short = {"restarts": 2, "status": 10, "diagnosis": 24}
    columns = [c for c in COLUMNS if namespace or c.key != "namespace"]
    want = {c.key: max(c.min_width, min(c.max_width, max(len(c.label), content[c.key]))) for c in columns}
    return {c.key: w for c, w in layout_widths(columns, want, short, width)}


def test_names_stay_whole_while_anything_else_can_give_way():
    for width in (80, 100, 120, 160):
        widths = pod_columns_at(width)
        assert widths["name"] == 43 and widths["namespace"] == 13, width
        assert sum(widths.values()) + (len(widths) - 1) * (2 if width >= 100 else 1) <= width
    assert pod_columns_at(160)["diagnosis"] >= 40  # room: nothing is cut
    at_120 = pod_columns_at(120)
    assert at_120["diagnosis"] >= 24 and at_120["status"] == 10 and "age" in at_120  # the category and the status go first
    at_80 = pod_columns_at(80)
    assert {"restarts", "age", "ready"}.isdisjoint(at_80) and at_80["diagnosis"] >= 12  # hidden before names are cut


def test_at_60_columns_names_are_cut_last_and_the_cause_keeps_its_room():
    widths = pod_columns_at(60)
    assert widths["diagnosis"] >= 12  # never a lone mark
    assert widths["name"] < 43 and widths["name"] >= 12
