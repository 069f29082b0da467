"""Pods refused by admission: Pod Security (every field to set, per container, as a patch; the
namespace's enforce level) and admission webhooks (the webhook's configuration and failurePolicy, its
Service and whether it has ready endpoints, the pods behind it; for a timeout that names no webhook,
the webhooks that intercept pod creation in the namespace)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from k8sdoctor.core.analyzers import register
from k8sdoctor.core.analyzers.finding_edits import add_evidence, lead_with
from k8sdoctor.core.analyzers.kubectl import is_option_like, operands, quote, to_json
from k8sdoctor.core.analyzers.template import PodTemplate, refused_template, template_target
from k8sdoctor.core.analyzers.wording import listing
from k8sdoctor.core.facts import ObjectFacts
from k8sdoctor.core.findings import Finding, Step
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.podstatus import pod_display_status
from k8sdoctor.core.kube.raw import as_dict, as_str, dicts, dig, name_of
from k8sdoctor.core.kube.selectors import label_selector_matches, string_map

ENFORCE_LABEL = "pod-security.kubernetes.io/enforce"
#: check names hold no comma, so each try ends at the next one: linear in the message
_CHECK = re.compile(r"(?:^|, )([^(),][^(),]*?) \(([^()]*)\)")
MAX_MESSAGE = 16384
_MUST_SET = re.compile(
    r'(?:pod or )?containers? (?P<names>"[^"]+"(?:, "[^"]+")*) must set securityContext\.(?P<field>[\w.]+)(?:=(?P<value>\S+)| to "(?P<choice>[^"]+)")'
)
_MUST_NOT = re.compile(r'(?:pod or )?containers? (?P<names>"[^"]+"(?:, "[^"]+")*) must not (?P<what>.+)')
_NAMES = re.compile(r'"([^"]+)"')
_SERVICE_URL = re.compile(r"https://(?P<service>[a-z0-9-]+)\.(?P<namespace>[a-z0-9-]+)\.svc\b")
WEBHOOK_KINDS = ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")


# ---- Pod Security --------------------------------------------------------------------------------
def pod_security_checks(violations: str) -> list[tuple[str, str]]:
    """(check, detail) pairs of a PodSecurity message: `runAsNonRoot != true (pod or container "a"
    must set ...)`. A message cut short keeps its last, unclosed detail."""
    violations = violations[:MAX_MESSAGE]
    text = violations if violations.count("(") == violations.count(")") else violations + ")"
    return [(m.group(1).strip(), m.group(2).strip()) for m in _CHECK.finditer(text)]


def _setting(field: str, raw: str | None, choice: str | None) -> dict:
    """`capabilities.drop` + `["ALL"]` → {"capabilities": {"drop": ["ALL"]}}."""
    value: object = choice
    if raw is not None:
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw
    for part in reversed(field.split(".")):
        value = {part: value}
    assert isinstance(value, dict)
    return value


def _merge(into: dict, more: dict) -> None:
    for key, value in more.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


@register("PodsNotCreated", "pod-security-violation")
def _pod_security(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    _namespace_level(finding, facts, inventory)
    settings: dict[str, dict] = {}  # container → securityContext to set
    removals: list[str] = []
    for check, detail in pod_security_checks(finding.captures.get("violations", "")):
        must = _MUST_SET.match(detail)
        if must:
            for name in _NAMES.findall(must.group("names")):
                _merge(settings.setdefault(name, {}), _setting(must.group("field"), must.group("value"), must.group("choice")))
            continue
        never = _MUST_NOT.match(detail)
        who = f"container {', '.join(_NAMES.findall(never.group('names')))}" if never else ""
        removals.append(f"{check}: {who + ' must not ' + never.group('what') if never else detail}")
    template = refused_template(facts, finding, inventory)
    for name, context in settings.items():
        shown = ", ".join(f"{k}={to_json(v)}" for k, v in _flatten(context))
        add_evidence(finding, f"Pod Security fix for container {name}", f"set securityContext {shown}")
    for line in removals:
        add_evidence(finding, "Pod Security fix", line)
    if settings:
        finding.summary = f"{finding.summary}: {listing(len(settings), 'container', list(settings))} must change"
    steps = _patch_steps(facts, template, settings)
    steps += [Step(f"Remove from the pod template what the level forbids: {line}.") for line in removals]
    if steps:
        lead_with(finding, steps)


def _flatten(context: dict, prefix: str = "") -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for key, value in context.items():
        path = f"{prefix}{key}"
        out += _flatten(value, path + ".") if isinstance(value, dict) else [(path, value)]
    return out


def _patch_steps(facts: ObjectFacts, template: PodTemplate | None, settings: dict[str, dict]) -> list[Step]:
    if not settings:
        return []
    lists: dict[str, list[dict]] = {}
    for name, context in settings.items():
        where = next((c.list_name for c in template.containers if c.name == name), "containers") if template else "containers"
        lists.setdefault(where, []).append({"name": name, "securityContext": context})
    target = template_target(facts)
    if target is None:
        return [
            Step(
                "A Job's pod template cannot change: create it again with these securityContext settings "
                f"in its pod template: {to_json(lists)}"
            )
        ]
    return [
        Step(
            "Set the fields the Pod Security level asks for, per container (a strategic-merge patch of the pod template).",
            target.patch_pod_spec(lists),
        )
    ]


def _namespace_level(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    namespace = inventory.get("Namespace", "", facts.namespace)
    if namespace is None:
        add_evidence(finding, f"namespace {facts.namespace}", "could not be read: its Pod Security labels are unknown")
        return
    labels = string_map(dig(namespace, "metadata", "labels"))
    shown = [f"{k}={v}" for k, v in sorted(labels.items()) if k.startswith("pod-security.kubernetes.io/")]
    if ENFORCE_LABEL in labels:
        add_evidence(finding, f"namespace {facts.namespace} metadata.labels", ", ".join(shown))
    else:
        add_evidence(
            finding,
            f"namespace {facts.namespace} metadata.labels",
            f"no {ENFORCE_LABEL} label: the level comes from the API server's PodSecurity configuration (the cluster default)",
        )


# ---- webhooks ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Webhook:
    config_kind: str
    config: str
    index: int
    spec: dict

    @property
    def name(self) -> str:
        return as_str(self.spec.get("name"))

    @property
    def where(self) -> str:
        return f"{self.config_kind.lower()} {self.config} webhooks[{self.index}] ({self.name})"

    @property
    def failure_policy(self) -> str:
        return as_str(self.spec.get("failurePolicy")) or "Fail"  # the v1 default

    @property
    def service(self) -> tuple[str, str, str] | None:
        svc = as_dict(dig(self.spec, "clientConfig", "service"))
        if not svc:
            return None
        return as_str(svc.get("namespace")), as_str(svc.get("name")), as_str(svc.get("port")) or "443"


def webhooks(inventory: Inventory) -> list[Webhook]:
    """Every webhook of every admission webhook configuration (a few objects, cluster-wide)."""
    out = []
    for kind in WEBHOOK_KINDS:
        for config in inventory.all(kind):
            out += [Webhook(kind, name_of(config), i, w) for i, w in enumerate(dicts(config.get("webhooks")))]
    return out


def _intercepts_pods(hook: Webhook, namespace_labels: dict) -> bool:
    """Whether a webhook is called for pod creation in a namespace with these labels."""
    for rule in dicts(hook.spec.get("rules")):
        groups, resources, ops = (rule.get(k) or [] for k in ("apiGroups", "resources", "operations"))
        if ("" in groups or "*" in groups) and ("pods" in resources or "*" in resources) and ("CREATE" in ops or "*" in ops):
            selector = hook.spec.get("namespaceSelector")
            return not selector or label_selector_matches(selector, namespace_labels)
    return False


def _service_state(finding: Finding, inventory: Inventory, namespace: str, service: str) -> int | None:
    """Quote whether a Service exists and how many ready endpoints it has; the count, or None if unknown."""
    where = f"service {namespace}/{service}"
    svc = inventory.get("Service", namespace, service)
    if svc is None:
        listed = inventory.listed("Service", namespace)
        add_evidence(finding, where, "does not exist" if listed else "could not be read")
        return 0 if listed else None
    slices = inventory.endpoint_slices(namespace, service)
    endpoints = [e for s in slices for e in dicts(s.get("endpoints"))]
    ready = [e for e in endpoints if dig(e, "conditions", "ready") is not False]
    if slices or inventory.listed("EndpointSlice", namespace):
        add_evidence(finding, f"{where} endpointslices", f"{len(ready)} ready of {len(endpoints)} endpoints")
    selector = string_map(dig(svc, "spec", "selector"))
    if selector:
        pods = inventory.pods_matching(namespace, selector)
        shown = [f"{name_of(p)} ({pod_display_status(p)})" for p in pods[:3]]
        add_evidence(finding, f"{where} pods", ", ".join(shown) if shown else "no pod matches its selector")
    return len(ready) if (slices or inventory.listed("EndpointSlice", namespace)) else None


@register("PodsNotCreated", "webhook-unreachable")
def _webhook_unreachable(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    name, error = finding.captures.get("webhook", ""), finding.captures.get("error", "")
    hooks = webhooks(inventory)
    if not name:
        _timeout_candidates(finding, facts, inventory, hooks)
        return
    hook = next((h for h in hooks if h.name == name), None)
    service = hook.service if hook is not None else None
    if hook is not None:
        target = f"service {service[0]}/{service[1]}:{service[2]}" if service else f"url {as_str(dig(hook.spec, 'clientConfig', 'url'))}"
        add_evidence(finding, hook.where, f"failurePolicy {hook.failure_policy}; calls {target}")
    else:
        url = _SERVICE_URL.search(error)
        if url:
            service = (url.group("namespace"), url.group("service"), "443")
        add_evidence(finding, f"webhook {name}", "no webhook configuration of that name was read")
    if service is None:
        return
    ready = _service_state(finding, inventory, service[0], service[1])
    why = "its Service has no ready endpoints" if ready == 0 else "the API server could not reach it"
    policy = f" (failurePolicy {hook.failure_policy})" if hook is not None else ""
    finding.summary = f"Admission webhook {name} cannot be reached{policy}: {why}"
    steps = [
        Step(
            f"Look at the webhook's Service {service[0]}/{service[1]} and the pods behind it.",
            None
            if is_option_like(service[0]) or operands(service[1]) is None
            else f"kubectl -n {quote(service[0])} describe service {operands(service[1])}",
        )
    ]
    if hook is not None and hook.failure_policy == "Fail":
        steps.append(
            Step(
                f"While it is down, every pod create in its scope fails. If its own pods cannot start either, an "
                f"administrator can set failurePolicy Ignore on {hook.config_kind} {hook.config} until it is back."
            )
        )
    lead_with(finding, steps)


def _timeout_candidates(finding: Finding, facts: ObjectFacts, inventory: Inventory, hooks: list[Webhook]) -> None:
    """A timeout names no webhook: the webhooks that intercept pod creation here, and their Services."""
    namespace = inventory.get("Namespace", "", facts.namespace)
    labels = string_map(dig(namespace, "metadata", "labels")) if namespace is not None else {"kubernetes.io/metadata.name": facts.namespace}
    candidates = [h for h in hooks if _intercepts_pods(h, labels)]
    if not candidates:
        if all(inventory.listed(kind, "") for kind in WEBHOOK_KINDS):
            add_evidence(finding, "admission webhooks", f"none intercepts pod creation in namespace {facts.namespace}")
            finding.summary = (
                "Pod creation timed out at the API server, and no admission webhook is in the way: the API server itself was slow"
            )
        else:
            add_evidence(finding, "admission webhooks", "could not be read: the webhook that timed out cannot be named")
        return
    down = []
    for hook in candidates[:5]:
        service = hook.service
        target = f"service {service[0]}/{service[1]}" if service else "a url"
        add_evidence(finding, hook.where, f"intercepts pod creation here; failurePolicy {hook.failure_policy}; calls {target}")
        if service and _service_state(finding, inventory, service[0], service[1]) == 0:
            down.append(hook.name)
    if down:
        verb = "intercepts" if len(down) == 1 else "intercept"
        finding.summary = f"Pod creation timed out: {listing(len(down), 'webhook', down)} {verb} pods here, with no ready endpoints"
    else:
        names = [h.name for h in candidates]
        verb = "intercepts" if len(names) == 1 else "intercept"
        finding.summary = f"Pod creation timed out; {listing(len(names), 'webhook', names)} {verb} pods in this namespace"


@register("PodsNotCreated", "webhook-denied")
def _webhook_denied(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    name, reason = finding.captures.get("webhook", ""), finding.captures.get("reason", "").strip()
    hook = next((h for h in webhooks(inventory) if h.name == name), None)
    if hook is not None:
        service = hook.service
        target = f"service {service[0]}/{service[1]}" if service else "a url"
        add_evidence(finding, hook.where, f"failurePolicy {hook.failure_policy}; calls {target}")
    if reason:
        finding.summary = f"Admission webhook {name} denies the pods: {reason[:200]}"
