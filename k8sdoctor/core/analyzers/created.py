"""Pods refused at creation by a ResourceQuota, a LimitRange or a missing ServiceAccount: what is used,
what the pod asks and what is left (and whether the request can ever fit), the containers that do not
declare what a quota requires, the LimitRange's bound and the container that breaks it, and the
ServiceAccount that was probably meant."""

from __future__ import annotations

import re

from k8sdoctor.core.analyzers import register
from k8sdoctor.core.analyzers.finding_edits import add_evidence, lead_with
from k8sdoctor.core.analyzers.kubectl import Target, operands, quote, to_json
from k8sdoctor.core.analyzers.template import TemplateContainer, refused_template, template_target
from k8sdoctor.core.analyzers.wording import listing
from k8sdoctor.core.facts import ObjectFacts
from k8sdoctor.core.findings import Finding, Step
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.quantity import MI, parse_quantity, to_quantity
from k8sdoctor.core.kube.raw import as_dict, as_int, as_str, dicts, dig, name_of
from k8sdoctor.core.suggest import close_matches

#: Values offered in `kubectl set resources` steps where a quota wants a value the pod does not set;
#: the step says to pick what fits the app.
EXAMPLE_VALUES = {"requests.cpu": "100m", "requests.memory": "128Mi", "limits.cpu": "500m", "limits.memory": "256Mi"}
#: a resource name starts after a non-name character, so no try rescans a long word: linear
_PER_CONTAINER = re.compile(r"(?<![\w./-])([\w./-]+) for: ([^;]+)")


def _base(resource: str) -> str:
    """`requests.cpu` → `cpu`; `limits.memory` → `memory`; `cpu` stays."""
    return resource.split(".", 1)[1] if resource.startswith(("requests.", "limits.")) else resource


def _resource_list(text: str) -> dict[str, str]:
    """`requests.cpu=20,requests.memory=60Gi` → {resource: quantity text}."""
    out = {}
    for item in text.split(","):
        name, sep, value = item.partition("=")
        if sep and name.strip():
            out[name.strip()] = value.strip()
    return out


def _amount(resource: str, value: float) -> str:
    """A quantity for people, in the resource's own units: `17425m`, `1Gi`, `3`."""
    if value == 0:
        return "0"
    base = _base(resource)
    if base == "cpu" or ((base in ("memory", "ephemeral-storage", "storage") or base.startswith("hugepages-")) and value >= MI):
        return to_quantity(base, value, round_up=False)
    return f"{value:g}"


def _milli_memory(resource: str, text: str) -> str | None:
    """A memory quantity in milli-units (`500m` is half a byte): almost always meant as `500Mi`."""
    if _base(resource) in ("memory", "ephemeral-storage", "storage") and re.fullmatch(r"\d+(?:\.\d+)?m", text.strip()):
        return (
            f"{text.strip()} of {_base(resource)} means {text.strip()[:-1]} thousandths of a byte; {text.strip()[:-1]}Mi was probably meant"
        )
    return None


# ---- every cause -------------------------------------------------------------------------------------
_RESTARTABLE = ("Deployment", "StatefulSet", "DaemonSet")


@register("PodsNotCreated")
def _fit_steps_to_kind(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    """Drop the playbook's commands that do not apply to this kind: `rollout restart` exists for
    Deployments, StatefulSets and DaemonSets only; a Job's pod template cannot change."""

    def applies(step: Step) -> bool:
        command = step.command or ""
        if " rollout restart " in command and facts.kind not in _RESTARTABLE:
            return False
        return not (facts.kind == "Job" and (" set resources " in command or " set serviceaccount " in command))

    finding.remediation = [s if applies(s) else Step(s.text) for s in finding.remediation]
    if facts.kind == "Job" and finding.cause in (
        "quota-requires-requests",
        "limitrange-violation",
        "pod-security-violation",
        "serviceaccount-missing",
    ):
        finding.remediation.append(
            Step(
                "A Job's pod template cannot change: delete the Job and create it again with the fix.",
                f"kubectl -n {quote(facts.namespace)} get job -o yaml {operands(facts.name)}" if operands(facts.name) else None,
            )
        )


# ---- quota exceeded ------------------------------------------------------------------------------
@register("PodsNotCreated", "quota-exceeded")
def _quota_exceeded(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    c = finding.captures
    if "resource" in c:  # the 2015 wording names one resource
        asked, used, hard = ({c["resource"]: c[k]} for k in ("requested", "used", "limited"))
    else:
        asked, used, hard = (_resource_list(c.get(k, "")) for k in ("requested", "used", "limited"))
    name = c.get("quota", "").strip()
    quota = inventory.get("ResourceQuota", facts.namespace, name) if name else None
    if quota is not None:
        status = as_dict(quota.get("status"))
        shown = ", ".join(f"{r}={as_str(dig(status, 'used', r)) or '0'}/{as_str(dig(status, 'hard', r)) or '?'}" for r in asked)
        add_evidence(finding, f"resourcequota {name} status (used/hard)", shown)
        hard = {r: as_str(dig(status, "hard", r)) or v for r, v in hard.items()}  # the quota as it is now
    never, short = [], []
    for resource, text in asked.items():
        want, use, cap = parse_quantity(text), parse_quantity(used.get(resource)), parse_quantity(hard.get(resource))
        if want is None or cap is None:
            continue
        left = max(0.0, cap - (use or 0.0))
        source = f"quota {name} {resource}" if name else f"quota {resource}"
        line = f"the pod asks {text}; {used.get(resource, '?')} of {hard[resource]} used, {_amount(resource, left)} left"
        if want > cap:
            never.append(resource)
            add_evidence(finding, source, f"{line}: more than the quota allows at all")
        elif want > left:
            short.append(resource)
            add_evidence(finding, source, line)
        for text_ in (text, hard.get(resource, "")):
            hint = _milli_memory(resource, text_)
            if hint:
                add_evidence(finding, source, hint)
    target = template_target(facts)
    quota_ref = f"ResourceQuota {name}" if name else "The ResourceQuota"
    if never:
        finding.summary = f"{quota_ref} can never admit the pod: it asks more {', '.join(never)} than the quota allows in total"
        lead_with(
            finding,
            [
                Step(
                    f"Freeing usage cannot help: one pod asks more {', '.join(never)} than {quota_ref} allows. "
                    "Lower the request in the pod template, or ask an administrator to raise (or correct) the quota.",
                    # the name comes from the message (free text): none that reads as an option
                    f"kubectl -n {quote(facts.namespace)} get resourcequota -o yaml {operands(name)}" if name and operands(name) else None,
                )
            ],
        )
        return
    if short:
        finding.summary = f"{quota_ref} is used up: not enough {', '.join(short)} left for another pod"
    steps = _freeing_steps(facts, inventory, short)
    surge = _surge_step(facts, finding, target)
    lead_with(finding, [*steps, *([surge] if surge else [])])


def _pod_amount(pod: dict, resource: str) -> float:
    """What one pod counts against a quota for `resource` (requests.cpu, limits.memory, pods...)."""
    if resource in ("pods", "count/pods"):
        return 1.0
    kind, _, base = resource.partition(".")
    if not base:
        kind, base = "requests", resource
    total = 0.0
    for c in dicts(dig(pod, "spec", "containers")):
        value = dig(c, "resources", kind, base) or (dig(c, "resources", "limits", base) if kind == "requests" else None)
        total += parse_quantity(value) or 0.0
    return total


def _freeing_steps(facts: ObjectFacts, inventory: Inventory, resources: list[str]) -> list[Step]:
    """Which pods of the namespace hold the quota (largest first), and the Terminating ones that still do."""
    if not resources:
        return []
    pods = [p for p in inventory.pods_in(facts.namespace) if dig(p, "status", "phase") not in ("Succeeded", "Failed")]
    resource = resources[0]
    holders = sorted(((p, _pod_amount(p, resource)) for p in pods), key=lambda pa: -pa[1])
    holders = [(p, a) for p, a in holders if a > 0]
    steps = []
    if holders:
        shown = ", ".join(f"{name_of(p)} ({_amount(resource, a)})" for p, a in holders[:3])
        steps.append(
            Step(
                f"Free {resource}: the namespace's pods that hold it, largest first: {shown}. Scale down or delete what is no longer needed.",
                f"kubectl -n {quote(facts.namespace)} get pods",
            )
        )
    terminating = [name_of(p) for p in pods if dig(p, "metadata", "deletionTimestamp")]
    if terminating:
        steps.append(
            Step(
                f"{listing(len(terminating), 'pod', terminating)} still count against the quota while Terminating; "
                "find what holds them (a finalizer, an unreachable node).",
                f"kubectl -n {quote(facts.namespace)} get pods --field-selector=status.phase=Running",
            )
        )
    return steps


def _surge_step(facts: ObjectFacts, finding: Finding, target: Target | None) -> Step | None:
    """A rolling update that needs one more pod than the quota leaves: replace pods in place instead."""
    if facts.kind != "Deployment" or target is None or (as_int(dig(facts.raw, "status", "replicas")) or 0) == 0:
        return None
    if dig(facts.raw, "spec", "strategy", "type") == "Recreate":
        return None
    patch = {"spec": {"strategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}}}}
    return Step(
        "A rolling update creates new pods before it removes old ones, so it needs room in the quota for at "
        "least one more pod; with maxSurge 0 it replaces them one at a time instead.",
        target.kubectl("patch", target.ref, "-p", to_json(patch)),
    )


# ---- quota requires requests ---------------------------------------------------------------------
def _required(captures: dict[str, str]) -> dict[str, list[str] | None]:
    """Resources the quota says must be set, with the containers it names (newer servers), or None."""
    if "resource" in captures:  # "cpu is limited by quota, must make explicit request"
        return {f"requests.{captures['resource']}": None}
    text = captures.get("missing", "").strip()
    per_container = _PER_CONTAINER.findall(text[:16384])
    if per_container:
        return {res: [c.strip() for c in names.split(",") if c.strip()] for res, names in per_container}
    return {res.strip(): None for res in text.split(",") if res.strip()}


def _declares(container: TemplateContainer, resource: str) -> bool:
    kind, _, base = resource.partition(".")
    if not base:
        kind, base = "requests", resource
    resources = as_dict(container.spec.get("resources"))
    if dig(resources, kind, base) is not None:
        return True
    return kind == "requests" and dig(resources, "limits", base) is not None  # the API defaults request to limit


@register("PodsNotCreated", "quota-requires-requests")
def _quota_requires(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    template = refused_template(facts, finding, inventory)
    if template is None:
        return
    required = _required(finding.captures)
    lacking: dict[str, list[str]] = {}
    for resource, named in required.items():
        names = named if named is not None else [c.name for c in template.containers if not _declares(c, resource)]
        for cname in names:
            lacking.setdefault(cname, []).append(resource)
        if names:
            labels = [template.label(n) for n in names]
            add_evidence(finding, f"{template.where} containers", f"{resource} is not set on {listing(len(labels), 'container', labels)}")
    if not lacking:
        add_evidence(
            finding,
            f"{template.where} containers",
            f"every container of the template declares {', '.join(required)}: a container added at admission "
            "(a sidecar injector's) may lack them",
        )
        return
    finding.summary = f"The quota requires {', '.join(required)}, which {listing(len(lacking), 'container', list(lacking))} do not set"
    target = template_target(facts)
    steps = []
    for cname, resources in lacking.items():
        requests = ",".join(f"{_base(r)}={EXAMPLE_VALUES.get(r, '1')}" for r in resources if not r.startswith("limits."))
        limits = ",".join(f"{_base(r)}={EXAMPLE_VALUES.get(r, '1')}" for r in resources if r.startswith("limits."))
        command = target.set_resources(cname, limits=limits, requests=requests) if target is not None else None
        steps.append(Step(f"Set {', '.join(resources)} on container {cname} (pick values that fit the app).", command))
    lead_with(finding, steps, replacing=lambda s: s.command is not None and " set resources " in s.command and "-c " not in s.command)


# ---- LimitRange ----------------------------------------------------------------------------------
def _limit_items(inventory: Inventory, namespace: str, scope: str) -> list[tuple[str, int, dict]]:
    """(LimitRange name, index, item) of every LimitRange item of this type in the namespace."""
    out = []
    for lr in inventory.in_namespace("LimitRange", namespace):
        for i, item in enumerate(dicts(dig(lr, "spec", "limits"))):
            if as_str(item.get("type")) == scope:
                out.append((name_of(lr), i, item))
    return out


@register("PodsNotCreated", "limitrange-violation")
def _limitrange(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    c = finding.captures
    resource, scope, bound = c.get("resource", ""), c.get("scope", "Container"), c.get("bound", "")
    key = {"maximum": "max", "minimum": "min"}.get(c.get("bound_kind", ""), "maxLimitRequestRatio")
    for lr_name, i, item in _limit_items(inventory, facts.namespace, scope):
        value = dig(item, key, resource)
        if value is not None:
            add_evidence(finding, f"limitrange {lr_name} spec.limits[{i}] (type {scope}) {key}.{resource}", as_str(value))
            for default_key in ("default", "defaultRequest"):
                default = dig(item, default_key, resource)
                if default is not None:
                    add_evidence(finding, f"limitrange {lr_name} spec.limits[{i}] (type {scope}) {default_key}.{resource}", as_str(default))
    for text in (bound, c.get("asked", "")):
        hint = _milli_memory(resource, text)
        if hint:
            add_evidence(finding, f"limitrange {resource}", hint)
    template = refused_template(facts, finding, inventory)
    if template is None or scope != "Container":
        if scope == "Pod":
            finding.summary = f"A LimitRange bounds {resource} per pod (the sum over its containers): {_bound_words(c)}"
        return
    field = c.get("field") or c.get("unset") or ("request" if "ratio" in c else "")
    offenders = [ct for ct in template.containers if _breaks(ct, c, resource, field)]
    if not offenders:
        finding.summary = f"A LimitRange bounds {resource} per container: {_bound_words(c)}"
        return
    names = [ct.name for ct in offenders]
    finding.summary = f"A LimitRange refuses {listing(len(names), 'container', names)}: {_bound_words(c)}"
    for ct in offenders:
        resources = as_dict(ct.spec.get("resources"))
        shown = as_str(dig(resources, f"{field}s", resource)) if field else ""
        add_evidence(
            finding,
            f"{template.where} {template.label(ct.name)} resources",
            f"{field or 'value'} {resource}: {shown or 'not set (a LimitRange default applies, if any)'}",
        )
    target = template_target(facts)
    fix = _fix_value(c, offenders[0], resource)
    if target is not None and fix is not None:
        kind, value = fix
        command = target.set_resources(offenders[0].name, **{"limits" if kind == "limit" else "requests": f"{resource}={value}"})
        lead_with(
            finding,
            [Step(f"Set the {kind} of {resource} of container {offenders[0].name} to {value}, inside the LimitRange's bounds.", command)],
        )


def _bound_words(c: dict[str, str]) -> str:
    if "ratio" in c:
        return f"limit/request ratio of {c.get('resource')} at most {c.get('bound')}, but {c['ratio']}"
    which = {"maximum": "at most", "minimum": "at least"}.get(c.get("bound_kind", ""), "")
    asked = f", the pod's {c['field']} is {c['asked']}" if c.get("field") else f", no {c.get('unset', 'value')} is set"
    return f"{c.get('resource')} {which} {c.get('bound')}{asked}"


def _value(container: TemplateContainer, kind: str, resource: str) -> float | None:
    return parse_quantity(dig(container.spec, "resources", kind, resource))


def _breaks(container: TemplateContainer, c: dict[str, str], resource: str, field: str) -> bool:
    if container.kind == "sidecar" and c.get("scope") == "Pod":
        return False
    if "ratio" in c:
        request, limit = _value(container, "requests", resource), _value(container, "limits", resource)
        if request in (None, 0.0):
            return limit is not None or "no request" in c["ratio"]
        bound = parse_quantity(c.get("bound"))
        return limit is not None and bound is not None and limit / request > bound
    if not field:
        return False
    value = _value(container, f"{field}s", resource)
    if "unset" in c:
        return value is None
    bound = parse_quantity(c.get("bound"))
    if value is None or bound is None:
        return value is None and parse_quantity(c.get("asked")) is not None  # a default filled it in
    return value > bound if c.get("bound_kind") == "maximum" else value < bound


def _fix_value(c: dict[str, str], container: TemplateContainer, resource: str) -> tuple[str, str] | None:
    """(request|limit, value) that brings the container inside the bound."""
    bound = parse_quantity(c.get("bound"))
    if bound is None:
        return None
    if "ratio" in c:
        limit = _value(container, "limits", resource)
        if limit is None:
            return None
        return "request", to_quantity(resource, limit / bound, round_up=True)
    if not c.get("field"):
        return None
    return c["field"], as_str(c.get("bound"))


# ---- ServiceAccount ------------------------------------------------------------------------------
@register("PodsNotCreated", "serviceaccount-missing")
def _serviceaccount(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    name, namespace = finding.captures.get("serviceaccount", ""), finding.captures.get("sa_namespace", facts.namespace)
    template = refused_template(facts, finding, inventory)
    if template is not None:
        named = as_str(template.spec.get("serviceAccountName")) or as_str(template.spec.get("serviceAccount"))
        if named:
            add_evidence(finding, f"{template.where}.serviceAccountName", named)
    if name and inventory.get("ServiceAccount", namespace, name) is not None:  # the refusal is older than the account
        add_evidence(
            finding,
            f"serviceaccounts in namespace {namespace}",
            f"ServiceAccount {name} exists now: it was created after the refusal, and the controller creates the pods when it retries",
        )
        return
    similar = close_matches(name, inventory.names("ServiceAccount", namespace))
    elsewhere = sorted(
        as_str(dig(sa, "metadata", "namespace"))
        for sa in inventory.all("ServiceAccount")
        if name_of(sa) == name and as_str(dig(sa, "metadata", "namespace")) != namespace
    )
    if elsewhere:
        add_evidence(
            finding,
            "serviceaccounts",
            f"a ServiceAccount named {name} exists in {listing(len(elsewhere), 'namespace', elsewhere)}, not in {namespace}",
        )
    if similar:
        add_evidence(finding, f"serviceaccounts in namespace {namespace}", f"did you mean {' or '.join(similar[:2])}?")
        target = template_target(facts)
        if target is not None:
            lead_with(
                finding,
                [
                    Step(
                        f"Point the pod template at {similar[0]}, if that is the one meant.",
                        target.kubectl("set", "serviceaccount", target.ref, similar[0]),
                    )
                ],
            )
