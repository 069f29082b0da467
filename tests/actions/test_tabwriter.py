"""Go text/tabwriter's rules, as kubectl describe relies on them."""

from __future__ import annotations

from k8sdoctor.actions.tabwriter import align


def test_a_column_is_as_wide_as_its_widest_cell_plus_two():
    assert align(["Name:\tweb", "Namespace:\tshop"]) == ["Name:       web", "Namespace:  shop"]


def test_a_line_without_a_tab_ends_the_block():
    assert align(["Name:\tweb", "Containers:", "  app:\tx", "Namespace:\tshop"]) == [
        "Name:  web",
        "Containers:",
        "  app:      x",
        "Namespace:  shop",
    ]


def test_the_text_after_the_last_tab_is_not_padded_and_empty_cells_still_are():
    assert align(["IP:\t", "IPs:\t<none>"]) == ["IP:   ", "IPs:  <none>"]
    assert align(["  Ready \tTrue ", "  PodScheduled \tTrue "]) == ["  Ready          True ", "  PodScheduled   True "]


def test_nested_columns_are_aligned_within_their_own_block():
    assert align(["  Type\tReason\tMessage", "  Normal\tPulled\tok", "  Warning\tBackOff\tagain"]) == [
        "  Type     Reason   Message",
        "  Normal   Pulled   ok",
        "  Warning  BackOff  again",
    ]


def test_a_flush_ends_every_block():
    assert align(["Tolerations:\t<none>", None, "Events:\t<none>"]) == ["Tolerations:  <none>", "Events:  <none>"]
