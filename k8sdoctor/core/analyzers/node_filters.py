"""The scheduler's node filters that depend only on the pod and the node: cordons, taints against
tolerations, and nodeSelector / required nodeAffinity against labels."""

from __future__ import annotations

from k8sdoctor.core.kube.raw import as_dict, as_list, as_str, dicts, dig

BLOCKING_EFFECTS = ("NoSchedule", "NoExecute")
#: Taints the node lifecycle controller sets from node conditions: fix the node, do not tolerate them.
CONDITION_TAINTS = {
    "node.kubernetes.io/not-ready": "is NotReady",
    "node.kubernetes.io/unreachable": "is unreachable (its kubelet stopped reporting)",
    "node.kubernetes.io/unschedulable": "is cordoned",
    "node.kubernetes.io/memory-pressure": "is under memory pressure",
    "node.kubernetes.io/disk-pressure": "is under disk pressure",
    "node.kubernetes.io/pid-pressure": "is running out of process IDs",
    "node.kubernetes.io/network-unavailable": "has no network configured yet",
    "ToBeDeletedByClusterAutoscaler": "is being removed by the cluster autoscaler",
}


# ---- taints -------------------------------------------------------------------------------------
def tolerates(toleration: dict, taint: dict) -> bool:
    """Whether one toleration admits one taint (effect, key and operator rules of the API)."""
    effect = as_str(toleration.get("effect"))
    if effect and effect != as_str(taint.get("effect")):
        return False
    key = as_str(toleration.get("key"))
    if key and key != as_str(taint.get("key")):
        return False
    operator = as_str(toleration.get("operator")) or "Equal"
    if operator == "Exists":
        return True
    return operator == "Equal" and as_str(toleration.get("value")) == as_str(taint.get("value"))


def blocking_taints(node: dict, tolerations: list[dict]) -> list[dict]:
    """The node's NoSchedule/NoExecute taints that no toleration admits."""
    return [
        taint
        for taint in dicts(dig(node, "spec", "taints"))
        if as_str(taint.get("effect")) in BLOCKING_EFFECTS and not any(tolerates(t, taint) for t in tolerations)
    ]


def taint_text(taint: dict) -> str:
    """As kubectl writes it: "key=value:Effect" or "key:Effect"."""
    key, value, effect = as_str(taint.get("key")), as_str(taint.get("value")), as_str(taint.get("effect"))
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


def toleration_for(taint: dict) -> dict:
    key, value, effect = as_str(taint.get("key")), as_str(taint.get("value")), as_str(taint.get("effect"))
    if value:
        return {"key": key, "operator": "Equal", "value": value, "effect": effect}
    return {"key": key, "operator": "Exists", "effect": effect}


# ---- node selector and affinity -----------------------------------------------------------------
def _number(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def expression_holds(expr: dict, labels: dict) -> bool:
    """One matchExpressions requirement (In, NotIn, Exists, DoesNotExist, Gt, Lt) against labels."""
    key, operator = as_str(expr.get("key")), as_str(expr.get("operator"))
    values = [as_str(v) for v in as_list(expr.get("values"))]
    present = key in labels
    value = as_str(labels.get(key))
    if operator == "In":
        return present and value in values
    if operator == "NotIn":
        return not present or value not in values
    if operator == "Exists":
        return present
    if operator == "DoesNotExist":
        return not present
    if operator in ("Gt", "Lt") and present and values:
        have, limit = _number(value), _number(values[0])
        if have is None or limit is None:
            return False
        return have > limit if operator == "Gt" else have < limit
    return False


def field_expression_holds(expr: dict, node_name: str) -> bool:
    """A matchFields requirement: only metadata.name with In / NotIn exists."""
    if as_str(expr.get("key")) != "metadata.name":
        return False
    values = [as_str(v) for v in as_list(expr.get("values"))]
    operator = as_str(expr.get("operator"))
    if operator == "In":
        return node_name in values
    if operator == "NotIn":
        return node_name not in values
    return False


def term_holds(term: dict, labels: dict, node_name: str) -> bool:
    """A nodeSelectorTerm: all its requirements; an empty term matches no node."""
    exprs, fields = dicts(term.get("matchExpressions")), dicts(term.get("matchFields"))
    if not exprs and not fields:
        return False
    return all(expression_holds(e, labels) for e in exprs) and all(field_expression_holds(f, node_name) for f in fields)


def required_terms(spec: dict) -> list[dict] | None:
    """The required nodeAffinity terms (any one must hold), or None when there is no such rule."""
    required = dig(spec, "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution")
    if not isinstance(required, dict):
        return None
    return dicts(required.get("nodeSelectorTerms"))


def selector_holds(spec: dict, node: dict) -> bool:
    """nodeSelector and required nodeAffinity both admit the node."""
    labels = as_dict(dig(node, "metadata", "labels"))
    for key, value in as_dict(spec.get("nodeSelector")).items():
        if as_str(labels.get(key)) != as_str(value) or key not in labels:
            return False
    terms = required_terms(spec)
    if terms is None:
        return True
    name = as_str(dig(node, "metadata", "name"))
    return any(term_holds(t, labels, name) for t in terms)


_CORDON_TAINT = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}


def cordoned(node: dict, tolerations: list[dict]) -> bool:
    """spec.unschedulable, unless the pod tolerates the unschedulable taint (as DaemonSet pods do)."""
    return dig(node, "spec", "unschedulable") is True and not any(tolerates(t, _CORDON_TAINT) for t in tolerations)


def admits(node: dict, spec: dict, tolerations: list[dict]) -> bool:
    """The node passes the filters that do not depend on load: cordon, taints (against the pod's
    `tolerations`, read once by the caller), node selector and affinity."""
    return not cordoned(node, tolerations) and not blocking_taints(node, tolerations) and selector_holds(spec, node)
