"""Packaging: the wheel `python -m build` makes, installed into a fresh venv without the test extras, on
every Python from 3.10 to 3.13 this machine has, runs the demo API server and diagnoses it.

The venvs are made and filled by uv (a test extra), side by side: with its cache, four take a few
seconds where pip took a minute and a half. A Python that is not installed is reported as skipped.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VERSIONS = ("3.10", "3.11", "3.12", "3.13")
UV = str(Path(sys.executable).parent / "uv")


def _python(version: str) -> str | None:
    """An interpreter of that version that runs: python3.X on PATH, else one under pyenv's versions."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = [shutil.which(f"python{version}")] + [str(p) for p in sorted(pyenv.glob(f"{version}.*/bin/python{version}"), reverse=True)]
    for found in filter(None, candidates):
        done = subprocess.run([found, "-c", "import sys, venv; print('%d.%d' % sys.version_info[:2])"], capture_output=True, text=True)
        if done.returncode == 0 and done.stdout.strip() == version:
            return found
    return None


def _clean_env() -> dict[str, str]:
    """The user's environment without this test run's virtualenv (and no kubeconfig of theirs)."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "KUBECONFIG", "PYTHONHOME")}
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    return env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build = [sys.executable, "-m", "build", "--wheel", "--installer", "uv", "--outdir", str(out), str(ROOT)]
    done = subprocess.run(build, capture_output=True, text=True, env=_clean_env(), timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    (built,) = out.glob("k8sdoctor-*.whl")
    return built


@pytest.fixture(scope="module")
def venvs(wheel, tmp_path_factory) -> dict[str, Path | str]:
    """Per version: the venv's bin directory, or why there is none (not installed, or it failed)."""
    root = tmp_path_factory.mktemp("venvs")

    def make(version: str) -> Path | str:
        python = _python(version)
        if python is None:
            return f"Python {version} is not installed here"
        venv = root / version
        env = _clean_env()
        for cmd in (
            [UV, "venv", "--quiet", "--python", python, str(venv)],
            [UV, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), str(wheel)],
        ):
            done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
            if done.returncode != 0:
                raise AssertionError(f"{' '.join(cmd[:4])}... failed on {version}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        return venv / "bin"

    with ThreadPoolExecutor(max_workers=len(VERSIONS)) as pool:
        return dict(zip(VERSIONS, pool.map(make, VERSIONS), strict=True))


def test_the_wheel_carries_the_playbooks_and_the_redaction_rules(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "k8sdoctor/_builtin_playbooks/crash-loop.yaml" in names
    assert "k8sdoctor/capture/redaction.yaml" in names
    assert not {n for n in names if n.startswith("tests/")}
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "Requires-Dist: prometheus-client" in metadata and "Requires-Dist: argcomplete" in metadata
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert "kubectl-doctor = k8sdoctor.cli.main:console_main" in entry_points


@pytest.mark.slow
@pytest.mark.parametrize("version", VERSIONS)
def test_the_installed_wheel_serves_the_demo_and_diagnoses_it(venvs, version, tmp_path):
    bin_dir = venvs[version]
    if isinstance(bin_dir, str):
        pytest.skip(bin_dir)
    env = _clean_env() | {
        "HOME": str(tmp_path),
        "K8SDOCTOR_STATE_DIR": str(tmp_path / "state"),
        "K8SDOCTOR_CACHE_DIR": str(tmp_path / "cache"),
    }
    test_only = subprocess.run([bin_dir / "python", "-c", "import pytest"], capture_output=True, env=env)
    assert test_only.returncode != 0  # no test extras in this venv
    demo = subprocess.Popen(
        [bin_dir / "k8sdoctor", "demo", "--serve-only"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        assert demo.stdout is not None
        lines = [demo.stdout.readline(), demo.stdout.readline()]
        kubeconfig = re.search(r"kubeconfig: (\S+)", "".join(lines))
        assert kubeconfig, lines
        env["KUBECONFIG"] = kubeconfig.group(1)
        r = subprocess.run(
            [bin_dir / "k8sdoctor", "diagnose", "pods", "-A", "-o", "json"], capture_output=True, text=True, env=env, timeout=120
        )
        assert r.returncode == 1, r.stderr
        import orjson

        causes = {f["cause"] for item in orjson.loads(r.stdout)["items"] for f in item["findings"]}
        assert {"image-not-found", "dependency-unreachable", "missing-secret"} <= causes
        kubectl_plugin = subprocess.run(
            [bin_dir / "kubectl-doctor", "wait", "deploy/frontend"], capture_output=True, text=True, env=env, timeout=120
        )
        assert kubectl_plugin.returncode == 0, kubectl_plugin.stderr
    finally:
        demo.terminate()
        demo.wait(timeout=10)
