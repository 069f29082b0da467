"""Pending because of the nodes' taints or labels: which taints block the pod and the toleration that
admits it; which labels the pod asks for that no node has, with "did you mean"."""

from __future__ import annotations

from collections import Counter

from k8sdoctor.core.analyzers.capacity import pod_requests
from k8sdoctor.core.analyzers.finding_edits import Edits, shared, spec_key
from k8sdoctor.core.analyzers.flow_yaml import flow_yaml
from k8sdoctor.core.analyzers.kubectl import Target, quote, target_of
from k8sdoctor.core.analyzers.node_filters import (
    CONDITION_TAINTS,
    blocking_taints,
    expression_holds,
    required_terms,
    selector_holds,
    taint_text,
    toleration_for,
)
from k8sdoctor.core.analyzers.node_shapes import NodeGroup, node_shapes, selector_keys
from k8sdoctor.core.analyzers.wording import SHOWN, count, listing
from k8sdoctor.core.analyzers.work import WORK
from k8sdoctor.core.facts import PodFacts
from k8sdoctor.core.findings import Finding, Step
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.raw import as_dict, as_list, as_str, dicts
from k8sdoctor.core.suggest import close_matches

_TERMS_PATH = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms"


# ---- taints -------------------------------------------------------------------------------------
def _is_default_toleration(t: dict) -> bool:
    """The not-ready/unreachable tolerations admission adds to every pod (tolerationSeconds 300)."""
    return as_str(t.get("key")) in ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable") and t.get("tolerationSeconds") == 300


def explain_taints(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    spec = as_dict(facts.raw.get("spec"))
    target, owned = target_of(facts), facts.workload is not None
    question = ("taints", spec_key(spec, _TAINT_FIELDS), target, owned)
    shared(inventory, question, lambda: _taints(spec, target, owned, inventory)).apply(finding)


#: What a taints answer reads from the pod spec: tolerations, and requests (too small to tolerate?).
_TAINT_FIELDS = ("containers", "initContainers", "overhead", "tolerations")


def _taints(spec: dict, target: Target, owned: bool, inventory: Inventory) -> Edits:
    shapes = node_shapes(inventory)
    total = len(shapes.nodes)
    if not total:
        return Edits(lead=False)
    evidence: list[tuple[str, str]] = []
    tolerations = dicts(spec.get("tolerations"))
    # blocking taints (as kubectl writes them) → (those taints, the node groups that have them)
    blocked: dict[tuple[str, ...], tuple[list[dict], list[NodeGroup]]] = {}
    too_small: dict[int, str] = {}  # tainted groups that could not hold the pod even if tolerated → what they lack
    requests = {r: v for r, v in pod_requests(spec).items() if v > 0}
    clear = 0
    groups = shapes.groups()
    WORK["shapes examined"] += len(groups)
    for group in groups:
        blocking = blocking_taints(group.node, tolerations)
        if not blocking:
            clear += len(group.members)
            continue
        blocked.setdefault(tuple(taint_text(t) for t in blocking), (blocking, []))[1].append(group)
        lacking = [r for r, v in requests.items() if group.allocatable.get(r, 0.0) < v]
        if lacking:
            too_small[id(group)] = ", ".join(lacking)
    if not blocked:
        evidence.append(
            (
                "nodes' spec.taints",
                f"none of the {total} nodes has a taint the pod does not tolerate now (the taint was removed after the scheduler's verdict?)",
            )
        )
        return Edits(tuple(evidence), lead=False)

    def label(groups: list[NodeGroup]) -> str:
        return listing(sum(len(g.members) for g in groups), "node", shapes.first_names(groups, SHOWN))

    ranked = sorted(blocked.items(), key=lambda kv: (-sum(len(g.members) for g in kv[1][1]), kv[0]))
    for texts, (_taints, groups_with) in ranked[:5]:
        evidence.append((f"spec.taints of {label(groups_with)}", ", ".join(texts) + " — not tolerated by the pod"))
    if clear:
        evidence.append(("nodes' spec.taints", f"{clear} of {total} nodes have no taint the pod does not tolerate"))
    kept = [t for t in tolerations if not (owned and _is_default_toleration(t))]
    steps = []
    for texts, (taints, groups_with) in ranked[:SHOWN]:
        conditions = [t for t in taints if as_str(t.get("key")) in CONDITION_TAINTS]
        if conditions:
            why = CONDITION_TAINTS[as_str(conditions[0].get("key"))]
            first = shapes.first_names(groups_with, 1)[0]
            steps.append(
                Step(
                    f"Taint {taint_text(conditions[0])} on {label(groups_with)} means the node {why}: fix the node rather than tolerate the taint.",
                    f"kubectl describe node {quote(first)}",
                )
            )
            continue
        useful = [g for g in groups_with if id(g) not in too_small]
        if not useful:  # tolerating the taint would not help: the pod does not fit there at all
            first_group = min(groups_with, key=lambda g: g.members[0])
            evidence.append(
                (
                    f"status.allocatable of {label(groups_with)}",
                    f"tolerating {', '.join(texts)} would not help: {label(groups_with)} cannot hold the pod's request ({too_small[id(first_group)]})",
                )
            )
            continue
        new = [toleration_for(t) for t in taints]
        yaml = ", ".join(flow_yaml(t) for t in new)
        what = "this toleration" if len(new) == 1 else "these tolerations"
        command = target.patch_pod_spec({"tolerations": kept + new}, allowed_on_pod=True)
        steps.append(Step(f"If the pod belongs on {label(useful)}, add {what} to its spec.tolerations: {yaml}", command))
    return Edits(tuple(evidence), tuple(steps))


# ---- node selector and required node affinity ---------------------------------------------------
def _values_seen(key: str, counter: Counter[str]) -> str:
    """ "disktype=ssd (2 nodes), disktype=hdd (1 node)": a label's most common values."""
    return ", ".join(f"{key}={v} ({count(n, 'node')})" for v, n in counter.most_common(5))


def _missing_label(key: str, value: str, index: dict[str, Counter[str]]) -> tuple[str, dict]:
    """(explanation, nodeSelector patch that fixes it, or {}) for a key=value no node has."""
    if key in index:
        text = f"{key}={value}: no node has this label; nodes have {_values_seen(key, index[key])}"
        matches = close_matches(value, index[key])
        if matches:
            return f"{text}. Did you mean {key}={matches[0]}?", {key: matches[0]}
        return text, {}
    text = f"{key}={value}: no node has a label {key}"
    keys = close_matches(key, index)
    if not keys:
        return text, {}
    best = keys[0]
    hint = f"{best}={value}" if value in index[best] else f"{best} (nodes have {_values_seen(best, index[best])})"
    return f"{text}. Did you mean {hint}?", ({best: value, key: None} if value in index[best] else {})


def _expression_problem(expr: dict, index: dict[str, Counter[str]]) -> tuple[str, list[tuple[str, str, str]]]:
    """(explanation, [(field under the expression, its value, suggested value)]) for a requirement no
    node meets: "key", or "values/N"."""
    key, operator = as_str(expr.get("key")), as_str(expr.get("operator"))
    values = [as_str(v) for v in as_list(expr.get("values"))]
    head = f"{key} {operator} [{', '.join(values)}]" if values else f"{key} {operator}"
    if operator in ("In", "Exists", "Gt", "Lt") and key not in index:
        keys = close_matches(key, index)
        text = f"{head}: no node has a label {key}" + (f". Did you mean {keys[0]}?" if keys else "")
        # Suggest the key as a fix only where the corrected requirement admits some node.
        admits = bool(keys) and (operator == "Exists" or (operator == "In" and any(v in index[keys[0]] for v in values)))
        return text, [("key", key, keys[0])] if admits else []
    if operator == "In":
        fixes = []
        hints = []
        for i, value in enumerate(values):
            matches = close_matches(value, index[key])
            if matches:
                fixes.append((f"values/{i}", value, matches[0]))
                hints.append(f"{matches[0]} for {value}")
        text = f"{head}: no node has one of these values; nodes have {_values_seen(key, index[key])}"
        return text + (f". Did you mean {', '.join(hints)}?" if hints else ""), fixes
    if operator in ("NotIn", "DoesNotExist"):
        return f"{head}: every node has {key}" + (" with one of these values" if operator == "NotIn" else ""), []
    return f"{head}: no node meets this requirement", []


def explain_selector(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    spec = as_dict(facts.raw.get("spec"))
    target = target_of(facts)
    question = ("selector", spec_key(spec, ("nodeSelector", "affinity")), target)
    shared(inventory, question, lambda: _selector(spec, target, inventory)).apply(finding)


def _selector(spec: dict, target: Target, inventory: Inventory) -> Edits:
    shapes = node_shapes(inventory)
    if not shapes.nodes:
        return Edits(lead=False)
    index = shapes.label_index()
    evidence: list[tuple[str, str]] = []
    steps: list[Step] = []
    selector_patch: dict = {}
    found_any = False
    for key, raw_value in as_dict(spec.get("nodeSelector")).items():
        key, value = str(key), as_str(raw_value)
        if value in index.get(key, ()):
            continue
        found_any = True
        text, patch = _missing_label(key, value, index)
        evidence.append(("spec.nodeSelector", text))
        selector_patch.update(patch)
    if selector_patch:
        shown = ", ".join(f"{k}={v}" for k, v in selector_patch.items() if v is not None)
        command = target.patch_pod_spec({"nodeSelector": selector_patch})
        steps.append(
            Step(
                f"Fix the node selector to {shown}" + ("" if command else " and recreate the pod (a pod's nodeSelector cannot change)"),
                command,
            )
        )
    for t, term in enumerate(required_terms(spec) or []):
        for e, expr in enumerate(dicts(term.get("matchExpressions"))):
            if _some_node_meets(expr, index, len(shapes.nodes)):
                continue
            found_any = True
            text, fixes = _expression_problem(expr, index)
            evidence.append((f"{_TERMS_PATH}[{t}].matchExpressions[{e}]", text))
            for field_path, old, new in fixes:
                path = f"/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/{t}/matchExpressions/{e}/{field_path}"
                command = target.json_patch_pod_spec(
                    [{"op": "test", "path": path, "value": old}, {"op": "replace", "path": path, "value": new}]
                )
                what = "key" if field_path == "key" else "value"
                steps.append(Step(f"Fix the node affinity {what} {old} → {new}", command))
    groups = shapes.groups(selector_keys(spec))
    WORK["shapes examined"] += len(groups)
    matching = [g for g in groups if selector_holds(spec, g.node)]
    if not found_any and not matching:
        evidence.append(("nodes' metadata.labels", "every label the pod asks for is on some node, but no node has all of them"))
    elif matching:
        names = listing(sum(len(g.members) for g in matching), "node", shapes.first_names(matching, SHOWN))
        evidence.append(("nodes' metadata.labels", f"{names} match the pod's node selector and affinity now"))
    return Edits(tuple(evidence), tuple(steps))


def _some_node_meets(expr: dict, index: dict[str, Counter[str]], nodes: int) -> bool:
    """Whether a matchExpressions requirement holds on some node: it reads one label, so each value the
    nodes carry (and its absence, when some node lacks the label) is tried once."""
    key = as_str(expr.get("key"))
    values = index.get(key, Counter())
    if sum(values.values()) < nodes and expression_holds(expr, {}):
        return True
    return any(expression_holds(expr, {key: v}) for v in values)
