"""The `:` command line: k9s's words and kubectl's names and short names open a view; ns, ctx and q; every
other line gets one sentence saying what is possible."""

from __future__ import annotations

import pytest

from k8sdoctor.model.commands import PROBLEMS, VIEWS, Command, CommandError, parse_command, view_word


@pytest.mark.parametrize(
    ("typed", "command"),
    [
        ("deploy", Command("view", "Deployment")),
        (":deployments", Command("view", "Deployment")),  # kubectl's plural
        ("Deployment", Command("view", "Deployment")),
        ("svc web", Command("view", "Service", "web")),  # a filter for the view
        ("po", Command("view", "Pod")),
        ("persistentvolumeclaims", Command("view", "PersistentVolumeClaim")),
        ("no", Command("view", "Node")),
        ("problems", Command("view", PROBLEMS)),
        ("ns shop", Command("namespace", argument="shop")),
        ("ns all", Command("namespace", argument=None)),
        ("ctx kind-demo", Command("context", argument="kind-demo")),
        ("q", Command("quit")),
    ],
)
def test_commands(typed, command):
    assert parse_command(typed) == command


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Type a view"),
        ("cm", "No view for configmaps"),
        ("deplyo", 'Unknown command "deplyo"'),
        ("ns", "ns needs a namespace"),
        ("ctx", "ctx needs a context name"),
    ],
)
def test_lines_that_cannot_run_say_why_in_one_line(typed, says):
    with pytest.raises(CommandError) as caught:
        parse_command(typed)
    assert says in str(caught.value) and "\n" not in str(caught.value)


def test_every_view_has_a_word_that_opens_it():
    for kind in VIEWS.values():
        assert parse_command(view_word(kind)) == Command("view", kind)
