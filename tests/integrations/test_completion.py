"""Shell completion: the generated bash code run by a real bash, completing from the local API server;
the fish and zsh side through argcomplete's protocol; and normal runs that never load any of it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from k8sdoctor.demo.cluster import scenario
from k8sdoctor.fakeapi import FakeApiServer

BIN = Path(sys.executable).parent  # where the k8sdoctor console script is installed


def _env(tmp_path, kubeconfig, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("_ARGCOMPLETE", "COMP_", "KUBECONFIG"))}
    return env | {"PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}", "KUBECONFIG": str(kubeconfig), "HOME": str(tmp_path)} | extra


def bash_complete(line: str, tmp_path, kubeconfig) -> list[str]:
    """What bash offers for `line` + TAB, with the script `k8sdoctor completion bash` prints."""
    script = subprocess.run([BIN / "k8sdoctor", "completion", "bash"], capture_output=True, text=True, check=True).stdout
    (tmp_path / "completion.bash").write_text(script)
    driver = (
        f"source {tmp_path / 'completion.bash'}\n"
        'COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}; read -ra COMP_WORDS <<< "$1"\n'
        '[[ "$1" == *" " ]] && COMP_WORDS+=("")\n'
        "COMP_CWORD=$((${#COMP_WORDS[@]}-1))\n"
        '_python_argcomplete "${COMP_WORDS[0]}"\n'
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(["bash", "-c", driver, "bash", line], capture_output=True, text=True, env=_env(tmp_path, kubeconfig), timeout=30)
    assert done.returncode == 0, done.stderr
    return [w.strip() for w in done.stdout.splitlines() if w.strip()]


def test_bash_completes_commands_options_and_names_from_the_cluster(tmp_path, demo_server, demo_kubeconfig):
    assert {"wait", "capture", "serve", "completion", "diagnose"} <= set(bash_complete("k8sdoctor ", tmp_path, demo_kubeconfig))
    assert bash_complete("k8sdoctor diagnose pod kes", tmp_path, demo_kubeconfig) == [
        "kestra-7sx7k2s4th-bvjlm",
        "kestra-7sx7k2s4th-kdgbp",
        "kestra-7sx7k2s4th-m2dvg",
    ]
    assert {"reportportal", "kube-system", "shop"} <= set(bash_complete("k8sdoctor diagnose pods -n ", tmp_path, demo_kubeconfig))
    assert bash_complete("k8sdoctor wait deploy/cloud", tmp_path, demo_kubeconfig) == ["deploy/cloudnative-pg"]
    assert bash_complete("k8sdoctor diagnose deploy fr", tmp_path, demo_kubeconfig) == ["frontend"]
    assert bash_complete("k8sdoctor diagnose depl", tmp_path, demo_kubeconfig) == ["deploy", "deployment", "deployments"]
    assert bash_complete("k8sdoctor logs pod memory", tmp_path, demo_kubeconfig) == []  # the context's namespace is shop
    assert bash_complete("k8sdoctor logs pod -n mem-example memory", tmp_path, demo_kubeconfig) == ["memory-demo-2"]
    assert bash_complete("k8sdoctor --context ", tmp_path, demo_kubeconfig) == ["fakeapi"]


def test_cluster_names_are_cached_briefly(tmp_path, demo_server, demo_kubeconfig):
    before = len(demo_server.requests("GET", "/api/v1/namespaces/shop/pods"))
    first = bash_complete("k8sdoctor describe pod ", tmp_path, demo_kubeconfig)
    second = bash_complete("k8sdoctor describe pod kes", tmp_path, demo_kubeconfig)
    assert first and second and set(second) < set(first)
    assert len(demo_server.requests("GET", "/api/v1/namespaces/shop/pods")) == before + 1


def test_a_cluster_that_does_not_answer_completes_no_names(tmp_path):
    """A hanging API server: the completion gives up after its read timeout and offers options only."""
    with FakeApiServer() as server:
        server.load_scenario(scenario())
        server.hang("pods")
        kubeconfig = server.write_kubeconfig(tmp_path / "kubeconfig", namespace="shop")
        started = time.monotonic()
        offered = bash_complete("k8sdoctor diagnose pod ", tmp_path, kubeconfig)
        waited = time.monotonic() - started
    assert [w for w in offered if not w.startswith("-")] == []
    assert waited < 20  # bounded by the completion's own timeout, not the shell's patience


def test_fish_and_zsh_get_their_own_shell_code(tmp_path, demo_kubeconfig):
    fish = subprocess.run([BIN / "k8sdoctor", "completion", "fish"], capture_output=True, text=True, check=True).stdout
    assert "complete --command k8sdoctor" in fish and "complete --command kubectl-doctor" in fish
    zsh = subprocess.run([BIN / "k8sdoctor", "completion", "zsh"], capture_output=True, text=True, check=True).stdout
    assert zsh.startswith("#compdef k8sdoctor kubectl-doctor")
    # what fish's function runs: the same program, answering on fd 8 with its own separators
    out = tmp_path / "answer"
    env = _env(tmp_path, demo_kubeconfig, _ARGCOMPLETE="1", _ARGCOMPLETE_SHELL="fish", _ARGCOMPLETE_IFS="\n", _ARGCOMPLETE_DFS="\t")
    env |= {"COMP_LINE": "k8sdoctor wait deploy/fr", "COMP_POINT": "24", "_ARGCOMPLETE_STDOUT_FILENAME": str(out)}
    subprocess.run([BIN / "k8sdoctor"], env=env, timeout=30, check=True)
    assert [line.split("\t")[0].strip() for line in out.read_text().split("\n")] == ["deploy/frontend"]  # fish: value TAB description


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_loads_the_shell_code(tmp_path, demo_kubeconfig):
    script = subprocess.run([BIN / "k8sdoctor", "completion", "zsh"], capture_output=True, text=True, check=True).stdout
    done = subprocess.run(
        ["zsh", "-c", f"autoload -U compinit; compinit -u; eval {script!r}; print -r -- ${{_comps[k8sdoctor]}}"],
        capture_output=True,
        text=True,
    )
    assert done.stdout.strip() == "_python_argcomplete"


def test_normal_runs_never_import_completion_or_serving_code(tmp_path):
    from datetime import datetime, timezone

    import orjson

    from k8sdoctor.demo.cluster import demo_inventory

    any_snapshot = tmp_path / "pods.json"
    pods = list(demo_inventory(datetime.now(timezone.utc)).pods.values())
    any_snapshot.write_bytes(orjson.dumps({"apiVersion": "v1", "kind": "List", "items": [{"kind": "Pod", **p} for p in pods]}))
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "k8sdoctor", "diagnose", "pods", "-A", "--snapshot", str(any_snapshot)],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("_ARGCOMPLETE")},
    )
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "k8sdoctor.cli.diagnose" in imported
    assert not {m for m in imported if m.split(".")[0] in ("argcomplete", "prometheus_client")}
    assert not {m for m in imported if m.startswith(("k8sdoctor.cli.completion", "k8sdoctor.serve", "k8sdoctor.capture"))}
