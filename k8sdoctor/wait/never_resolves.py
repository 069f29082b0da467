"""The causes that waiting cannot resolve: `k8sdoctor wait` fails as soon as one of them is diagnosed on
the workload or one of its current pods, instead of running into its timeout.

This is the one list; the README's `wait` section prints it. A cause belongs here when nothing that
happens on its own in a cluster (a pod terminating, a node joining, a registry coming back, a
dependency starting) can fix it: someone has to change the workload, push an image or create an
object. Causes from any playbook can be named, built-in or not; an id that no playbook produces simply
never matches.
"""

from __future__ import annotations

from collections.abc import Callable

from k8sdoctor.core.findings import Finding
from k8sdoctor.core.kube.quantity import parse_quantity

#: cause id -> why waiting will not help (shown in the failure line).
NEVER_RESOLVES: dict[str, str] = {
    # images
    "image-not-found": "the image does not exist in the registry; push it or fix the reference",
    "invalid-image-name": "the image reference is not valid",
    "image-never-pull": "imagePullPolicy is Never and the image is not on the node",
    "platform-mismatch": "the image has no build for the node's platform",
    "registry-auth": "the registry refuses the credentials the pod has",
    # configuration the pod refers to
    "missing-secret": "a Secret the pod refers to does not exist",
    "missing-configmap": "a ConfigMap the pod refers to does not exist",
    "missing-key": "a key the pod reads is not in its Secret or ConfigMap",
    "run-as-non-root": "the pod must run as non-root and the image runs as root",
    "command-not-found": "the container's command is not in the image",
    "exec-format-error": "the container's binary is not built for the node",
    # admission refuses every pod the controller creates
    "serviceaccount-missing": "the pods' ServiceAccount does not exist",
    "quota-requires-requests": "a ResourceQuota refuses pods without requests or limits",
    "limitrange-violation": "a LimitRange refuses what the pods ask for",
    "pod-security-violation": "the namespace's Pod Security level refuses the pods",
    "webhook-denied": "an admission webhook denies the pods",
}


def _one_pod_over_quota(finding: Finding) -> str | None:
    """quota-exceeded waits for usage to go down, unless one pod alone asks for more than the quota
    allows in total: then it can never fit."""
    requested = _quantities(finding.captures.get("requested", ""))
    limited = _quantities(finding.captures.get("limited", ""))
    for resource, amount in requested.items():
        hard = limited.get(resource)
        if hard is not None and amount > hard:
            return f"one pod asks for {resource} more than the quota allows in total"
    return None


#: cause id -> a check on the finding's captures: a reason when this occurrence can never resolve.
NEVER_RESOLVES_WHEN: dict[str, Callable[[Finding], str | None]] = {
    "quota-exceeded": _one_pod_over_quota,
}


def _quantities(text: str) -> dict[str, float]:
    """`limits.cpu=1,limits.memory=2Gi` as {resource: amount}."""
    out = {}
    for part in text.split(","):
        name, _, value = part.strip().partition("=")
        amount = parse_quantity(value)
        if name and amount is not None:
            out[name] = amount
    return out


def never_resolves(finding: Finding) -> str | None:
    """Why waiting cannot resolve this finding, or None when it might."""
    if not finding.is_problem:
        return None
    reason = NEVER_RESOLVES.get(finding.cause)
    if reason is not None:
        return reason
    check = NEVER_RESOLVES_WHEN.get(finding.cause)
    return check(finding) if check is not None else None


def documented() -> list[tuple[str, str]]:
    """(cause, why) for every entry, for --help and the README."""
    return sorted(NEVER_RESOLVES.items()) + [("quota-exceeded", "only when one pod asks for more than the quota's total")]
