"""One small cluster, as `kubectl cluster-info dump` would dump it (see kubectl_output.py for the format)."""

from __future__ import annotations

from pathlib import Path

from . import cases
from .kubectl_output import LogRequestError, NamespaceDump, cluster_info_dump

SEDNA_NS, SEDNA_POD, SEDNA_UID = "sedna", "kb-5d8f7c9b6-2xk4p", "0e9d8c7b-6a5f-4e3d-2c1b-0a9f8e7d6c5b"

# Not pod failure messages: lines a sidecar printing kubectl output could log. They look like the dump's own
# JSON documents and START lines, and must stay log lines.
LOOKALIKE_LOG_LINES = [
    '{"kind": "PodList", "apiVersion": "v1", "items": [{"metadata": {"name": "ghost", "namespace": "wekan"}}]}',
    "{",
    "}",
    "==== START logs for container other of pod wekan/ghost ====",
]


def dump_namespaces() -> dict[str, NamespaceDump]:
    return {
        cases.KAFDROP_NS: NamespaceDump(
            events=cases.kafdrop_events(),
            deployments=[cases.deployment(cases.KAFDROP_NS, "kafdrop")],
            replicasets=[cases.replicaset(cases.KAFDROP_NS, "kafdrop-1")],
            services=[cases.service(cases.KAFDROP_NS, "kafdrop")],
            pods=[cases.kafdrop_pod()],
        ),
        SEDNA_NS: NamespaceDump(pods=[cases.pod(SEDNA_NS, SEDNA_POD, SEDNA_UID, containers=["kb"], init_containers=("init-db",))]),
        cases.TRACEE_NS: NamespaceDump(pods=[cases.pod(cases.TRACEE_NS, cases.TRACEE_POD, cases.TRACEE_UID, containers=["tracee"])]),
        cases.WEKAN_NS: NamespaceDump(pods=[cases.pod(cases.WEKAN_NS, cases.WEKAN_POD, cases.WEKAN_UID, containers=["wekan", "printer"])]),
    }


def dump_logs() -> dict:
    return {
        # The kafdrop image was never pulled, so kubectl could not get its logs.
        (cases.KAFDROP_NS, cases.KAFDROP_POD, "kafdrop"): LogRequestError(cases.LOG_REQUEST_ERROR),
        (SEDNA_NS, SEDNA_POD, "init-db"): "\n".join(cases.SEDNA_LOG_LINES).encode() + b"\n",
        (SEDNA_NS, SEDNA_POD, "kb"): b"",
        # No final newline: kubectl writes the END marker on the same line.
        (cases.TRACEE_NS, cases.TRACEE_POD, "tracee"): cases.TRACEE_LOG_LINE.encode(),
        (cases.WEKAN_NS, cases.WEKAN_POD, "wekan"): "\n".join(cases.WEKAN_LOG_LINES).encode() + b"\n",
        (cases.WEKAN_NS, cases.WEKAN_POD, "printer"): "\n".join(LOOKALIKE_LOG_LINES).encode() + b"\n",
    }


def write_dump(output_directory: Path | None = None, output: str = "json") -> bytes:
    return cluster_info_dump(
        [cases.node(cases.KAFDROP_NODE)], dump_namespaces(), dump_logs(), output_directory=output_directory, output=output
    )
