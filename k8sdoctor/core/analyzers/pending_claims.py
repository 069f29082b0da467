"""Pending because of a PersistentVolumeClaim: its phase, its storageClassName, whether that class (or
a default one) exists, and whether it binds only once the pod is scheduled (WaitForFirstConsumer)."""

from __future__ import annotations

from k8sdoctor.core.analyzers.finding_edits import add_evidence, lead_with
from k8sdoctor.core.analyzers.kubectl import quote, to_json
from k8sdoctor.core.facts import PodFacts
from k8sdoctor.core.findings import Finding, Step
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.raw import as_dict, as_str, dig, name_of
from k8sdoctor.core.suggest import close_matches

DEFAULT_CLASS_ANNOTATIONS = ("storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class")


def is_default_class(storage_class: dict) -> bool:
    annotations = as_dict(dig(storage_class, "metadata", "annotations"))
    return any(as_str(annotations.get(a)).lower() == "true" for a in DEFAULT_CLASS_ANNOTATIONS)


def _default_class_step(classes: dict[str, dict]) -> Step:
    name = sorted(classes)[0]
    patch = {"metadata": {"annotations": {DEFAULT_CLASS_ANNOTATIONS[0]: "true"}}}
    return Step(
        f"Make a StorageClass the default (for example {name}), so claims without storageClassName get provisioned.",
        f"kubectl patch storageclass {quote(name)} -p {quote(to_json(patch))}",
    )


def explain_claims(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    classes = {name_of(sc): sc for sc in inventory.all("StorageClass") if isinstance(sc, dict) and name_of(sc)}
    defaults = sorted(n for n, sc in classes.items() if is_default_class(sc))
    known_claims = [name for ns, name in inventory.objects.get("PersistentVolumeClaim", {}) if ns == facts.namespace]
    steps: list[Step] = []
    for pvc in facts.pvcs:
        name = name_of(pvc)
        source = f"persistentvolumeclaim {facts.namespace}/{name}"
        if pvc.get("missing"):
            if known_claims:
                similar = close_matches(name, known_claims)
                add_evidence(
                    finding, source, f"does not exist in namespace {facts.namespace}" + (f". Did you mean {similar[0]}?" if similar else "")
                )
            else:
                add_evidence(finding, source, "not in the data k8sdoctor read (claims in this namespace were not listed)")
            continue
        phase = as_str(dig(pvc, "status", "phase")) or "unknown"
        if phase == "Bound" and finding.cause == "unbound-pvc":
            continue
        parts = [f"phase {phase}"]
        spec = as_dict(pvc.get("spec"))
        class_name = spec.get("storageClassName")
        if class_name is None:
            if defaults:
                parts.append(f"no storageClassName, so the default StorageClass {defaults[0]} applies")
            elif classes:
                parts.append("no storageClassName, and no StorageClass is marked default: nothing will provision it")
                steps.append(_default_class_step(classes))
            else:
                parts.append("no storageClassName; k8sdoctor read no StorageClass objects")
        elif as_str(class_name) == "":
            parts.append(
                'storageClassName "" (no dynamic provisioning: only a pre-created PersistentVolume of matching size and access mode can bind it)'
            )
        else:
            parts.append(_class_state(as_str(class_name), classes, defaults, steps, facts.namespace, name, phase))
        volume = as_str(spec.get("volumeName"))
        if volume:
            parts.append(f"volumeName {volume}")
        add_evidence(finding, source, "; ".join(parts))
    lead_with(finding, steps)


def _class_state(
    class_name: str, classes: dict[str, dict], defaults: list[str], steps: list[Step], namespace: str, claim: str, phase: str
) -> str:
    storage_class = classes.get(class_name)
    if storage_class is not None:
        mode = as_str(storage_class.get("volumeBindingMode")) or "Immediate"
        text = f"StorageClass {class_name} exists (provisioner {as_str(storage_class.get('provisioner')) or 'unknown'}, volumeBindingMode {mode})"
        if mode == "WaitForFirstConsumer":
            text += "; it binds only after the pod is scheduled, so this claim waits for the pod rather than blocking it"
        return text
    if not classes:
        return f"storageClassName {class_name}; k8sdoctor read no StorageClass objects, so it cannot tell whether that class exists"
    similar = close_matches(class_name, classes)
    text = f"StorageClass {class_name} does not exist (classes: {', '.join(sorted(classes)[:5])}" + (
        f"; default: {defaults[0]})" if defaults else ")"
    )
    better = similar[0] if similar else (defaults[0] if defaults else "")
    if similar:
        text += f". Did you mean {similar[0]}?"
    if better and phase == "Pending":
        steps.append(
            Step(
                f"A claim's storageClassName cannot change: set storageClassName: {better} in its manifest (or volumeClaimTemplate), "
                f"then delete the Pending claim {claim} (it holds no data yet) and apply the manifest again.",
                f"kubectl -n {quote(namespace)} delete pvc {quote(claim)}",
            )
        )
    return text
