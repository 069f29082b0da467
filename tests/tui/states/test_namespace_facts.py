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
