"""`s`: a shell in a running container of the pod, as `kubectl exec -it POD -c C -- SHELL` opens it.

A menu offers each running container with `sh` and `bash` (the shell opened last in this session is
highlighted); a SelfSubjectAccessReview then asks whether the user may `create pods/exec`; the app is
suspended and the terminal handed to the shell through the same path as debug's attach (`run_suspended`,
`TerminalAttach`'s terminal handling), so it always comes back and says in one line how the session
ended or why it could not start."""

from __future__ import annotations

from textual.app import App

from k8sdoctor.actions.attach import AttachResult
from k8sdoctor.actions.context import ActionContext
from k8sdoctor.actions.exec import EXEC, SHELLS, TerminalExec, exec_command, exec_denied, running_containers
from k8sdoctor.tui.actions.menu import MenuItem, MenuScreen
from k8sdoctor.tui.suspend import run_suspended
from k8sdoctor.tui.text import one_line

READ_ONLY = "Shell is off: k8sdoctor runs with --read-only (a shell runs commands in the container)."
SNAPSHOT = "Shell needs a live cluster: a snapshot has no containers to open a shell in."
SHELL_KEYS = {"sh": "s", "bash": "b"}  # the first container's shells; the others' on digits


def shell_items(pod: dict) -> list[MenuItem]:
    """Each running container with each shell (an init or ephemeral container noted as such)."""
    items: list[MenuItem] = []
    digits = iter("123456789")
    for i, ref in enumerate(running_containers(pod)):
        note = f"{ref.kind} container" if ref.kind != "app" else ""
        for shell in SHELLS:
            key = SHELL_KEYS[shell] if i == 0 else next(digits, "")
            items.append(MenuItem(f"{ref.name}/{shell}", f"{shell} in {ref.name}", key, note))
    return items


class ShellLauncher:
    """The flow behind `s`, for one pod: the menu, the permission check, the suspended session."""

    def __init__(self, app: App, ctx: ActionContext, namespace: str, name: str) -> None:
        self.app, self.ctx, self.namespace, self.pod_name = app, ctx, namespace, name

    def start(self) -> None:
        if self.ctx.read_only:
            self.app.notify(READ_ONLY, timeout=5)
            return
        if not self.ctx.live:
            self.app.notify(SNAPSHOT, timeout=5)
            return
        pod = self.ctx.inventory.pods.get((self.namespace, self.pod_name))
        items = shell_items(pod) if pod is not None else []
        if not items:
            self.app.notify(f"No container of {self.pod_name} is running: a shell needs one (x adds a debug container).", timeout=5)
            return
        first = items[0].id.split("/", 1)[0]
        menu = MenuScreen(
            f"Shell into {self.namespace}/{self.pod_name}",
            items,
            hint="kubectl exec -it",
            highlighted=f"{first}/{self.ctx.choices.shell}",
        )
        self.app.push_screen(menu, self._chosen)

    def _chosen(self, choice: str | None) -> None:
        if choice is None:
            return
        container, shell = choice.rsplit("/", 1)
        self.ctx.choices.shell = shell
        self.app.run_worker(lambda: self._check(container, shell), thread=True, group="shell", exit_on_error=False)

    def _check(self, container: str, shell: str) -> None:
        """In a worker: the SelfSubjectAccessReview (a network call), then back to the app's thread."""
        client = self.ctx.client
        assert client is not None  # live only (see start)
        denied = exec_denied(client, self.namespace, self.pod_name)
        self.app.call_from_thread(self._open, container, shell, denied)

    def _open(self, container: str, shell: str, denied: bool) -> None:
        command = exec_command(self.namespace, self.pod_name, container, shell)
        if denied:
            self.app.notify(
                f"Cannot open a shell: you may not {EXEC} in namespace {self.namespace} ({command} would be refused).",
                severity="error",
                timeout=8,
            )
            return
        client = self.ctx.client
        assert client is not None
        runner = TerminalExec(shell)

        def failed(exc: BaseException) -> AttachResult:
            return AttachResult(False, f"the shell failed ({one_line(str(exc)) or type(exc).__name__}); run: {command}")

        result = run_suspended(self.app, lambda: runner(client, self.namespace, self.pod_name, container), failed)
        self.app.notify(result.message, title=f"{shell} in {container}", severity="information" if result.attached else "warning")
