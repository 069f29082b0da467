"""Pending because of the nodes' taints or labels: which taints block the pod and the toleration that
admits it; which labels the pod asks for that no node has, with "did you mean"."""

from __future__ import annotations

from collections import Counter

from k8sdoctor.core.analyzers.capacity import allocatable, pod_requests
from k8sdoctor.core.analyzers.finding_edits import add_evidence, lead_with
from k8sdoctor.core.analyzers.flow_yaml import flow_yaml
from k8sdoctor.core.analyzers.kubectl import quote, target_of
from k8sdoctor.core.analyzers.node_filters import (
    CONDITION_TAINTS,
    blocking_taints,
    expression_holds,
    required_terms,
    selector_holds,
    taint_text,
    toleration_for,
)
from k8sdoctor.core.analyzers.wording import SHOWN, count, listing
from k8sdoctor.core.facts import PodFacts
from k8sdoctor.core.findings import Finding, Step
from k8sdoctor.core.kube.raw import as_dict, as_list, as_str, dicts, dig, name_of
from k8sdoctor.core.suggest import close_matches

_TERMS_PATH = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms"


def nodes_label(names: list[str]) -> str:
    """ "node a", "3 nodes (a, b, c)", "12 nodes (a, b, c, …)"."""
    return listing(len(names), "node", names)


# ---- taints -------------------------------------------------------------------------------------
def _is_default_toleration(t: dict) -> bool:
    """The not-ready/unreachable tolerations admission adds to every pod (tolerationSeconds 300)."""
    return as_str(t.get("key")) in ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable") and t.get("tolerationSeconds") == 300


def explain_taints(finding: Finding, facts: PodFacts, nodes: list[dict]) -> None:
    if not nodes:
        return
    spec = as_dict(facts.raw.get("spec"))
    tolerations = dicts(spec.get("tolerations"))
    groups: dict[tuple[str, ...], tuple[list[dict], list[str]]] = {}
    too_small: dict[str, str] = {}  # tainted nodes that could not hold the pod even if tolerated → what they lack
    requests = {r: v for r, v in pod_requests(spec).items() if v > 0}
    clear = 0
    for node in nodes:
        blocking = blocking_taints(node, tolerations)
        if not blocking:
            clear += 1
            continue
        key = tuple(taint_text(t) for t in blocking)
        groups.setdefault(key, (blocking, []))[1].append(name_of(node))
        room = allocatable(node)
        lacking = [r for r, v in requests.items() if room.get(r, 0.0) < v]
        if lacking:
            too_small[name_of(node)] = ", ".join(lacking)
    if not groups:
        add_evidence(
            finding,
            "nodes' spec.taints",
            f"none of the {len(nodes)} nodes has a taint the pod does not tolerate now (the taint was removed after the scheduler's verdict?)",
        )
        return
    ranked = sorted(groups.items(), key=lambda kv: (-len(kv[1][1]), kv[0]))
    for texts, (_taints, names) in ranked[:5]:
        add_evidence(finding, f"spec.taints of {nodes_label(names)}", ", ".join(texts) + " — not tolerated by the pod")
    if clear:
        add_evidence(finding, "nodes' spec.taints", f"{clear} of {len(nodes)} nodes have no taint the pod does not tolerate")
    kept = [t for t in tolerations if not (facts.workload is not None and _is_default_toleration(t))]
    steps = []
    for texts, (taints, names) in ranked[:SHOWN]:
        conditions = [t for t in taints if as_str(t.get("key")) in CONDITION_TAINTS]
        if conditions:
            why = CONDITION_TAINTS[as_str(conditions[0].get("key"))]
            steps.append(
                Step(
                    f"Taint {taint_text(conditions[0])} on {nodes_label(names)} means the node {why}: fix the node rather than tolerate the taint.",
                    f"kubectl describe node {quote(names[0])}",
                )
            )
            continue
        useful = [n for n in names if n not in too_small]
        if not useful:  # tolerating the taint would not help: the pod does not fit there at all
            add_evidence(
                finding,
                f"status.allocatable of {nodes_label(names)}",
                f"tolerating {', '.join(texts)} would not help: {nodes_label(names)} cannot hold the pod's request ({too_small[names[0]]})",
            )
            continue
        new = [toleration_for(t) for t in taints]
        yaml = ", ".join(flow_yaml(t) for t in new)
        what = "this toleration" if len(new) == 1 else "these tolerations"
        command = target_of(facts).patch_pod_spec({"tolerations": kept + new}, allowed_on_pod=True)
        steps.append(Step(f"If the pod belongs on {nodes_label(useful)}, add {what} to its spec.tolerations: {yaml}", command))
    lead_with(finding, steps)


# ---- node selector and required node affinity ---------------------------------------------------
def _label_index(nodes: list[dict]) -> dict[str, Counter[str]]:
    index: dict[str, Counter[str]] = {}
    for node in nodes:
        for key, value in as_dict(dig(node, "metadata", "labels")).items():
            index.setdefault(str(key), Counter())[as_str(value)] += 1
    return index


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


def explain_selector(finding: Finding, facts: PodFacts, nodes: list[dict]) -> None:
    if not nodes:
        return
    spec = as_dict(facts.raw.get("spec"))
    index = _label_index(nodes)
    target = target_of(facts)
    steps: list[Step] = []
    selector_patch: dict = {}
    found_any = False
    for key, raw_value in as_dict(spec.get("nodeSelector")).items():
        key, value = str(key), as_str(raw_value)
        if value in index.get(key, ()):
            continue
        found_any = True
        text, patch = _missing_label(key, value, index)
        add_evidence(finding, "spec.nodeSelector", text)
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
            if any(expression_holds(expr, as_dict(dig(n, "metadata", "labels"))) for n in nodes):
                continue
            found_any = True
            text, fixes = _expression_problem(expr, index)
            add_evidence(finding, f"{_TERMS_PATH}[{t}].matchExpressions[{e}]", text)
            for field_path, old, new in fixes:
                path = f"/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/{t}/matchExpressions/{e}/{field_path}"
                command = target.json_patch_pod_spec(
                    [{"op": "test", "path": path, "value": old}, {"op": "replace", "path": path, "value": new}]
                )
                what = "key" if field_path == "key" else "value"
                steps.append(Step(f"Fix the node affinity {what} {old} → {new}", command))
    matching = [name_of(n) for n in nodes if selector_holds(spec, n)]
    if not found_any and not matching:
        add_evidence(finding, "nodes' metadata.labels", "every label the pod asks for is on some node, but no node has all of them")
    elif matching:
        add_evidence(finding, "nodes' metadata.labels", f"{nodes_label(matching)} match the pod's node selector and affinity now")
    lead_with(finding, steps)
