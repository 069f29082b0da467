"""Pending because of a PersistentVolumeClaim: its phase, its storageClassName, whether that class (or
a default one) exists, and whether it binds only once the pod is scheduled (WaitForFirstConsumer). A
claim that is not bound carries its own diagnosis (PVCPending) into the pod's finding; a live source is
asked for the claim's events and the PersistentVolumes when it has not read them."""

from __future__ import annotations

from k8sdoctor.core.analyzers.claims import default_class_step, recreate_step
from k8sdoctor.core.analyzers.finding_edits import add_evidence, lead_with
from k8sdoctor.core.evidence_plan import events_about, listing
from k8sdoctor.core.facts import PodFacts
from k8sdoctor.core.facts.presence import read_completely
from k8sdoctor.core.facts.storage import claim_class, is_default_class
from k8sdoctor.core.findings import Finding, Step
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.raw import as_dict, as_str, dig, name_of
from k8sdoctor.core.suggest import close_matches


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
                steps.append(default_class_step(sorted(classes)[0]))
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
        if phase != "Bound":
            _carry_claim(finding, inventory, pvc)
    lead_with(finding, steps)


def _carry_claim(finding: Finding, inventory: Inventory, pvc: dict) -> None:
    """The claim's own diagnosis goes into the pod's finding; ask for what it reads when it is missing."""
    namespace, name = as_str(dig(pvc, "metadata", "namespace")), name_of(pvc)
    finding.carries.append(("PersistentVolumeClaim", namespace, name))
    if not inventory.listed("Event", namespace) and not inventory.events_about("PersistentVolumeClaim", pvc):
        finding.wants.append(events_about("PersistentVolumeClaim", namespace, name))
    if claim_class(pvc) in ("", None) and not read_completely(inventory, "PersistentVolume", ""):
        finding.wants.append(listing("PersistentVolume", ""))


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
        steps.append(recreate_step(namespace, claim, better))
    return text
