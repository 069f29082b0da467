"""The debug screen (`x`): the profile chosen and why, the exact request, a confirmation, then the
ephemeral container is created, waited for, and attached with the app suspended. Back in the app, the
pod is diagnosed again.

Nothing is sent before the user confirms; `--read-only` and snapshot mode disable the screen entirely.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from k8sdoctor.actions import debug
from k8sdoctor.actions.attach import AttachResult, AttachRunner, TerminalAttach
from k8sdoctor.actions.context import ActionContext
from k8sdoctor.errors import UserError
from k8sdoctor.tui.actions.confirm_dialog import ConfirmDialog
from k8sdoctor.tui.actions.menu import MenuItem, MenuScreen
from k8sdoctor.tui.suspend import run_suspended

if TYPE_CHECKING:
    from k8sdoctor.actions.attach import KubeClient  # the TUI reaches the client only through actions
from k8sdoctor.tui.text import one_line, printable

READ_ONLY = "Debug is disabled by --read-only: adding a debug container is the one write k8sdoctor makes."
SNAPSHOT = "Debug needs a live cluster: this is a snapshot, which is read-only."


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


class DebugScreen(Screen[None]):
    CSS_PATH = ["actions.tcss", "debug.tcss"]
    BINDINGS = [
        Binding("escape,q", "back", "Back"),
        Binding("enter", "send", "Send…"),
        Binding("i", "pick_image", "Image"),
        Binding("t", "pick_target", "Target"),
    ]
    KEYS_HELP = (
        (
            "Debug",
            (
                ("enter", "add the debug container: asks first (y sends, n or esc cancels)"),
                ("i", "the image to start: busybox, or one the pod's containers run"),
                ("t", "the target: the container whose processes the debug container sees"),
                ("", "the image and target chosen are offered again for this pod until k8sdoctor exits"),
                ("", "once it runs, your terminal is attached to its shell; exit the shell to come back"),
                ("esc / q", "back to the pods (nothing is sent)"),
            ),
        ),
    )

    def __init__(
        self, ctx: ActionContext, namespace: str, name: str, *, attach: AttachRunner | None = None, rng: random.Random | None = None
    ) -> None:
        super().__init__()
        self.ctx, self.namespace, self.pod_name = ctx, namespace, name
        self.attach_runner: AttachRunner | None = attach  # None: the real terminal, found when attaching
        self.rng = rng
        self.ready: debug.Prepared | None = None
        self.target: str | None = ctx.choices.debug_target.get((namespace, name))  # None: the default target
        self.state = "planning"  # planning, ready, denied, disabled, failed, sending, attached, left

    def compose(self) -> ComposeResult:
        yield Static(f"debug pod {one_line(self.namespace)}/{one_line(self.pod_name)}", classes="action-title", markup=False)
        with VerticalScroll(id="plan"):
            yield Static("", id="verdict", markup=False)
            yield Static("", id="profile", markup=False)
            yield Static("", id="hint", markup=False)
            yield Static("", id="request", markup=False)
        yield Static("", id="state", classes="action-status", markup=False)
        yield Footer(show_command_palette=False)  # ctrl+p still opens it; see MainScreen

    @property
    def client(self) -> KubeClient:
        """The live cluster's client: the screen plans and sends only when there is one (on_mount)."""
        client = self.ctx.client
        assert client is not None
        return client

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("pick_image", "pick_target"):
            return self.state in ("ready", "denied")  # a plan to change
        return action != "send" or self.state == "ready"  # False hides it

    def _say(self, widget: str, text: str) -> None:
        self.query_one(f"#{widget}", Static).update(text)

    def _set_state(self, state: str, text: str, verdict: str | None = None) -> None:
        """Update the state line; a `verdict` (why nothing can or will be sent) shows above the plan."""
        self.state = state
        self._say("state", one_line(text))
        box = self.query_one("#verdict", Static)
        box.display = verdict is not None
        box.update(printable(verdict or ""))
        self.refresh_bindings()

    def on_mount(self) -> None:
        if self.ctx.read_only:
            self._set_state("disabled", "Debug is disabled; esc: back", READ_ONLY)
        elif not self.ctx.live:
            self._set_state("disabled", "Debug is disabled; esc: back", SNAPSHOT)
        else:
            self._set_state("planning", "Reading the namespace's Pod Security level and checking permissions…")
            self.run_worker(self._prepare, thread=True, exclusive=True, group="debug", exit_on_error=False)

    # ---- planning (worker) ----------------------------------------------------------------------------
    def _prepare(self) -> None:
        diagnosis = self.ctx.diagnosis(self.namespace, self.pod_name)
        pod = self.ctx.inventory.pods.get((self.namespace, self.pod_name))
        target = self.target or (debug.default_target(pod, diagnosis) if pod is not None else None)
        try:
            ready = debug.prepare(
                self.client,
                self.ctx.inventory,
                self.namespace,
                self.pod_name,
                diagnosis=diagnosis,
                image=self.ctx.choices.debug_image.get((self.namespace, self.pod_name, target or "")),
                target=target,
                rng=self.rng,
            )
        except UserError as exc:
            self.app.call_from_thread(self._set_state, "failed", "Nothing was sent; esc: back", f"Cannot plan the debug container: {exc}")
            return
        self.app.call_from_thread(self._show_plan, ready)

    def _show_plan(self, ready: debug.Prepared) -> None:
        self.ready = ready
        plan = ready.plan
        profile = f"Profile: {plan.choice.reason}."
        if plan.choice.warning:
            profile += f"\nWarning: {plan.choice.warning}."
        self._say("profile", printable(profile))
        hint = self.query_one("#hint", Static)
        hint.display = bool(ready.hint)
        hint.update(printable(f"Note: {ready.hint}." if ready.hint else ""))
        self._say(
            "request",
            printable(f"k8sdoctor will send this request, its only write:\n\n{plan.request_text()}\n\nEquivalent: {plan.kubectl_debug()}"),
        )
        if ready.missing:
            error = debug.permission_error(plan, ready.missing)
            self._set_state(
                "denied",
                "Nothing can be sent: a permission is missing; esc: back",
                f"{_sentence(str(error))}.\n\n{_sentence(error.hint or '')}",
            )
        else:
            target = f", target {plan.target}" if plan.target else ""
            self._set_state("ready", f"Enter: add {plan.container} ({plan.image}{target}), asked first; esc: back")

    # ---- the image and the target, remembered for the session ---------------------------------------
    def _pod(self) -> dict:
        return self.ctx.inventory.pods.get((self.namespace, self.pod_name)) or {}

    def action_pick_image(self) -> None:
        if self.ready is None:
            return
        items = [
            MenuItem(image, image, key, "default" if image == debug.DEFAULT_IMAGE else "")
            for image, key in zip(debug.image_choices(self._pod()), "123456789", strict=False)
        ]
        menu = MenuScreen(f"Image of the debug container in {self.namespace}/{self.pod_name}", items, highlighted=self.ready.plan.image)
        self.app.push_screen(menu, self._image_chosen)

    def _image_chosen(self, image: str | None) -> None:
        if image is None or self.ready is None:
            return
        self.ctx.choices.debug_image[(self.namespace, self.pod_name, self.ready.plan.target or "")] = image
        self._replan()

    def action_pick_target(self) -> None:
        if self.ready is None:
            return
        names = debug.target_choices(self._pod())
        if not names:
            self.notify("The pod has no container to target.", timeout=4)
            return
        items = [MenuItem(name, name, key) for name, key in zip(names, "123456789", strict=False)]
        menu = MenuScreen(f"Target of the debug container in {self.namespace}/{self.pod_name}", items, highlighted=self.ready.plan.target)
        self.app.push_screen(menu, self._target_chosen)

    def _target_chosen(self, target: str | None) -> None:
        if target is None:
            return
        self.target = self.ctx.choices.debug_target[(self.namespace, self.pod_name)] = target
        self._replan()

    def _replan(self) -> None:
        self._set_state("planning", "Planning again with your choice…")
        self.run_worker(self._prepare, thread=True, exclusive=True, group="debug", exit_on_error=False)

    # ---- sending --------------------------------------------------------------------------------------
    def action_send(self) -> None:
        if self.state != "ready" or self.ready is None:
            return
        plan = self.ready.plan
        question = f"Add debug container {plan.container} to pod {plan.namespace}/{plan.pod}?"
        detail = (
            f"PATCH {plan.path} ({plan.choice.profile} profile, image {plan.image}). Ephemeral containers "
            "cannot be removed: it stays in the pod spec until the pod is deleted."
        )
        self.app.push_screen(ConfirmDialog(printable(question), printable(detail)), self._confirmed)

    def _confirmed(self, yes: bool | None) -> None:
        if not yes:
            self._set_state("ready", "Cancelled: nothing was sent. Enter to try again; esc: back")
            return
        self._set_state("sending", "Sending the request and waiting for the container to start…")
        self.run_worker(self._create, thread=True, exclusive=True, group="debug", exit_on_error=False)

    def _create(self) -> None:
        assert self.ready is not None
        plan = self.ready.plan
        try:
            created = debug.create(self.client, plan)
            debug.wait_running(self.client, plan, created)
        except UserError as exc:
            hint = f"\n\n{exc.hint}" if exc.hint else ""
            self.app.call_from_thread(self._set_state, "failed", "The debug container could not be started; esc: back", f"{exc}{hint}")
            return
        self.app.call_from_thread(self._hand_over_terminal)

    def _hand_over_terminal(self) -> None:
        """Hand the terminal to the container (the app suspended), then come back and re-diagnose."""
        assert self.ready is not None
        plan = self.ready.plan
        if self.state != "sending":  # the user left while it started
            self.app.notify(f"{plan.container} is running; attach with: {plan.kubectl_attach()}", markup=False)
            return
        runner = self.attach_runner or TerminalAttach()

        def failed(exc: BaseException) -> AttachResult:
            reason = one_line(str(exc)) or type(exc).__name__
            return AttachResult(False, f"the attach failed ({reason}); attach with: {plan.kubectl_attach()}")

        result = run_suspended(self.app, lambda: runner(self.client, plan.namespace, plan.pod, plan.container), failed)
        if self.ctx.rediagnose is not None:
            self.ctx.rediagnose(self.namespace, self.pod_name)
        self.app.notify(
            one_line(result.message), title=f"{plan.container}", markup=False, severity="information" if result.attached else "warning"
        )
        self.state = "attached"
        self.dismiss(None)

    def action_back(self) -> None:
        self.state = "left" if self.state == "sending" else self.state
        self.dismiss(None)
