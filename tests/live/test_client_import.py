"""The official client is imported once, whatever the number of threads asking for it at the same moment
(`diagnose --context a,b,c` opens its clusters in parallel): its lean import rewires modules and must not
race."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import threading
from k8sdoctor.cluster.live.kubernetes_import import client_parts
barrier = threading.Barrier(8)
errors = []
def ask():
    barrier.wait()
    try:
        client_parts().load_kube_config
    except Exception as exc:
        errors.append(repr(exc))
threads = [threading.Thread(target=ask) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
print(errors)
raise SystemExit(1 if errors else 0)
"""


def test_threads_that_open_clients_at_once_all_get_the_client():
    for _ in range(5):  # each run starts a fresh interpreter: the import happens in the race
        done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
