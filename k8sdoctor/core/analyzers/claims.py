"""PVCPending: the StorageClasses there are ("did you mean"), whether the provisioner has acted on the
claim at all, each PersistentVolume that could bind it compared field by field, and the pods waiting on
it (a stuck pod's own cause carried in)."""

from __future__ import annotations

import re

from k8sdoctor.core.analyzers import register
from k8sdoctor.core.analyzers.finding_edits import add_evidence, lead_with
from k8sdoctor.core.analyzers.kubectl import quote, to_json
from k8sdoctor.core.facts import ObjectFacts
from k8sdoctor.core.facts.presence import read_completely
from k8sdoctor.core.facts.storage import DEFAULT_CLASS_ANNOTATIONS, ClaimState, claim_state, requested
from k8sdoctor.core.findings import Finding, Step
from k8sdoctor.core.inventory import ALL_NAMESPACES, Inventory
from k8sdoctor.core.kube.podstatus import pod_display_status
from k8sdoctor.core.kube.quantity import format_bytes, parse_quantity
from k8sdoctor.core.kube.raw import as_dict, as_str, dig, name_of
from k8sdoctor.core.kube.selectors import label_selector_matches
from k8sdoctor.core.kube.timeutil import human_duration
from k8sdoctor.core.suggest import close_matches

_EXTERNAL_PROVISIONER = re.compile(r'external provisioner "([^"]+)"')
#: Words of a provisioner name that say nothing about which pods run it.
_GENERIC = {"io", "com", "org", "net", "k8s", "kubernetes", "csi", "sigs", "x-k8s", "storage", "provisioner", "external"}
SHOWN = 5


def _state(facts: ObjectFacts) -> ClaimState:
    got = facts.computed("claim.state", lambda f: claim_state(f.inventory, f.raw, f.now.timestamp()))
    assert isinstance(got, ClaimState)
    return got


def _classes(inventory: Inventory) -> dict[str, dict]:
    return {name_of(sc): sc for sc in inventory.all("StorageClass") if name_of(sc)}


def _class_list(inventory: Inventory, state: ClaimState) -> str:
    names = sorted(_classes(inventory))
    if not names:
        return "no StorageClass exists" if state.classes_read else "StorageClasses were not read"
    return "StorageClasses: " + ", ".join(f"{n} (default)" if n in state.defaults else n for n in names)


def default_class_step(name: str) -> Step:
    patch = {"metadata": {"annotations": {DEFAULT_CLASS_ANNOTATIONS[0]: "true"}}}
    return Step(
        f"Make a StorageClass the default (for example {name}), so claims without storageClassName get provisioned; "
        "a claim that already exists keeps no class: create it again.",
        f"kubectl patch storageclass {quote(name)} -p {quote(to_json(patch))}",
    )


def recreate_step(namespace: str, claim: str, storage_class: str) -> Step:
    return Step(
        f"A claim's storageClassName cannot change: set storageClassName: {storage_class} in its manifest (or volumeClaimTemplate), "
        f"then delete the Pending claim {claim} (it holds no data yet) and apply the manifest again.",
        f"kubectl -n {quote(namespace)} delete pvc {quote(claim)}",
    )


@register("PVCPending")
def _waiting_pods(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    """The pods that use the claim; when the claim waits for them, the first stuck one's own cause."""
    state = _state(facts)
    if not state.consumers:
        if read_completely(inventory, "Pod", facts.namespace):
            add_evidence(finding, f"pods in namespace {facts.namespace}", "no pod uses the claim")
        return
    shown = ", ".join(f"{name_of(p)} ({pod_display_status(p)})" for p in state.consumers[:SHOWN])
    add_evidence(finding, "pods using the claim", shown)
    if finding.cause == "waiting-for-first-consumer":  # the claim waits for the pod: the pod's own cause is the answer
        for pod in state.stuck[:1]:
            finding.carries.append(("Pod", facts.namespace, name_of(pod)))


@register("PVCPending", "storageclass-not-found")
def _missing_class(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    state = _state(facts)
    wanted = finding.captures.get("storage_class") or state.class_name or ""
    similar = close_matches(wanted, _classes(inventory))
    add_evidence(finding, "storageclasses", _class_list(inventory, state) + (f". Did you mean {similar[0]}?" if similar else ""))
    better = similar[0] if similar else (state.defaults[0] if state.defaults else "")
    if better:
        lead_with(finding, [recreate_step(facts.namespace, facts.name, better)])


@register("PVCPending", "no-default-storageclass")
def _no_default(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    state = _state(facts)
    add_evidence(finding, "storageclasses", _class_list(inventory, state))
    if state.defaults:
        add_evidence(
            finding,
            "storageclass " + state.defaults[0],
            "is the default now, but the claim was created without a class: the default is applied only when a claim is created",
        )
        lead_with(finding, [recreate_step(facts.namespace, facts.name, state.defaults[0])])
    elif _classes(inventory):
        lead_with(finding, [default_class_step(sorted(_classes(inventory))[0])])


def _provisioner_pods(inventory: Inventory, provisioner: str) -> list[dict] | None:
    """Pods whose name carries a telling word of the provisioner's name (ebs for ebs.csi.aws.com,
    local-path for rancher.io/local-path); None when not every pod was read."""
    if not inventory.listed("Pod", ALL_NAMESPACES):
        return None
    words = [w for w in re.split(r"[./]", provisioner.lower()) if w and w not in _GENERIC and len(w) > 2]
    if not words:
        return None
    return [p for (_ns, name), p in sorted(inventory.pods.items()) if any(w in name for w in words)][:SHOWN]


@register("PVCPending", "provisioning-failed")
def _provisioner(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    state = _state(facts)
    provisioner = as_str(state.storage_class.get("provisioner")) if state.storage_class else ""
    waiting = [e for e in facts.events if e.reason == "ExternalProvisioning"]
    acted = [e for e in facts.events if e.reason in ("Provisioning", "ProvisioningFailed", "ProvisioningSucceeded")]
    if waiting and not provisioner:
        found = _EXTERNAL_PROVISIONER.search(waiting[-1].message)
        provisioner = found.group(1) if found else ""
    if state.class_name:
        add_evidence(finding, f"storageclass {state.class_name}", f"provisioner {provisioner or 'unknown'}")
    if waiting and not acted and facts.age_seconds is not None:
        add_evidence(
            finding,
            "events about the claim",
            f"no provisioner has acted on the claim in {human_duration(facts.age_seconds)}: nothing answers to provisioner "
            f"{provisioner or 'of its class'} (it is not running, or runs under another name)",
        )
    if provisioner.startswith("kubernetes.io/") and provisioner != "kubernetes.io/no-provisioner":
        # in-tree: kube-controller-manager provisions these itself, no pod of its own to look for
        add_evidence(
            finding, f"provisioner {provisioner}", "in-tree: kube-controller-manager provisions it (cloud ones need its --cloud-provider)"
        )
        return
    pods = _provisioner_pods(inventory, provisioner) if provisioner else None
    if pods is not None:
        text = ", ".join(f"{as_str(dig(p, 'metadata', 'namespace'))}/{name_of(p)} ({pod_display_status(p)})" for p in pods)
        add_evidence(finding, f"pods named like provisioner {provisioner}", text or "none runs in the cluster")


def _fit(pvc: dict, pv: dict) -> list[str]:
    """Why a PersistentVolume cannot bind a claim: size, access modes, volume mode, selector."""
    why = []
    want, have = requested(pvc), parse_quantity(dig(pv, "spec", "capacity", "storage"))
    if want is not None and have is not None and have < want:
        why.append(f"{format_bytes(have)} < {format_bytes(want)} requested")
    modes = set(dig(pv, "spec", "accessModes") or ())
    missing = [m for m in dig(pvc, "spec", "accessModes") or () if m not in modes]
    if missing:
        why.append(f"access modes {', '.join(sorted(modes)) or 'none'} lack {', '.join(missing)}")
    if (dig(pvc, "spec", "volumeMode") or "Filesystem") != (dig(pv, "spec", "volumeMode") or "Filesystem"):
        why.append(f"volumeMode {dig(pv, 'spec', 'volumeMode') or 'Filesystem'}")
    selector = dig(pvc, "spec", "selector")
    if isinstance(selector, dict) and selector and not label_selector_matches(selector, dig(pv, "metadata", "labels")):
        why.append("its labels do not match the claim's selector")
    return why


@register("PVCPending", "no-matching-pv", "waiting-for-first-consumer")
def _volumes(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    state = _state(facts)
    if not (state.static or finding.cause == "no-matching-pv"):
        return
    shown_class = f'class "{state.class_name}"' if state.class_name else "no class"
    if not state.candidates:
        if read_completely(inventory, "PersistentVolume", ""):
            add_evidence(finding, "persistentvolumes", f"no Available PersistentVolume with {shown_class}")
        return
    for pv in state.candidates[:SHOWN]:
        why = _fit(facts.raw, pv)
        affinity = "; it is pinned to nodes by nodeAffinity" if dig(pv, "spec", "nodeAffinity") else ""
        text = ("does not fit: " + "; ".join(why) if why else "fits the claim's size, access modes and selector") + affinity
        add_evidence(finding, f"persistentvolume {name_of(pv)} ({shown_class}, Available)", text)


@register("PVCPending", "resize-failed", "resize-unsupported")
def _resize(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    sc = _state(facts).storage_class
    if sc is None:
        return
    allowed = sc.get("allowVolumeExpansion") is True
    add_evidence(
        finding,
        f"storageclass {name_of(sc)}",
        f"provisioner {as_str(sc.get('provisioner')) or 'unknown'}, allowVolumeExpansion {'true' if allowed else 'not set (false)'}",
    )
    annotations = as_dict(dig(facts.raw, "metadata", "annotations"))
    resizer = as_str(annotations.get("volume.kubernetes.io/storage-resizer"))
    if resizer:
        add_evidence(finding, "metadata.annotations[volume.kubernetes.io/storage-resizer]", f"waits for resizer {resizer}")
