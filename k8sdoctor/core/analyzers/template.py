"""The pod template a workload's refused or failing pods come from, its containers (init containers and
sidecars included), and the object a fix to it goes to (`kubectl set resources deployment/web ...`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from k8sdoctor.core.analyzers.kubectl import TEMPLATE_SPEC, Target
from k8sdoctor.core.facts import ObjectFacts
from k8sdoctor.core.facts.workloads import pod_template
from k8sdoctor.core.findings import Finding
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.raw import as_dict, as_str, dicts


@dataclass(frozen=True, slots=True)
class TemplateContainer:
    name: str
    kind: str  # init, sidecar or app
    spec: dict
    list_name: str  # initContainers or containers


@dataclass(frozen=True)
class PodTemplate:
    spec: dict
    where: str  # how evidence names it: "spec.template.spec", "replicaset web-5d8f spec.template.spec"
    containers: list[TemplateContainer] = field(default_factory=list)

    def label(self, name: str) -> str:
        """ "crd", or "setup (init container)" for a container that is not an app container."""
        kind = next((c.kind for c in self.containers if c.name == name), "app")
        return name if kind == "app" else f"{name} ({kind} container)"


def template_of(spec: dict, where: str) -> PodTemplate:
    containers = []
    for c in dicts(spec.get("initContainers")):
        kind = "sidecar" if c.get("restartPolicy") == "Always" else "init"
        containers.append(TemplateContainer(as_str(c.get("name")), kind, c, "initContainers"))
    containers += [TemplateContainer(as_str(c.get("name")), "app", c, "containers") for c in dicts(spec.get("containers"))]
    return PodTemplate(spec, where, containers)


def refused_template(facts: ObjectFacts, finding: Finding, inventory: Inventory) -> PodTemplate | None:
    """The template of the object that tried to create the pods: the ReplicaSet or Job a finding's
    evidence is about, else the workload itself."""
    if finding.about is not None and finding.about[0] in ("ReplicaSet", "Job"):
        kind, namespace, name = finding.about
        obj = inventory.get(kind, namespace, name)
        if obj is not None:
            template, path = pod_template(kind, obj)
            if template:
                return template_of(as_dict(template.get("spec")), f"{kind.lower()} {name} {path}.spec")
    template, path = pod_template(facts.kind, facts.raw)
    spec = as_dict(template.get("spec"))
    return template_of(spec, f"{path}.spec") if spec else None


def template_target(facts: ObjectFacts) -> Target | None:
    """Where a change to the pod template goes: the workload (a Deployment, not its ReplicaSet), or None
    for a Job, whose template cannot change."""
    return Target(facts.kind, facts.name, facts.namespace) if facts.kind in TEMPLATE_SPEC else None
