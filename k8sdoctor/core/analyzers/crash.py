"""Crash loops: the exit code explained, the termination message, the memory limit behind an OOM kill
with a suggested new one, and the liveness probe timed against how long the container actually ran."""

from __future__ import annotations

import math
import re

from k8sdoctor.core.analyzers import per_container, register
from k8sdoctor.core.analyzers.finding_edits import add_evidence, command_has, interpret, lead_with
from k8sdoctor.core.analyzers.flow_yaml import flow_yaml
from k8sdoctor.core.analyzers.kubectl import target_of
from k8sdoctor.core.analyzers.run_container import explain_command
from k8sdoctor.core.facts import ContainerFact, PodFacts
from k8sdoctor.core.findings import Finding, Step
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.container_kinds import spec_list
from k8sdoctor.core.kube.exitcodes import explain_exit_code
from k8sdoctor.core.kube.quantity import GI, format_bytes, parse_quantity, round_memory_up, to_quantity
from k8sdoctor.core.kube.raw import as_dict, as_int
from k8sdoctor.core.kube.timeutil import human_duration
from k8sdoctor.core.playbooks.matching import quote as quote_text

_OOM = ("OOMKilled", "OOM Killed")
_PROBE_HANDLERS = ("httpGet", "tcpSocket", "exec", "grpc")
DEFAULT_GRACE_SECONDS = 30


#: A crash loop, and a container that ran to failure and will not restart (the same causes).
FAMILIES = ("CrashLoopBackOff", "Failed")


@register(FAMILIES[0])
@register(FAMILIES[1])
@per_container
def _termination_evidence(finding: Finding, facts: PodFacts, container: ContainerFact) -> None:
    explain_termination(finding, container)


def _termination(container: ContainerFact) -> tuple[str, str, int | None, str]:
    """(status path, reason, exit code, message) of the current termination, else the last one."""
    if container.state == "terminated" and container.terminated_exit_code is not None:
        return (
            f"{container.status_path}.state.terminated",
            container.terminated_reason,
            container.terminated_exit_code,
            container.terminated_message,
        )
    return f"{container.status_path}.lastState.terminated", container.last_reason, container.last_exit_code, container.last_message


def explain_termination(finding: Finding, container: ContainerFact) -> None:
    path, reason, code, message = _termination(container)
    if code is not None:
        add_evidence(finding, path, f"{reason or 'no reason'}, exit code {code}")
        if not re.search(rf"exit code {code}\b", finding.explanation, re.IGNORECASE):  # the playbook may explain it already
            meaning = explain_exit_code(code, reason).describe()
            interpret(finding, f"{meaning[0].upper()}{meaning[1:]}.")
    if message:
        add_evidence(finding, f"{path}.message", quote_text(message))


# ---- memory -------------------------------------------------------------------------------------
def explain_memory(finding: Finding, facts: PodFacts, container: ContainerFact) -> None:
    resources = as_dict(container.spec.get("resources"))
    limit = parse_quantity(as_dict(resources.get("limits")).get("memory"))
    request = parse_quantity(as_dict(resources.get("requests")).get("memory"))
    source = f"{container.spec_path}.resources"
    shown_request = format_bytes(request) if request else "not set"
    if not limit:
        add_evidence(finding, source, f"no memory limit, request {shown_request}")
        interpret(finding, "With no memory limit of its own, the kernel killed it because the node ran out of memory.")
        return
    factor = 2.0 if limit < GI else 1.5
    suggested = round_memory_up(limit * factor)
    add_evidence(finding, source, f"memory limit {format_bytes(limit)}, request {shown_request}")
    new_limit = to_quantity("memory", suggested)
    target = target_of(facts)
    if container.kind == "app":
        command = target.set_resources(container.name, limits=f"memory={new_limit}")
    else:  # `kubectl set resources` may not reach init containers; a patch does
        command = target.patch_pod_spec(
            {spec_list(container.kind): [{"name": container.name, "resources": {"limits": {"memory": new_limit}}}]}
        )
    text = f"Raise the memory limit of {container.name} from {format_bytes(limit)} to {format_bytes(suggested)} ({factor:g}×), then watch its real peak and adjust"
    lead_with(
        finding,
        [Step(text + ("." if command else "; a pod's resources are set where it is created."), command)],
        replacing=command_has("set resources"),
    )


# ---- liveness probe against start-up time -------------------------------------------------------
def _seconds(value: float) -> str:
    return f"{round(value)} s" if value < 120 else human_duration(value)


def _window(probe: dict) -> tuple[int, int, int, int, int]:
    """(initialDelaySeconds, periodSeconds, failureThreshold, timeoutSeconds, seconds until it can kill)."""
    delay = max(as_int(probe.get("initialDelaySeconds")) or 0, 0)
    period = max(as_int(probe.get("periodSeconds")) or 10, 1)
    threshold = max(as_int(probe.get("failureThreshold")) or 3, 1)
    timeout = max(as_int(probe.get("timeoutSeconds")) or 1, 1)
    return delay, period, threshold, timeout, delay + period * threshold


def _probe_text(name: str, window: tuple[int, int, int, int, int], after: str = "start") -> str:
    delay, period, threshold, timeout, kill_at = window
    return (
        f"the {name} probe can kill it {_seconds(kill_at)} after {after} "
        f"(initialDelaySeconds {delay} + periodSeconds {period} × failureThreshold {threshold}; timeoutSeconds {timeout})"
    )


def explain_liveness(finding: Finding, facts: PodFacts, container: ContainerFact) -> None:
    """When does a probe first kill the container, and did its last run end right there? If so it
    never gets to start: suggest a startupProbe (or a longer one) covering twice the run."""
    liveness = as_dict(container.spec.get("livenessProbe"))
    startup = as_dict(container.spec.get("startupProbe"))
    probe, name = (startup, "startup") if startup else (liveness, "liveness")
    if not probe:
        return
    run = None
    if container.last_started_at and container.last_finished_at:
        run = (container.last_finished_at - container.last_started_at).total_seconds()
    window = _window(probe)
    _delay, period, _threshold, timeout, kill_at = window
    grace = as_int(as_dict(facts.raw.get("spec")).get("terminationGracePeriodSeconds"))
    grace = DEFAULT_GRACE_SECONDS if grace is None else grace
    killed_at_deadline = run is not None and kill_at - period <= run <= kill_at + timeout + grace + 2
    signalled = container.last_exit_code in (137, 143) and container.last_reason not in _OOM
    probe_blamed = finding.cause == "liveness-probe-failure"
    source = f"{container.spec_path}.{name}Probe, {container.status_path}.lastState.terminated"
    if killed_at_deadline and run is not None and (probe_blamed or signalled):
        text = f"{_probe_text(name, window)}; its last run lasted {_seconds(run)}, so it is killed before it ever becomes healthy ({container.restarts} restarts)"
        add_evidence(finding, source, text)
        lead_with(finding, _startup_steps(facts, container, liveness, startup, period, run))
        return
    if not probe_blamed or not liveness:
        return
    if startup:
        text = (
            _probe_text("liveness", _window(liveness), "its checks begin")
            + f"; they begin once the startup probe (allowing {_seconds(kill_at)}) has passed"
        )
    else:
        text = _probe_text("liveness", _window(liveness))
    if run is not None:
        text += f"; its last run lasted {_seconds(run)}: it started, then stopped answering later (a hang, overload or a slow dependency, not slow start-up)"
    add_evidence(finding, f"{container.spec_path}.livenessProbe, {container.status_path}.lastState.terminated", text)


def _startup_steps(facts: PodFacts, container: ContainerFact, liveness: dict, startup: dict, period: int, run: float) -> list[Step]:
    needed = 2 * run
    threshold = max(math.ceil(needed / period), 1)
    target = target_of(facts)
    list_key = spec_list(container.kind)
    if startup:
        patch = {list_key: [{"name": container.name, "startupProbe": {"failureThreshold": threshold}}]}
        text = f"Give start-up about {_seconds(needed)}: raise startupProbe.failureThreshold to {threshold} (× periodSeconds {period})."
        return [Step(text, target.patch_pod_spec(patch))]
    handler = {k: liveness[k] for k in _PROBE_HANDLERS if k in liveness}
    probe = {**handler, "periodSeconds": period, "failureThreshold": threshold}
    patch = {list_key: [{"name": container.name, "startupProbe": probe}]}
    steps = [
        Step(
            f"Add a startupProbe that allows about {_seconds(needed)} to start (liveness checks begin only after it succeeds): startupProbe: {flow_yaml(probe)}",
            target.patch_pod_spec(patch),
        )
    ]
    delay_patch = {list_key: [{"name": container.name, "livenessProbe": {"initialDelaySeconds": math.ceil(needed)}}]}
    steps.append(Step(f"Or raise livenessProbe.initialDelaySeconds to {math.ceil(needed)}.", target.patch_pod_spec(delay_patch)))
    return steps


for _family in FAMILIES:
    register(_family, "oom-killed")(per_container(explain_memory))
    register(_family)(per_container(explain_liveness))


@register(FAMILIES[0], "command-not-found")
@register(FAMILIES[1], "command-not-found")
def _command(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    explain_command(finding, facts)
