"""AutoscalerFailing: the containers without the request the autoscaler divides by (sidecars and pods
of other workloads that match the selector included), which metrics API is missing or down (from the
APIService objects), and what the scale target was meant to be."""

from __future__ import annotations

from k8sdoctor.core.analyzers import register
from k8sdoctor.core.analyzers.finding_edits import add_evidence, lead_with
from k8sdoctor.core.analyzers.kubectl import TEMPLATE_SPEC, quote, to_json
from k8sdoctor.core.facts import ObjectFacts
from k8sdoctor.core.facts.autoscaling import target_ref
from k8sdoctor.core.facts.presence import exists
from k8sdoctor.core.findings import Finding, Step
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.raw import as_dict, as_str, dicts, dig, name_of
from k8sdoctor.core.relations import selected_pods, workload_of
from k8sdoctor.core.suggest import close_matches

SHOWN = 5
#: Annotations that size the sidecar an injector adds, per injected container name (cpu, memory).
SIDECAR_REQUESTS = {
    "linkerd-proxy": ("config.linkerd.io/proxy-cpu-request", "config.linkerd.io/proxy-memory-request"),
    "istio-proxy": ("sidecar.istio.io/proxyCPU", "sidecar.istio.io/proxyMemory"),
    "daprd": ("dapr.io/sidecar-cpu-request", "dapr.io/sidecar-memory-request"),
}
#: The APIService that serves each kind of metric the autoscaler reads.
METRICS_APIS = {
    "resource": "v1beta1.metrics.k8s.io",
    "custom": "v1beta1.custom.metrics.k8s.io",
    "external": "v1beta1.external.metrics.k8s.io",
}
SCALABLE = ("Deployment", "StatefulSet", "ReplicaSet")


def _target(facts: ObjectFacts) -> tuple[str, str, dict | None]:
    kind, name = target_ref(facts.raw)
    return kind, name, facts.inventory.get(kind, facts.namespace, name) if kind and name else None


def _template_containers(kind: str, target: dict) -> set[str]:
    spec = dig(target, *TEMPLATE_SPEC.get(kind, ("spec", "template", "spec")))
    return {as_str(c.get("name")) for key in ("containers", "initContainers") for c in dicts(dig(spec, key))}


@register("AutoscalerFailing", "missing-resource-request")
def _requests(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    resource = finding.captures.get("resource", "cpu").lower()
    kind, name, target = _target(facts)
    if target is None:
        return
    pods = selected_pods(inventory, facts.namespace, dig(target, "spec", "selector"))
    template = _template_containers(kind, target)
    lacking: list[tuple[dict, str, bool]] = []  # (pod, container, injected)
    for pod in pods:
        spec = as_dict(pod.get("spec"))
        containers = dicts(spec.get("containers")) + [c for c in dicts(spec.get("initContainers")) if c.get("restartPolicy") == "Always"]
        for c in containers:
            if dig(c, "resources", "requests", resource) is None:
                lacking.append((pod, as_str(c.get("name")), as_str(c.get("name")) not in template))
    if not lacking:
        return
    seen: dict[str, list[str]] = {}
    for pod, container, injected in lacking:
        seen.setdefault(container + (" (injected, not in the pod template)" if injected else ""), []).append(name_of(pod))
    text = "; ".join(f"container {c}: {len(p)} pod(s), e.g. {p[0]}" for c, p in list(seen.items())[:SHOWN])
    add_evidence(
        finding,
        f"pods matching {kind.lower()}/{name}'s selector, spec.containers[*].resources.requests.{resource}",
        f"no {resource} request: {text}",
    )
    foreign = [p for p, _c, _i in lacking if (w := workload_of(inventory, "Pod", p)) is not None and (w.kind, w.name) != (kind, name)]
    if foreign:
        owner = workload_of(inventory, "Pod", foreign[0])
        assert owner is not None
        add_evidence(
            finding,
            f"pod {name_of(foreign[0])}",
            f"belongs to {owner.ref}, not {kind.lower()}/{name}, but matches its selector, so the autoscaler counts it",
        )
    steps = []
    for _pod, container, injected in lacking[:1]:
        sized = SIDECAR_REQUESTS.get(container)
        if injected and sized:
            annotation = sized[0] if resource == "cpu" else sized[1]
            patch = {"spec": {"template": {"metadata": {"annotations": {annotation: "100m" if resource == "cpu" else "64Mi"}}}}}
            steps.append(
                Step(
                    f"Give the injected {container} sidecar a {resource} request through its injector's annotation on the pod template.",
                    f"kubectl -n {quote(facts.namespace)} patch {kind.lower()} {quote(name)} -p {quote(to_json(patch))}",
                )
            )
        elif not injected and kind in SCALABLE:
            value = "100m" if resource == "cpu" else "128Mi"
            steps.append(
                Step(
                    f"Give container {container} a {resource} request (size it to its real use).",
                    f"kubectl -n {quote(facts.namespace)} set resources {kind.lower()} {quote(name)} -c {quote(container)} --requests={resource}={value}",
                )
            )
    lead_with(finding, steps)


def metrics_apis(hpa: dict) -> list[str]:
    """The APIServices an autoscaler reads its metrics from, by the metric types it uses (CPU utilization
    when it names none)."""
    types = {as_str(m.get("type")) for m in dicts(dig(hpa, "spec", "metrics"))} or {"Resource"}
    wanted = [METRICS_APIS["resource"]] if types & {"Resource", "ContainerResource"} else []
    wanted += [METRICS_APIS["custom"]] if types & {"Pods", "Object"} else []
    wanted += [METRICS_APIS["external"]] if "External" in types else []
    return wanted


@register("AutoscalerFailing", "metrics-unavailable")
def _metrics_api(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    """Whether each metrics API it needs is registered, and available."""
    for api in metrics_apis(facts.raw):
        service = inventory.get("APIService", "", api)
        if service is None:
            if exists(inventory, "APIService", "", api) is False:
                add_evidence(
                    finding,
                    f"apiservice {api}",
                    "is not registered: nothing serves this metrics API (no metrics-server or adapter is installed)",
                )
            continue
        available = next((c for c in dicts(dig(service, "status", "conditions")) if c.get("type") == "Available"), {})
        backend = as_dict(dig(service, "spec", "service"))
        where = f"service {as_str(backend.get('namespace'))}/{as_str(backend.get('name'))}" if backend else "the API server itself"
        status = as_str(available.get("status")) or "unknown"
        detail = " ".join(as_str(available.get(k)) for k in ("reason", "message") if available.get(k))
        add_evidence(
            finding, f"apiservice {api}", f"registered, served by {where}; Available {status}" + (f" ({detail})" if detail else "")
        )
        if status != "True" and backend:
            finding.carries.append(("Service", as_str(backend.get("namespace")), as_str(backend.get("name"))))


@register("AutoscalerFailing", "target-missing")
def _target_missing(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    able = facts.conditions.get("AbleToScale") or {}
    if able.get("message"):
        add_evidence(finding, "status.conditions[AbleToScale].message", as_str(able.get("message")))
    kind, name, target = _target(facts)
    if target is not None or not name:
        return
    others = [other for other in SCALABLE if other != kind and inventory.get(other, facts.namespace, name) is not None]
    if others:
        add_evidence(finding, f"{others[0].lower()}/{name}", f"exists: the target is a {others[0]}, not a {kind or 'kind left empty'}")
        return
    similar = close_matches(name, inventory.names(kind, facts.namespace)) if kind else []
    if similar:
        add_evidence(finding, f"{kind.lower()}s in namespace {facts.namespace}", f"no {kind} {name}. Did you mean {similar[0]}?")
