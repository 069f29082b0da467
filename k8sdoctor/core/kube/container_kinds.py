"""The container lists of a pod and what k8sdoctor calls each kind of container.

`init` (an init container), `sidecar` (an init container with `restartPolicy: Always`, a native sidecar),
`app` (spec.containers) and `ephemeral` (debug containers).
"""

from __future__ import annotations

#: (spec list, status list, kind) in the order kubectl shows them.
CONTAINER_LISTS: tuple[tuple[str, str, str], ...] = (
    ("initContainers", "initContainerStatuses", "init"),
    ("containers", "containerStatuses", "app"),
    ("ephemeralContainers", "ephemeralContainerStatuses", "ephemeral"),
)
_SPEC = {"init": "initContainers", "sidecar": "initContainers", "app": "containers", "ephemeral": "ephemeralContainers"}
_STATUS = {
    "init": "initContainerStatuses",
    "sidecar": "initContainerStatuses",
    "app": "containerStatuses",
    "ephemeral": "ephemeralContainerStatuses",
}


def spec_list(kind: str) -> str:
    """The spec field that holds a container of this kind: `initContainers` for init and sidecar."""
    return _SPEC.get(kind, "containers")


def status_list(kind: str) -> str:
    return _STATUS.get(kind, "containerStatuses")
