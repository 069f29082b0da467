"""Ingress fields: the Services it sends traffic to and whether they can take it (`ingress.*`).

Each backend (`spec.defaultBackend` and every rule path; `serviceName`/`servicePort` in the old
extensions/v1beta1 form) names a Service and one of its ports, by number or by name. When an Ingress has
no `spec.defaultBackend`, `kubectl describe` prints `default-http-backend:80 (<error: endpoints
"default-http-backend" not found>)`: that line is kubectl's own fallback, not part of the Ingress, and
nothing here looks at it (ingress-nginx#5525).

A Service, Secret or IngressClass is "missing" only when it is known not to exist (`presence.py`).
`spec.ingressClassName` is checked; the older `kubernetes.io/ingress.class` annotation needs no
IngressClass object, so it is not.
"""

from __future__ import annotations

from dataclasses import dataclass

from k8sdoctor.core.facts.kind_fields import Values, kind_field, one
from k8sdoctor.core.facts.objects import ObjectFacts
from k8sdoctor.core.facts.presence import exists
from k8sdoctor.core.facts.services import service_state
from k8sdoctor.core.inventory import Inventory, obj_key
from k8sdoctor.core.kube.raw import as_dict, as_int, as_str, dicts, dig


@dataclass(frozen=True, slots=True)
class Backend:
    service: str
    port: str  # "80", "http", or "" when the backend names none
    where: str  # "spec.rules[0].http.paths[1].backend.service"

    @property
    def label(self) -> str:
        return f"{self.service}:{self.port}" if self.port else self.service


def _backend(raw: dict, where: str) -> Backend | None:
    svc = as_dict(raw.get("service"))
    if svc:
        port = as_dict(svc.get("port"))
        number = as_int(port.get("number"))
        return Backend(as_str(svc.get("name")), str(number) if number else as_str(port.get("name")), f"{where}.service")
    if raw.get("serviceName"):  # extensions/v1beta1
        return Backend(as_str(raw.get("serviceName")), as_str(raw.get("servicePort")), f"{where}.serviceName")
    return None  # a resource backend


def backends(ingress: dict) -> list[Backend]:
    """Every Service backend of an Ingress, the default backend first, in spec order."""
    spec = as_dict(ingress.get("spec"))
    found = []
    default = as_dict(spec.get("defaultBackend") or spec.get("backend"))
    if default:
        found.append(_backend(default, "spec.defaultBackend"))
    for i, rule in enumerate(dicts(spec.get("rules"))):
        for j, path in enumerate(dicts(dig(rule, "http", "paths"))):
            found.append(_backend(as_dict(path.get("backend")), f"spec.rules[{i}].http.paths[{j}].backend"))
    return [b for b in found if b is not None and b.service]


def port_matches(service: dict, port: str) -> bool:
    """Whether a Service has the port an Ingress backend names (by number or by name)."""
    if not port:
        return True
    ports = dicts(dig(service, "spec", "ports"))
    number = as_int(port)
    if number is not None:
        return any(as_int(p.get("port")) == number for p in ports)
    return any(as_str(p.get("name")) == port for p in ports)


@dataclass(slots=True)
class IngressState:
    backends: list[Backend]
    missing: list[Backend]  # the Service is known not to exist
    port_missing: list[Backend]  # the Service exists without that port
    unreachable: list[Backend]  # the Service exists, but traffic reaches no pod
    class_missing: str  # spec.ingressClassName naming a class known not to exist
    tls_missing: list[tuple[str, str]]  # (secretName, where) known not to exist


def ingress_state(inventory: Inventory, ingress: dict) -> IngressState:
    namespace = obj_key(ingress)[0]
    found = backends(ingress)
    state = IngressState(found, [], [], [], "", [])
    checked: dict[str, bool] = {}
    for b in found:
        svc = inventory.get("Service", namespace, b.service)
        if svc is None:
            if exists(inventory, "Service", namespace, b.service) is False:
                state.missing.append(b)
            continue
        if not port_matches(svc, b.port):
            state.port_missing.append(b)
            continue
        if b.service not in checked:
            svc_state = service_state(inventory, svc)
            checked[b.service] = not svc_state.selects or svc_state.reachable
        if not checked[b.service]:
            state.unreachable.append(b)
    class_name = as_str(dig(ingress, "spec", "ingressClassName"))
    if class_name and exists(inventory, "IngressClass", "", class_name) is False:
        state.class_missing = class_name
    for i, tls in enumerate(dicts(dig(ingress, "spec", "tls"))):
        secret = as_str(tls.get("secretName"))
        if secret and exists(inventory, "Secret", namespace, secret) is False:
            state.tls_missing.append((secret, f"spec.tls[{i}].secretName"))
    return state


def _state(facts: ObjectFacts) -> IngressState:
    got = facts.computed("ingress.state", lambda f: ingress_state(f.inventory, f.raw))
    assert isinstance(got, IngressState)
    return got


def _dedup(found: list[Backend]) -> Values:
    seen: dict[str, str] = {}
    for b in found:
        seen.setdefault(b.label, b.where)
    return list(seen.items())


@kind_field("ingress.problems", "Ingress")
def _problems(facts: ObjectFacts) -> Values:
    state = _state(facts)
    count = len(state.missing) + len(state.port_missing) + len(state.unreachable) + len(state.tls_missing) + bool(state.class_missing)
    return [(count, None)]


@kind_field("ingress.services_missing", "Ingress")
def _missing(facts: ObjectFacts) -> Values:
    return _dedup(_state(facts).missing)


@kind_field("ingress.ports_missing", "Ingress")
def _ports_missing(facts: ObjectFacts) -> Values:
    return _dedup(_state(facts).port_missing)


@kind_field("ingress.backends_unreachable", "Ingress")
def _unreachable(facts: ObjectFacts) -> Values:
    return _dedup(_state(facts).unreachable)


@kind_field("ingress.class_missing", "Ingress")
def _class_missing(facts: ObjectFacts) -> Values:
    return one(_state(facts).class_missing, "spec.ingressClassName")


@kind_field("ingress.tls_secrets_missing", "Ingress")
def _tls_missing(facts: ObjectFacts) -> Values:
    return list(_state(facts).tls_missing)
