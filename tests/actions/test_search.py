"""Search in lines: smart case, next and previous, matches kept across new lines."""

from __future__ import annotations

from k8sdoctor.actions.search import Match, Search, find_matches

LINES = ["Error: one", "fine", "error again, ERROR twice", "done"]


def test_a_lower_case_query_ignores_case_and_a_capital_makes_it_exact():
    assert find_matches(LINES, "error") == [Match(0, 0, 5), Match(2, 0, 5), Match(2, 13, 18)]
    assert find_matches(LINES, "ERROR") == [Match(2, 13, 18)]
    assert find_matches(LINES, "") == []


def test_next_and_previous_wrap_around_from_where_the_reader_is():
    search = Search()
    assert search.run(LINES, "error", from_line=1) == Match(2, 0, 5)
    assert search.status == "/error: 2 of 3"
    assert search.step() == Match(2, 13, 18)
    assert search.step() == Match(0, 0, 5)
    assert search.step(forward=False) == Match(2, 13, 18)
    assert Search().run(LINES, "absent") is None


def test_the_current_match_survives_lines_dropped_from_the_top():
    search = Search()
    search.run(LINES, "error", from_line=2)
    search.step()  # (2, 13)
    search.refresh(LINES[1:] + ["new error"], shift=1)
    assert search.matches[search.current] == Match(1, 13, 18)
    assert len(search.matches) == 3
