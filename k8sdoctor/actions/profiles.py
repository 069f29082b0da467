"""kubectl debug's security profiles for an ephemeral container, and which one a namespace allows.

The profiles mirror kubectl's pkg/cmd/debug/profiles.go for the ephemeral-container case (the debug
container is new, so "clear its security context" leaves it empty). Pod Security admission checks
ephemeral containers too: `general` adds SYS_PTRACE, which the baseline and restricted levels forbid,
so the profile follows the namespace's `pod-security.kubernetes.io/enforce` level.
"""

from __future__ import annotations

from dataclasses import dataclass

PROFILES = ("general", "baseline", "restricted", "netadmin", "sysadmin")
ENFORCE_LABEL = "pod-security.kubernetes.io/enforce"
LEVELS = ("privileged", "baseline", "restricted")

_CONTEXTS: dict[str, dict | None] = {
    "general": {"capabilities": {"add": ["SYS_PTRACE"]}},
    "baseline": None,
    "restricted": {
        "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"]},
        "runAsNonRoot": True,
        "seccompProfile": {"type": "RuntimeDefault"},
    },
    "netadmin": {"capabilities": {"add": ["NET_ADMIN", "NET_RAW"]}},
    "sysadmin": {"privileged": True},
}
#: The profile each Pod Security level admits that gives the most to debug with.
_FOR_LEVEL = {"privileged": "general", "baseline": "baseline", "restricted": "restricted"}
_ALLOWED = {"privileged": set(PROFILES), "baseline": {"baseline", "restricted"}, "restricted": {"restricted"}}


def security_context(profile: str) -> dict | None:
    """The debug container's securityContext under `profile` (None: no securityContext at all)."""
    context = _CONTEXTS[profile]
    return None if context is None else {**context}


@dataclass(frozen=True, slots=True)
class ProfileChoice:
    profile: str
    reason: str  # one sentence for the user: why this profile
    warning: str | None = None  # set when the request will probably be rejected


def enforce_level(namespace: dict | None) -> str | None:
    """The namespace's enforced Pod Security level; an unknown value counts as restricted, as Pod Security
    admission treats it. None when the label is absent."""
    labels = ((namespace or {}).get("metadata") or {}).get("labels") or {}
    value = labels.get(ENFORCE_LABEL)
    if value is None:
        return None
    return value if value in LEVELS else "restricted"


def choose_profile(
    namespace_name: str, namespace: dict | None, requested: str | None = None, unreadable: str | None = None
) -> ProfileChoice:
    """The profile to use in `namespace_name` (its object, or None with the reason it could not be read)."""
    level = enforce_level(namespace)
    where = f"namespace {namespace_name}"
    if requested:
        warning = None
        if level is not None and requested not in _ALLOWED[level]:
            warning = (
                f"{where} enforces Pod Security level {level!r}, which rejects the {requested!r} profile; use --profile {_FOR_LEVEL[level]}"
            )
        return ProfileChoice(requested, f"{requested}: asked for with --profile", warning)
    if unreadable is not None:
        return ProfileChoice(
            "baseline",
            f"baseline: {where} could not be read ({unreadable}), and baseline is admitted unless the namespace enforces restricted",
        )
    if level is None:
        return ProfileChoice(
            "general",
            f"general (adds SYS_PTRACE to trace the target's processes): {where} has no "
            f"{ENFORCE_LABEL} label, so the cluster default applies (privileged unless "
            "configured otherwise)",
        )
    profile = _FOR_LEVEL[level]
    why = {
        "general": "general (adds SYS_PTRACE to trace the target's processes)",
        "baseline": "baseline (no SYS_PTRACE: the baseline level forbids it)",
        "restricted": "restricted (non-root, all capabilities dropped, RuntimeDefault seccomp, no privilege "
        "escalation; the image must be able to run as a non-root user)",
    }[profile]
    return ProfileChoice(profile, f"{why}: {where} enforces Pod Security level {level!r}")
