"""`c`: the copy menu on the selected pod (each remediation command, the name, namespace/name, the top
finding as Markdown), what it copies by OSC 52, and the notification saying which clipboards took it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from k8sdoctor.cli.report import finding_markdown, group_by_workload, to_markdown
from k8sdoctor.tui.actions.copy import OSC52_ONLY, copy_choices, preview
from k8sdoctor.tui.actions.menu import MenuScreen
from tests.tui.helpers import detail_shown, make_app, settle


@pytest.fixture(autouse=True)
def no_system_clipboard(tmp_path, monkeypatch):
    """No clipboard tool on PATH: the tests never write the machine's clipboard."""
    monkeypatch.setenv("PATH", str(tmp_path))


def commands_of(row) -> list[str]:
    seen: list[str] = []
    for finding in row.diagnosis.findings:
        for step in finding.remediation:
            if step.command and step.command not in seen:
                seen.append(step.command)
    return seen


async def demo_rows(engine):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        return list(app.main_screen.table.all_rows.values())


async def test_every_command_of_every_finding_is_offered_once_then_the_names_and_the_finding(engine):
    rows = await demo_rows(engine)
    many = max(rows, key=lambda r: len(commands_of(r)))
    assert len(commands_of(many)) >= 2  # the demo has a pod with several commands
    choices = copy_choices(many)
    commands = commands_of(many)
    assert [c.text for c in choices[: len(commands)]] == commands
    assert [c.item.key for c in choices[: len(commands)]] == ["c", *"23456789"][: len(commands)]
    rest = {c.item.key: c.text for c in choices[len(commands) :]}
    assert rest["n"] == many.name and rest["N"] == f"{many.namespace}/{many.name}"
    assert rest["m"] == finding_markdown(many.diagnosis, many.diagnosis.findings[0])


async def test_the_markdown_is_the_reports_section_for_the_top_finding(engine):
    rows = await demo_rows(engine)
    kafdrop, kestra = (next(r for r in rows if r.name.startswith(name)) for name in ("kafdrop", "kestra"))
    # two findings (the demo's pods have one each): kafdrop's on top, kestra's after it
    kafdrop.diagnosis = replace(kafdrop.diagnosis, findings=[kafdrop.diagnosis.findings[0], kestra.diagnosis.findings[0]])
    copied = copy_choices(kafdrop)[-1].text
    heading, _, section = copied.partition("\n\n")
    report = to_markdown([kafdrop.diagnosis], group_by_workload([kafdrop.diagnosis], {}), [])
    assert heading == f"## {kafdrop.namespace}/{kafdrop.name} ({kafdrop.status})" and heading in report
    assert section.strip() in report  # the same words as `diagnose -o markdown`, one finding of them
    assert kafdrop.diagnosis.findings[0].cause in section
    assert kestra.diagnosis.findings[0].cause not in section  # the top finding only


async def test_a_healthy_pod_offers_its_names_only(engine):
    rows = await demo_rows(engine)
    healthy = next(r for r in rows if not r.diagnosis.findings)
    assert [c.item.key for c in copy_choices(healthy)] == ["n", "N"]


def test_the_notification_shows_the_first_line_and_the_length():
    assert preview("kubectl get pods") == "kubectl get pods"
    assert preview("## shop/web\n\nfine\n") == "## shop/web … (3 lines)"
    assert len(preview("x" * 500)) == 120


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (("c", "c"), lambda row: commands_of(row)[0]),
        (("c", "2"), lambda row: commands_of(row)[1]),
        (("c", "n"), lambda row: row.name),
        (("c", "N"), lambda row: f"{row.namespace}/{row.name}"),
        (("c", "m"), lambda row: finding_markdown(row.diagnosis, row.diagnosis.findings[0])),
    ],
    ids=["cc", "c2", "cn", "cN", "cm"],
)
async def test_a_key_after_c_copies_that_choice_and_says_which_clipboard_took_it(engine, keys, expected):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        screen = app.main_screen
        many = max(screen.table.all_rows.values(), key=lambda r: len(commands_of(r)))
        screen.select_pod(many.key)
        await settle(pilot, lambda: detail_shown(app))
        await pilot.press(*keys)
        await settle(pilot, lambda: bool(app._notifications))
        assert app.screen is screen
        assert app.clipboard == expected(many)
        (note,) = app._notifications
        assert note.title == "Copied to the clipboard" and str(note.message).endswith(OSC52_ONLY)


async def test_esc_closes_the_menu_and_copies_nothing(engine):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        await pilot.press("c")
        assert isinstance(app.screen, MenuScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main_screen and app.clipboard == ""


async def test_c_typed_in_the_filter_is_text(engine):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        await pilot.press("slash", *"coredns")
        await pilot.pause()
        assert app.main_screen.filter_bar.value == "coredns" and app.screen is app.main_screen
