"""NoEndpoints: the pods a Service's selector almost matches ("did you mean app=web-frontend"), the ports
its pods do declare, the workload behind it, and the pods that are not ready (their own findings
carried in). Pods are found through the inventory's label index, never by scanning the namespace."""

from __future__ import annotations

from k8sdoctor.core.analyzers import register
from k8sdoctor.core.analyzers.finding_edits import add_evidence, lead_with
from k8sdoctor.core.analyzers.kubectl import quote, to_json
from k8sdoctor.core.facts import ObjectFacts
from k8sdoctor.core.facts.services import ServiceState, container_ports, desired_pods, pod_ready, selector_text, service_state
from k8sdoctor.core.findings import Finding, Step
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.podstatus import pod_display_status, ready_count
from k8sdoctor.core.kube.raw import as_dict, as_int, as_str, dicts, dig, name_of
from k8sdoctor.core.suggest import close_matches

#: Pods named in evidence, at most.
SHOWN = 5


def _state(facts: ObjectFacts) -> ServiceState:
    got = facts.computed("service.state", lambda f: service_state(f.inventory, f.raw))
    assert isinstance(got, ServiceState)
    return got


def _labels(pod: dict) -> dict[str, str]:
    return {k: v for k, v in as_dict(dig(pod, "metadata", "labels")).items() if isinstance(v, str) and k != "pod-template-hash"}


def _patch_selector(facts: ObjectFacts, old: tuple[str, str], new: tuple[str, str]) -> Step:
    change: dict = {new[0]: new[1]}
    if old[0] != new[0]:
        change[old[0]] = None
    command = f"kubectl -n {quote(facts.namespace)} patch service {quote(facts.name)} -p {quote(to_json({'spec': {'selector': change}}))}"
    return Step(f"If those are the pods it is meant for, select {new[0]}={new[1]} instead of {old[0]}={old[1]}.", command)


@register("NoEndpoints", "selector-mismatch")
def _closest_pods(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    """The pods that miss the selector by one label, and the label they carry instead."""
    selector = _state(facts).selector
    namespace = facts.namespace
    carried = inventory.label_keys(namespace)
    source = f"pods in namespace {namespace}, by label"
    absent = [f"{k}={v}" for k, v in sorted(selector.items()) if not carried.get((k, v))]
    if absent:
        add_evidence(finding, source, f"no pod carries {', '.join(absent)}")
    steps: list[Step] = []
    for key, value in sorted(selector.items()):
        rest = {k: v for k, v in selector.items() if k != key}
        if not rest:
            continue
        near = inventory.pods_matching(namespace, rest)
        if not near:
            continue
        guess = _guess(key, value, near)
        names = ", ".join(name_of(p) for p in near[:3]) + (f" and {len(near) - 3} more" if len(near) > 3 else "")
        labels = ", ".join(f"{k}={v}" for k, v in sorted(_labels(near[0]).items()))
        text = f"{len(near)} pod(s) match every label of the selector but {key}={value}: {names}; {name_of(near[0])} carries {labels}"
        if guess is not None:
            text += f". Did you mean {guess[0]}={guess[1]}?"
            steps.append(_patch_selector(facts, (key, value), guess))
        add_evidence(finding, source, text)
    if not steps:  # nothing misses by one label: the closest values of each unmatched term
        for key, value in sorted(selector.items()):
            if carried.get((key, value)):
                continue
            same_key = close_matches(value, [v for (k, v) in carried if k == key])
            same_value = close_matches(key, [k for (k, v) in carried if v == value])
            if same_key:
                add_evidence(
                    finding,
                    source,
                    f"pods carry {key}={same_key[0]} ({carried[(key, same_key[0])]} pod(s)). Did you mean {key}={same_key[0]}?",
                )
                steps.append(_patch_selector(facts, (key, value), (key, same_key[0])))
            elif same_value:
                add_evidence(finding, source, f"pods carry {same_value[0]}={value}. Did you mean {same_value[0]}={value}?")
                steps.append(_patch_selector(facts, (key, value), (same_value[0], value)))
    lead_with(finding, steps[:1])


def _guess(key: str, value: str, pods: list[dict]) -> tuple[str, str] | None:
    """The label the near pods carry in place of key=value: the same key with their value, or another
    key with the same value (component=x for app.kubernetes.io/component=x)."""
    labels = _labels(pods[0])
    if key in labels:
        return (key, labels[key])
    others = [k for k, v in labels.items() if v == value]
    if others:
        return (close_matches(key, others, cutoff=0)[0] if len(others) > 1 else others[0], value)
    return None


@register("NoEndpoints", "workload-has-no-pods")
def _workload(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    for kind, workload in _state(facts).workloads:
        desired = desired_pods(kind, workload)
        wanted = "no pods (scaled to zero)" if desired == 0 else f"{desired} pod(s), has none" if desired else "pods, has none"
        add_evidence(finding, f"{kind.lower()}/{name_of(workload)} pod template", f"its pods would match the selector; it wants {wanted}")
        if desired:
            finding.carries.append((kind, facts.namespace, name_of(workload)))


@register("NoEndpoints", "target-port-mismatch")
def _ports(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    state = _state(facts)
    declared = sorted({(c, n, num) for pod in state.pods for c, n, num in container_ports(pod)}, key=lambda d: (d[0], d[2] or 0))
    shown = "; ".join(f"{c}: {n + ' ' if n else ''}{num}" for c, n, num in declared) or "none"
    add_evidence(finding, "spec.containers[*].ports of the selected pods", f"the pods declare {shown}")
    names = [n for _c, n, _num in declared if n]
    ports = dicts(dig(facts.raw, "spec", "ports"))
    steps = []
    for problem in state.named_missing:
        similar = close_matches(problem.target, names)
        if similar:
            add_evidence(finding, problem.where, f"targetPort {problem.target} is declared by no container. Did you mean {similar[0]}?")
        index = next((i for i, p in enumerate(ports) if p.get("targetPort") == problem.target), None)
        choice = similar[0] if similar else (names[0] if len(names) == 1 else None)
        if index is not None and choice:
            patch = [{"op": "replace", "path": f"/spec/ports/{index}/targetPort", "value": choice}]
            steps.append(
                Step(
                    f"Point targetPort at the port the containers name {choice}.",
                    f"kubectl -n {quote(facts.namespace)} patch service {quote(facts.name)} --type=json -p {quote(to_json(patch))}",
                )
            )
    lead_with(finding, steps[:1])


@register("NoEndpoints", "pods-not-ready")
def _unready(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    pods = [p for p in _state(facts).pods if not pod_ready(p)]
    shown = []
    for pod in pods[:SHOWN]:
        ready, total = ready_count(pod)
        shown.append(f"{name_of(pod)} {pod_display_status(pod)} ({ready}/{total} ready)")
    more = f" and {len(pods) - SHOWN} more" if len(pods) > SHOWN else ""
    add_evidence(finding, f"pods matching {selector_text(_state(facts).selector)}", "; ".join(shown) + more)
    seen: set[str] = set()
    for pod in pods:  # one pod per STATUS: three crash-looping replicas say the same thing
        status = pod_display_status(pod)
        if status not in seen:
            seen.add(status)
            finding.carries.append(("Pod", facts.namespace, name_of(pod)))


@register("NoEndpoints")
def _slices(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    """What the EndpointSlices say, when they were read (a cluster-info dump has none)."""
    for eps in inventory.endpoint_slices(facts.namespace, facts.name)[:SHOWN]:
        endpoints = dicts(eps.get("endpoints"))
        ready = sum(1 for e in endpoints if as_dict(e.get("conditions")).get("ready") is not False)
        ports = ", ".join(as_str(p.get("port")) for p in dicts(eps.get("ports")) if as_int(p.get("port"))) or "<unset>"
        add_evidence(finding, f"endpointslice {name_of(eps)}", f"{ready} of {len(endpoints)} endpoint(s) ready, ports {ports}")
