"""An empty namespace in the TUI: said to be missing when it does not exist, and said to maybe not exist
when namespaces cannot be listed."""

from __future__ import annotations

from k8sdoctor.model.batch import Health
from k8sdoctor.tui.widgets.pods.state_panel import NamespaceFact, state_panel_content

EMPTY = Health(state="empty")


def panel(namespace: str, fact: NamespaceFact | None) -> str:
    return state_panel_content(EMPTY, None, namespace, None, lambda: 0.0, fact).plain


def test_a_namespace_that_does_not_exist_is_named_with_the_closest():
    fact = NamespaceFact.from_list("observabilty", ["default", "observability", "shop"])
    assert fact == NamespaceFact(False, ("observability",))
    assert panel("observabilty", fact).startswith('Namespace "observabilty" does not exist.\nDid you mean observability?')


def test_when_namespaces_cannot_be_listed_an_empty_one_may_not_exist():
    fact = NamespaceFact.from_list("observabilty", [])
    assert fact.exists is None
    text = panel("observabilty", fact)
    assert text.startswith('No pods in namespace "observabilty".\nIt may also not exist')


def test_an_existing_empty_namespace_is_just_empty():
    fact = NamespaceFact.from_list("quiet", ["default", "quiet"])
    assert fact.exists is True
    assert panel("quiet", fact).startswith('No pods in namespace "quiet".\nPress n')


def test_the_disconnected_panel_says_when_it_retries_in_one_sentence():
    health = Health(state="disconnected", message="cannot reach the API server at https://127.0.0.1:6443: Connection refused", retry_at=2.0)
    text = state_panel_content(health, None, "shop", None, lambda: 0.0).plain
    assert "Retrying in 2s. k8sdoctor keeps trying" in text and "retry in" not in text


def test_a_slow_list_shows_how_long_it_has_taken():
    text = state_panel_content(Health(state="syncing"), None, "shop", None, lambda: 0.0, syncing_for=12).plain
    assert text.startswith('Listing pods in namespace "shop"… (12s so far)')
    assert "so far" not in state_panel_content(Health(state="syncing"), None, "shop", None, lambda: 0.0, syncing_for=1).plain


def test_the_header_shows_how_long_it_has_been_syncing():
    from k8sdoctor.tui.widgets.header.cluster_header import state_content

    def header(state: str, waiting: float) -> str:
        return state_content(None, Health(state=state), 0, 0, lambda: 0.0, waiting_for=waiting).plain

    assert header("syncing", 12) == "◌ syncing 12s"
    assert header("connecting", 75) == "◌ connecting 75s"  # as kubectl writes ages
    assert header("syncing", 1) == "◌ syncing"  # not at once: a fast list shows no count


def test_the_header_counts_in_the_singular_and_gives_no_all_clear_for_nothing():
    from k8sdoctor.tui.widgets.header.cluster_header import state_content

    def header(pods: int, problems: int) -> str:
        return state_content(None, Health(state="ready"), pods, problems, lambda: 0.0).plain

    assert header(1, 1) == "● live  1 pod · 1 problem"
    assert header(3, 0) == "● live  3 pods · no problems"
    assert header(0, 0) == "● live  0 pods"
    assert header(0, 2) == "● live  0 pods · 2 problems"  # objects of other kinds
