"""`diagnose pod NAME` against a live API server loads only what one pod's diagnosis needs (issue 18,
one-shot): no Rich for a pipe, no fields of other kinds' families, none of the modules the client's
imports are given stand-ins for, nothing for `wait`."""

from __future__ import annotations

import os
import subprocess
import sys

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
    "typing_extensions",
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
