"""`k8sdoctor playbooks list|show|validate|test|schema`: playbook tooling that needs no Python.

`validate` exits 2 when a file is malformed (and says the file, the field and why); `test` runs the
`examples:` the playbooks carry and exits 1 when one fails.
"""

from __future__ import annotations

import sys
from argparse import Namespace
from datetime import datetime, timezone
from pathlib import Path

from k8sdoctor.errors import PlaybookError, UserError
from k8sdoctor.playbook_files import load_playbooks, playbook_paths, read_playbook, read_playbook_id
from k8sdoctor.sanitize import printable


def _files(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(playbook_paths(p))
        elif p.is_file():
            files.append(p)
        else:
            raise UserError(f"{raw}: no such file or directory")
    return files


def cmd_list(args: Namespace) -> int:
    from rich.padding import Padding
    from rich.text import Text

    from k8sdoctor.cli.report import Printer

    console = Printer(sys.stdout)
    for pb in sorted(load_playbooks(args.playbooks).playbooks, key=lambda p: (p.spec.priority, p.id)):
        source = "built-in" if pb.builtin else printable(pb.path)
        console.print(
            Text.assemble(
                (f"{pb.id:<20}", "bold"), f" {pb.spec.subject_label:<12} {pb.spec.category:<18} {pb.spec.scope:<9} ", (source, "dim")
            )
        )
        causes = ", ".join(c.spec.id for c in pb.causes) + f"; fallback: {pb.fallback.spec.id}"
        console.print(Padding(Text(causes), (0, 0, 0, 2)))
    console.flush()
    return 0


def cmd_show(args: Namespace) -> int:
    pbs = {pb.id: pb for pb in load_playbooks(args.playbooks).playbooks}
    pb = pbs.get(args.id)
    if pb is None:
        from k8sdoctor.core.suggest import close_names
        from k8sdoctor.errors import NotFoundError

        raise NotFoundError(f'no playbook with id "{args.id}"', close_names(args.id, pbs))
    sys.stdout.write(printable(Path(pb.path).read_text(encoding="utf-8")))
    return 0


def cmd_validate(args: Namespace) -> int:
    if args.paths:
        files = _files(args.paths)
    else:
        from k8sdoctor.playbook_files import builtin_dir, user_dir

        files = playbook_paths(builtin_dir()) + (playbook_paths(user_dir()) if user_dir().is_dir() else [])
    failures = 0
    for path in files:
        try:
            pb = read_playbook(path)
        except PlaybookError as exc:
            failures += 1
            print(f"✖ {exc}")
            continue
        print(
            f"✔ {path}: {pb.id} ({pb.spec.subject_label} {pb.spec.category}), {counted(len(pb.causes), 'cause')}, {counted(len(pb.spec.examples), 'example')}"
        )
    if not files:
        print("no playbook files found")
    return 2 if failures else 0


def cmd_test(args: Namespace) -> int:
    from k8sdoctor.core.engine import Engine
    from k8sdoctor.core.playbooks.examples import run_examples

    loaded = {pb.id: pb for pb in load_playbooks(args.playbooks).playbooks}
    selected = list(loaded.values())
    origins: set[str] | None = None  # with paths: only the examples those files carry
    if args.paths:
        selected, origins = [], set()
        for path in _files(args.paths):
            data_id = read_playbook_id(path)
            pb = read_playbook(path, loaded)
            loaded[pb.id] = pb
            selected = [s for s in selected if s.id != pb.id] + [pb]
            origins.add(data_id)
    engine = Engine(list(loaded.values()))
    results = run_examples(engine, selected, datetime.now(timezone.utc), origins)
    for r in results:
        mark = "✔" if r.ok else "✖"
        print(f"{mark} {r.playbook}: {printable(r.name)}" + ("" if r.ok else f" — {printable(r.detail)}"))
    failed = sum(not r.ok for r in results)
    without = [pb.id for pb in selected if not pb.spec.examples]
    print(f"{len(results) - failed} passed, {failed} failed" + (f"; no examples in: {', '.join(without)}" if without else ""))
    return 1 if failed else 0


def cmd_schema(args: Namespace) -> int:
    import orjson

    from k8sdoctor.core.playbooks.schema import playbook_json_schema

    sys.stdout.buffer.write(orjson.dumps(playbook_json_schema(), option=orjson.OPT_INDENT_2) + b"\n")
    return 0


def counted(n: int, word: str) -> str:
    """ "1 cause", "3 causes"."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def run_playbooks(args: Namespace) -> int:
    return {"list": cmd_list, "show": cmd_show, "validate": cmd_validate, "test": cmd_test, "schema": cmd_schema}[args.action](args)
