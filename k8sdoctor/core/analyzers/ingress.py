"""IngressBackend: "did you mean" for a missing Service, Secret or IngressClass, the ports a Service does
have, and the cause of a backend Service that reaches no pod (carried in from its own diagnosis)."""

from __future__ import annotations

from k8sdoctor.core.analyzers import register
from k8sdoctor.core.analyzers.finding_edits import add_evidence
from k8sdoctor.core.facts import ObjectFacts
from k8sdoctor.core.facts.ingress import IngressState, ingress_state
from k8sdoctor.core.findings import Finding
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.raw import as_dict, as_str, dicts, dig, name_of
from k8sdoctor.core.suggest import close_matches


def _state(facts: ObjectFacts) -> IngressState:
    got = facts.computed("ingress.state", lambda f: ingress_state(f.inventory, f.raw))
    assert isinstance(got, IngressState)
    return got


def _did_you_mean(name: str, choices: list[str]) -> str:
    similar = close_matches(name, choices)
    return f". Did you mean {similar[0]}?" if similar else ""


@register("IngressBackend", "service-missing")
def _missing(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    names = inventory.names("Service", facts.namespace)
    for b in _state(facts).missing:
        add_evidence(
            finding, b.where, f"Service {b.service} does not exist in namespace {facts.namespace}{_did_you_mean(b.service, names)}"
        )


@register("IngressBackend", "service-port-missing")
def _ports(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    for b in _state(facts).port_missing:
        svc = inventory.get("Service", facts.namespace, b.service) or {}
        ports = [
            f"{as_str(p.get('name')) + ' ' if p.get('name') else ''}{as_str(p.get('port'))}/{as_str(p.get('protocol')) or 'TCP'}"
            for p in dicts(dig(svc, "spec", "ports"))
        ]
        add_evidence(finding, f"service {b.service} spec.ports", f"{b.label} asked; the Service has {', '.join(ports) or 'no ports'}")


@register("IngressBackend", "backend-no-endpoints")
def _unreachable(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    for name in dict.fromkeys(b.service for b in _state(facts).unreachable):
        finding.carries.append(("Service", facts.namespace, name))


@register("IngressBackend", "ingress-class-missing")
def _class(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    classes = {name_of(c): as_str(dig(c, "spec", "controller")) for c in inventory.all("IngressClass")}
    listed = ", ".join(f"{n} ({ctl})" if ctl else n for n, ctl in sorted(classes.items())) or "none"
    missing = _state(facts).class_missing
    add_evidence(finding, "ingressclasses", f"IngressClasses in the cluster: {listed}{_did_you_mean(missing, list(classes))}")


@register("IngressBackend", "tls-secret-missing")
def _tls(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    names = inventory.names("Secret", facts.namespace)
    for secret, where in _state(facts).tls_missing:
        hosts = next((as_dict(t).get("hosts") for t in dicts(dig(facts.raw, "spec", "tls")) if t.get("secretName") == secret), None)
        shown = ", ".join(h for h in hosts or () if isinstance(h, str))
        add_evidence(
            finding,
            where,
            f"Secret {secret} does not exist in namespace {facts.namespace}{_did_you_mean(secret, names)}"
            + (f"; hosts {shown} get the controller's default certificate" if shown else ""),
        )
