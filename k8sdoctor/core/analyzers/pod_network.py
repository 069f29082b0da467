"""Pod networking seen from a pod: the CNI behind a sandbox network failure and its agent pod on the
node (the node's own NotReady finding carried in); for a name that does not resolve, whether that
Service exists ("did you mean") and whether CoreDNS is ready."""

from __future__ import annotations

from k8sdoctor.core.analyzers import register
from k8sdoctor.core.analyzers.cni import agents_on, all_pods_read, cni_in, describe_agent
from k8sdoctor.core.analyzers.finding_edits import add_evidence
from k8sdoctor.core.evidence_plan import listing
from k8sdoctor.core.facts import PodFacts
from k8sdoctor.core.facts.presence import exists
from k8sdoctor.core.facts.services import pod_ready
from k8sdoctor.core.findings import Finding
from k8sdoctor.core.inventory import Inventory, obj_key
from k8sdoctor.core.kube.raw import as_str, dig, name_of
from k8sdoctor.core.suggest import close_matches

#: The label CoreDNS (and kube-dns before it) runs with in kube-system.
DNS_LABEL = {"k8s-app": "kube-dns"}
SANDBOX_REASONS = ("FailedCreatePodSandBox",)


@register("ContainerCreating", "network-setup-failure")
def _cni(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    messages = [e.message for e in reversed(facts.events) if e.reason in SANDBOX_REASONS or "network" in e.message]
    cni = finding.captures.get("cni") or next((found for m in messages if (found := cni_in(m))), "")
    if cni:
        add_evidence(finding, "the sandbox error", f"the network plugin is {cni}")
    node = facts.node_name
    if not node:
        return
    agents = agents_on(inventory, node, cni)
    for which, pod in agents[:3]:
        add_evidence(finding, f"{which} agent on node {node}", describe_agent(pod))
        if not pod_ready(pod):
            finding.carries.append(("Pod", obj_key(pod)[0], name_of(pod)))
    if not agents:
        if all_pods_read(inventory):
            add_evidence(finding, f"pods on node {node}", f"no {cni or 'CNI'} agent pod runs on this node")
        else:
            finding.wants.append(listing("Pod", "*", field=f"spec.nodeName={node}"))
    ready = as_str(next((c.get("status") for c in dig(facts.node, "status", "conditions") or () if c.get("type") == "Ready"), ""))
    if facts.node is not None and ready in ("False", "Unknown"):
        finding.carries.append(("Node", "", node))


def service_of(host: str, namespace: str) -> tuple[str, str]:
    """(Service, namespace) a cluster name stands for: `db` in the pod's namespace, `db.shop.svc...`."""
    parts = host.lower().split(".")
    if len(parts) >= 3 and parts[2] == "svc":
        return parts[0], parts[1]
    return parts[0], namespace


@register("CrashLoopBackOff", "dns-failure")
@register("NotReady", "dns-failure")
def _dns(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    host = finding.captures.get("host", "")
    if host and finding.container:
        finding.summary = f"Container {finding.container} cannot resolve {host}"
    if host:
        _service(finding, facts, inventory, host)
    _coredns(finding, inventory)


def _service(finding: Finding, facts: PodFacts, inventory: Inventory, host: str) -> None:
    service, namespace = service_of(host, facts.namespace)
    known = exists(inventory, "Service", namespace, service)
    source = f"services in namespace {namespace}"
    if known is True:
        add_evidence(finding, source, f"Service {service} exists: the name resolves unless DNS itself fails")
        parts = host.lower().rstrip(".").split(".")
        if len(parts) > 3 and parts[2] == "svc":  # the cluster domain spelled out
            domain = ".".join(parts[3:])
            add_evidence(
                finding,
                f"the name {host}",
                f"spells out the cluster domain {domain}: on a cluster whose domain is another it does not resolve, "
                f"and {service}.{namespace}.svc does (the search path adds the domain)",
            )
        return
    if known is None:
        finding.wants.append(listing("Service", namespace))
        return
    similar = close_matches(service, inventory.names("Service", namespace), cutoff=60)
    text = f"no Service {service} in namespace {namespace}" + (f". Did you mean {' or '.join(similar[:2])}?" if similar else "")
    add_evidence(finding, source, text)


def _coredns(finding: Finding, inventory: Inventory) -> None:
    pods = inventory.pods_matching("kube-system", DNS_LABEL)
    if not pods:
        if inventory.listed("Pod", "kube-system"):
            add_evidence(finding, "pods in kube-system with k8s-app=kube-dns", "none: no cluster DNS runs")
        else:
            finding.wants.append(listing("Pod", "kube-system", label="k8s-app=kube-dns"))
        return
    ready = [p for p in pods if pod_ready(p)]
    add_evidence(finding, "CoreDNS pods (kube-system, k8s-app=kube-dns)", f"{len(ready)} of {len(pods)} ready")
    unready = [p for p in pods if not pod_ready(p)]
    if unready and not ready:
        finding.carries.append(("Pod", "kube-system", name_of(unready[0])))
