"""Check that a lowest-direct install put every direct dependency exactly at the floor pyproject.toml names.

Usage: python .ci/check_floors.py FLOOR_PYTHON   (the interpreter of the venv `uv pip install
--resolution lowest-direct -e ".[test]"` filled)

Without this, a floor that another dependency pushes up (kubernetes 37 requires pydantic 2.13.5, say)
would be tested at a version pyproject.toml does not name, and a dependency without a floor would be
tested at its very first release. Each such entry gets one line saying what to write instead.
Needs Python 3.11 (tomllib) and `packaging`, both in the project's main venv.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import tomllib
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

# Run by the floor venv's interpreter: what it has installed, and its environment for markers.
_INSPECT = """
import importlib.metadata, json
from packaging.markers import default_environment
print(json.dumps({
    "installed": {d.metadata["Name"]: d.version for d in importlib.metadata.distributions()},
    "environment": default_environment(),
}))
"""


def declared(pyproject: Path) -> list[Requirement]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    texts = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        texts += extra
    return [Requirement(text) for text in texts]


def floor(req: Requirement) -> Version | None:
    lows = [Version(spec.version) for spec in req.specifier if spec.operator in (">=", "==", "~=", "===")]
    return max(lows) if lows else None


def problems(reqs: list[Requirement], installed: dict[str, str], environment: dict[str, str]) -> list[str]:
    versions = {canonicalize_name(name): Version(version) for name, version in installed.items()}
    out = []
    for req in reqs:
        if req.marker is not None and not req.marker.evaluate(environment):
            continue
        name = canonicalize_name(req.name)
        low = floor(req)
        got = versions.get(name)
        if got is None:
            out.append(f"{req.name}: not installed by the lowest-direct install")
        elif low is None:
            out.append(f"{req.name}: no floor, so it was tested at its first release ({got}): name the lowest that works")
        elif got != low:
            out.append(f"{req.name}: the floor says {low}, but another requirement needs {got}: write `{req.name}>={got}`")
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python .ci/check_floors.py FLOOR_PYTHON", file=sys.stderr)
        return 2
    seen = json.loads(subprocess.run([argv[1], "-c", _INSPECT], check=True, capture_output=True, text=True).stdout)
    reqs = declared(Path(__file__).resolve().parent.parent / "pyproject.toml")
    found = problems(reqs, seen["installed"], seen["environment"])
    for line in found:
        print(f"dependency floors: {line}", file=sys.stderr)
    if not found:
        print(f"dependency floors: all {len(reqs)} direct dependencies installed at their floors")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
