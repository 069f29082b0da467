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
