"""Containers that cannot be created or started: the Secret or ConfigMap that is missing and the
existing one it was probably meant to be, the keys that do exist, the command the spec runs, and the
securityContext in effect when runAsNonRoot refuses the image."""

from __future__ import annotations

from k8sdoctor.core.analyzers import register
from k8sdoctor.core.analyzers.finding_edits import add_evidence, command_has, lead_with
from k8sdoctor.core.analyzers.kubectl import is_option_like, operands, quote, target_of, to_json
from k8sdoctor.core.analyzers.object_names import lookup
from k8sdoctor.core.analyzers.pod_refs import ObjectRef, object_refs
from k8sdoctor.core.facts import PodFacts
from k8sdoctor.core.findings import Finding, Step
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.container_kinds import spec_list
from k8sdoctor.core.kube.raw import as_dict, as_list, as_str
from k8sdoctor.core.suggest import close_matches

_SHELLS = ("sh", "bash", "ash", "dash", "zsh")
_SECURITY_FIELDS = ("runAsNonRoot", "runAsUser", "runAsGroup")
NON_ROOT_UID = 10001


# A missing Secret or ConfigMap shows as RunContainerError (env) or ContainerCreating (a volume).
@register("RunContainerError", "missing-secret")
@register("ContainerCreating", "missing-secret")
def _missing_secret(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    explain_missing_object(finding, facts, inventory, "Secret", finding.captures.get("secret", ""))


@register("RunContainerError", "missing-configmap")
@register("ContainerCreating", "missing-configmap")
def _missing_configmap(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    explain_missing_object(finding, facts, inventory, "ConfigMap", finding.captures.get("configmap", ""))


@register("RunContainerError", "missing-key")
def _missing_key(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    explain_missing_key(finding, facts, inventory)


@register("RunContainerError", "command-not-found")
def _command(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    explain_command(finding, facts)


@register("RunContainerError", "run-as-non-root")
def _non_root(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    explain_non_root(finding, facts)


def _rename_ops(refs: list[ObjectRef], path_of, old: str, new: str) -> list[dict]:
    """JSON-patch ops that replace `old` with `new` at each path, each guarded by a test of the old value."""
    ops: list[dict] = []
    for path in dict.fromkeys(path_of(r) for r in refs):
        ops += [{"op": "test", "path": path, "value": old}, {"op": "replace", "path": path, "value": new}]
    return ops


# ---- a Secret or ConfigMap that does not exist --------------------------------------------------
def explain_missing_object(finding: Finding, facts: PodFacts, inventory: Inventory, kind: str, name: str) -> None:
    """The references to a missing object (captured by the playbook), whether it exists now, and the
    existing one it was probably meant to be."""
    if not name:
        return
    spec = as_dict(facts.raw.get("spec"))
    refs = [r for r in object_refs(spec, kind) if r.name == name]
    for ref in refs:
        detail = f" (key {ref.key})" if ref.key else ""
        add_evidence(finding, ref.where, f"{kind} {name}{detail}{', optional' if ref.optional else ''}")
    found = lookup(inventory, kind, facts.namespace, name)
    source = f"{kind} names in namespace {facts.namespace}"
    target = target_of(facts)
    steps: list[Step] = []
    if found.exists:
        add_evidence(
            finding, source, f"{kind} {name} exists now: it was created after the error, and the kubelet picks it up on its next retry"
        )
        pod = operands(facts.name)
        if facts.workload is not None:
            steps.append(
                Step(
                    "To retry at once, delete the pod; its controller creates a new one.",
                    pod and f"kubectl -n {quote(facts.namespace)} delete pod {pod}",
                )
            )
        lead_with(finding, steps)
        return
    add_evidence(finding, source, f"{kind} {name} {found.describe()}")
    if found.similar and refs:
        right = found.similar[0]
        command = target.json_patch_pod_spec(_rename_ops(refs, lambda r: r.name_path, name, right))
        steps.append(Step(f"Point the pod template at the existing {kind} {right}" + ("" if command else " and recreate the pod"), command))
    if found.exists is False:
        keys = sorted({r.key for r in refs if r.key})
        literals = " ".join(f"--from-literal={quote(k + '=...')}" for k in keys) or "--from-literal=KEY=..."
        what = "secret generic" if kind == "Secret" else "configmap"
        # `kubectl create` reads no name after `--`: a name that reads as an option gets no command.
        command = None if is_option_like(name) else f"kubectl -n {quote(facts.namespace)} create {what} {quote(name)} {literals}"
        steps.append(
            Step(f"Or create {kind} {name} with the keys the pod reads ({', '.join(keys) or 'see the references above'}).", command)
        )
    generic = command_has("create secret generic", "KEY=VALUE") if kind == "Secret" else command_has("create configmap", "--from-file=PATH")
    lead_with(finding, steps, replacing=generic)


# ---- a key that is not in the object ------------------------------------------------------------
def object_keys(kind: str, obj: dict) -> list[str] | None:
    """Key names of a ConfigMap (data and binaryData) or Secret (keyNames); None when not read."""
    if kind == "Secret":
        names = obj.get("keyNames")
        return sorted(str(k) for k in names) if isinstance(names, list) else None
    if "data" not in obj and "binaryData" not in obj:
        return None
    return sorted({str(k) for k in as_dict(obj.get("data"))} | {str(k) for k in as_dict(obj.get("binaryData"))})


def explain_missing_key(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    captured = finding.captures
    if not all(captured.get(k) for k in ("ref_kind", "ref_namespace", "ref_name", "key")):
        return
    kind = "Secret" if captured["ref_kind"].lower() == "secret" else "ConfigMap"
    namespace, name, key = captured["ref_namespace"], captured["ref_name"], captured["key"]
    obj = inventory.get(kind, namespace, name)
    source = f"{kind.lower()} {namespace}/{name}"
    if obj is None:
        add_evidence(finding, source, f"{kind} {name} {lookup(inventory, kind, namespace, name).describe()}")
        return
    keys = object_keys(kind, obj)
    if keys is None:
        add_evidence(finding, source, "its key names were not read (listed by name only)")
        if _referenced(facts, kind, namespace, name):
            finding.wants.append((kind, namespace, name))
        return
    similar = close_matches(key, keys, cutoff=60)
    listing = ", ".join(keys) if keys else "none (it is empty)"
    field = "keyNames" if kind == "Secret" else "data, binaryData"
    add_evidence(finding, f"{source} {field}", f"keys: {listing}" + (f". Did you mean {similar[0]}?" if similar else ""))
    if not similar or namespace != facts.namespace:
        return
    refs = [r for r in object_refs(as_dict(facts.raw.get("spec")), kind) if r.name == name and r.key == key and r.key_path]
    command = target_of(facts).json_patch_pod_spec(_rename_ops(refs, lambda r: r.key_path, key, similar[0])) if refs else None
    lead_with(finding, [Step(f"Read the existing key {similar[0]} instead of {key}.", command)])


def _referenced(facts: PodFacts, kind: str, namespace: str, name: str) -> bool:
    """Whether the pod's own spec reads this object, in the pod's own namespace. Only then may its key
    names be read: the message naming it is free text (an Event anyone may create could name
    `victim/topsecret`), and reading another namespace's Secret would use the operator's rights."""
    return namespace == facts.namespace and any(r.name == name for r in object_refs(as_dict(facts.raw.get("spec")), kind))


# ---- command not found --------------------------------------------------------------------------
def explain_command(finding: Finding, facts: PodFacts) -> None:
    """The command and args the spec runs, what the runtime could not find, and the shell caveat."""
    container = facts.container(finding.container or "")
    if container is None:
        return
    command = [as_str(w) for w in as_list(container.spec.get("command"))]
    args = [as_str(w) for w in as_list(container.spec.get("args"))]
    if command or args:
        text = ", ".join(f"{label} {to_json(words)}" for label, words in (("command", command), ("args", args)) if words)
        if not command:
            text += " (no command: the image's ENTRYPOINT runs with these args)"
    else:
        text = "no command or args: the image's own ENTRYPOINT and CMD run"
    add_evidence(finding, f"{container.spec_path}.command, .args", text)
    missing = finding.captures.get("command", "")
    first = command[0] if command else ""
    if missing and missing in args and missing not in command:
        add_evidence(
            finding,
            f"{container.spec_path}.args",
            f"{missing} is an argument, yet the runtime ran it as the program: the image has no ENTRYPOINT to take it, so set command",
        )
    if first.rsplit("/", 1)[-1] in _SHELLS and (not missing or missing == first or missing.rsplit("/", 1)[-1] in _SHELLS):
        add_evidence(
            finding,
            f"{container.spec_path}.command",
            f"it starts with the shell {first}: distroless and scratch images have no shell, so run the binary directly",
        )
    elif "distroless" in container.image or container.image.split(":")[0].endswith("/scratch"):
        add_evidence(
            finding, f"{container.spec_path}.image", f"{container.image} has no shell: use an ephemeral debug container to look inside"
        )
    image = quote(container.image)
    inspect = f"docker pull {image} && docker image inspect {image} --format '{{{{json .Config.Entrypoint}}}} {{{{json .Config.Cmd}}}}'"
    lead_with(
        finding,
        [
            Step(
                "Compare with the image's own ENTRYPOINT and CMD (what runs when command and args are not set).",
                None if is_option_like(container.image) else inspect,
            )
        ],
    )


# ---- runAsNonRoot -------------------------------------------------------------------------------
def explain_non_root(finding: Finding, facts: PodFacts) -> None:
    container = facts.container(finding.container or "")
    if container is None:
        return
    pod_context = as_dict(as_dict(facts.raw.get("spec")).get("securityContext"))
    own_context = as_dict(container.spec.get("securityContext"))
    shown, effective = [], {}
    for field in _SECURITY_FIELDS:
        if field in own_context:
            effective[field] = own_context[field]
            shown.append(f"{field}: {to_json(own_context[field])} (container)")
        elif field in pod_context:
            effective[field] = pod_context[field]
            shown.append(f"{field}: {to_json(pod_context[field])} (pod)")
        else:
            shown.append(f"{field}: not set")
    user = effective.get("runAsUser")
    named = finding.captures.get("user")
    if user == 0:
        verdict = "runAsUser 0 is root, which runAsNonRoot forbids"
    elif user is None and named:
        verdict = f"the image's USER decides, and it is {named}, a name the kubelet cannot verify as non-root"
    elif user is None:
        verdict = "the image's USER decides, and it is root"
    else:
        verdict = f"runAsUser {user} is set"
    add_evidence(finding, f"spec.securityContext + {container.spec_path}.securityContext", f"{', '.join(shown)} — {verdict}")
    patch = {spec_list(container.kind): [{"name": container.name, "securityContext": {"runAsUser": NON_ROOT_UID}}]}
    command = target_of(facts).patch_pod_spec(patch)
    lead_with(
        finding,
        [
            Step(
                f"Run {container.name} as a numeric non-root user: runAsUser {NON_ROOT_UID} "
                "(or the UID that owns the image's files; add fsGroup if it writes to volumes).",
                command,
            )
        ],
        replacing=command_has("/securityContext/runAsUser"),
    )
