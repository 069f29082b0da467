"""`diagnose pod NAME` against a live API server loads only what one pod's diagnosis needs (issue 18,
one-shot): no Rich for a pipe, no fields of other kinds' families, none of the modules the client's
imports are given stand-ins for, nothing for `wait`, no parser of another command."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys

import pytest

from k8sdoctor.cli.main import build_parser

CODE = """
import io, sys
from k8sdoctor.cli.main import main
sys.stdout = out = io.StringIO()
code = main(["diagnose", "pod", {pod!r}])
sys.stdout = sys.__stdout__
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {roots!r} or m in {modules!r})
print(code, loaded)
sys.__stdout__.write(out.getvalue())
"""
ROOTS = ("rich", "textual", "pydantic", "requests")
MODULES = (
    "k8sdoctor.core.facts.families",
    "k8sdoctor.core.facts.workloads",
    "k8sdoctor.core.facts.ingress",
    "k8sdoctor.cli.wait",
    "importlib.metadata",
    "multiprocessing",
    # typing_extensions has typing's own objects to stand in for it from Python 3.11 on only
    *(("typing_extensions",) if sys.version_info >= (3, 11) else ()),
)


def test_one_pod_loads_only_what_its_diagnosis_needs(demo_server, demo_kubeconfig, tmp_path):
    pod = next(p["metadata"]["name"] for p in demo_server.list("Pod", "shop") if p["metadata"]["name"].startswith("kestra-"))
    env = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "FORCE_COLOR", "TTY_COMPATIBLE")}
    env.update(KUBECONFIG=str(demo_kubeconfig), HOME=str(tmp_path), COLUMNS="100")
    code = CODE.format(pod=pod, roots=set(ROOTS), modules=set(MODULES))
    for _ in range(2):  # the first run validates the playbooks and caches them, as on a user's first day
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
        assert done.returncode == 0, done.stderr
    status, _, report = done.stdout.partition("\n")
    assert status == "1 []"  # a problem found, and nothing of the above loaded
    assert "CrashLoopBackOff › dependency-unreachable  (container kestra)" in report
    assert "│ Caused by: com.zaxxer.hikari.pool.HikariPool$PoolInitializationException" in report


CASES = [
    ["diagnose", "pod", "x"],
    ["diagnose", "pod", "x", "-n", "ns", "-o", "json"],
    ["diagnose", "pods", "-A", "-l", "a=b", "--show-healthy"],
    ["diagnose", "pod/x", "--context", "a,b"],
    ["diagnose", "all", "--snapshot", "s", "--playbooks", "d", "--debug", "--read-only", "--request-timeout", "3"],
    ["diagnose", "pod", "x", "--kube", "k"],  # an abbreviated option
    ["diagnose", "--help"],
    ["diagnose"],
    ["diagnose", "pod", "x", "--bogus"],
    ["diagnose", "pod", "x", "-o", "xml"],
    ["diagnose", "pod", "x", "extra", "more"],
]


@pytest.mark.parametrize("argv", CASES, ids=" ".join)
def test_the_diagnose_parser_alone_reads_a_diagnose_command_line_as_the_whole_parser(argv):
    def parse(only_diagnose: bool) -> tuple:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                return vars(build_parser(only_diagnose=only_diagnose).parse_args(argv)), None, out.getvalue(), err.getvalue()
            except SystemExit as exc:
                return None, exc.code, out.getvalue(), err.getvalue()

    assert parse(True) == parse(False)
