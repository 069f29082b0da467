"""A shell in a running container, as `kubectl exec -it POD -c C -- SHELL` opens it.

The stream is the official client's websocket on `connect_get_namespaced_pod_exec` (the channel protocol
of attach: stdin, stdout, the final status, the terminal size), and the terminal side is attach's: raw
mode, resizes, restored whatever happens. Before it, a SelfSubjectAccessReview says whether the user may
`create pods/exec`; the caller shows the answer. Nothing here asks: exec changes nothing in the cluster,
but it runs a program in the container, so `--read-only` refuses it (the caller's rule).
"""

from __future__ import annotations

import shlex

from k8sdoctor.actions.attach import TerminalAttach, open_stream
from k8sdoctor.actions.containers import DEFAULT_CONTAINER_ANNOTATION, ContainerRef, containers
from k8sdoctor.actions.debug import Permission, missing_permissions
from k8sdoctor.cluster.live.client import KubeClient

SHELLS = ("sh", "bash")
EXEC = Permission("create", "pods", "exec", "to open a shell in a container")


def exec_command(namespace: str, pod: str, container: str, shell: str) -> str:
    """The kubectl command that opens the same shell (every name quoted for the shell)."""
    q = shlex.quote
    return f"kubectl exec -it -n {q(namespace)} {q(pod)} -c {q(container)} -- {q(shell)}"


def running_containers(pod: dict) -> list[ContainerRef]:
    """The containers a shell can open in: running ones (app, sidecars, ephemeral), the one kubectl
    picks by default first (the default-container annotation, else the first app container)."""
    running = [c for c in containers(pod) if isinstance(state := c.status.get("state"), dict) and isinstance(state.get("running"), dict)]
    metadata = pod.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    preferred = annotations.get(DEFAULT_CONTAINER_ANNOTATION) if isinstance(annotations, dict) else None
    order = {"app": 0, "init": 1, "ephemeral": 2}
    return sorted(running, key=lambda c: (c.name != preferred, order.get(c.kind, 3)))


def exec_denied(client: KubeClient, namespace: str, pod: str) -> bool:
    """Whether a SelfSubjectAccessReview says the user may not create pods/exec on this pod (a review
    that cannot be made counts as allowed: the API server still checks the real request)."""
    return bool(missing_permissions(client, namespace, pod, (EXEC,)))


class TerminalExec(TerminalAttach):
    """A shell in the container on the user's terminal (attach's terminal handling, an exec stream)."""

    connecting = "open a shell"
    again = "open it again with"

    def __init__(self, shell: str, stdin=None, stdout=None) -> None:
        super().__init__(stdin, stdout)
        self.shell = shell

    def open_stream(self, client: KubeClient, namespace: str, pod: str, container: str):
        return open_stream(client, namespace, pod, container, [self.shell])

    def banner(self, namespace: str, pod: str, container: str) -> str:
        return f"{self.shell} in {container} of {namespace}/{pod}: exit the shell to come back."

    def command(self, namespace: str, pod: str, container: str) -> str:
        return exec_command(namespace, pod, container, self.shell)
