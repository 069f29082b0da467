"""Architecture rules: `diagnose` never imports Textual; the diagnosis core does no I/O and imports no UI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "k8sdoctor" / "core"
FORBIDDEN_MODULES = {"textual", "rich", "socket", "urllib", "urllib3", "http", "requests", "aiohttp", "subprocess", "kubernetes", "shutil"}
FORBIDDEN_CALLS = {"open", "print", "input", "exec", "eval", "compile", "__import__"}


def test_core_imports_no_ui_and_does_no_io():
    problems = []
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                names = []
            for name in names:
                if name.split(".")[0] in FORBIDDEN_MODULES or (name.startswith("k8sdoctor.") and not name.startswith("k8sdoctor.core")):
                    problems.append(f"{path.name}:{node.lineno} imports {name}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FORBIDDEN_CALLS:
                problems.append(f"{path.name}:{node.lineno} calls {node.func.id}()")
            if isinstance(node, ast.Attribute) and node.attr in ("read_text", "read_bytes", "write_text", "write_bytes", "system", "popen"):
                problems.append(f"{path.name}:{node.lineno} uses .{node.attr}")
    assert problems == []


def test_diagnose_never_imports_textual(tmp_path):
    snapshot = tmp_path / "s.json"
    snapshot.write_text('{"apiVersion": "v1", "kind": "List", "items": []}')
    code = (
        "import sys\nfrom k8sdoctor.cli.main import main\n"
        f"rc = main(['diagnose', 'pods', '--snapshot', {str(snapshot)!r}])\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'textual'], 'textual imported'\n"
        "sys.exit(rc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
