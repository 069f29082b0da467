"""Image pull failures: the reference parsed, then per cause: the image the user probably meant
(from nodes and other pods), the pull secrets and whether they exist, the node's platform against the
image's, and how to get out of a registry's rate limit."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from k8sdoctor.core.analyzers import register
from k8sdoctor.core.analyzers.cluster_images import ClusterImages, collect, listed_pods, parsed_image, short_name, suggest
from k8sdoctor.core.analyzers.finding_edits import Edits, add_evidence, command_has, lead_with, shared
from k8sdoctor.core.analyzers.kubectl import Target, operands, quote, target_of, to_json
from k8sdoctor.core.analyzers.node_shapes import node_shapes
from k8sdoctor.core.analyzers.object_names import Lookup, lookup
from k8sdoctor.core.analyzers.wording import count
from k8sdoctor.core.facts import ContainerFact, PodFacts
from k8sdoctor.core.findings import Finding, Step
from k8sdoctor.core.inventory import SECRET_REGISTRY_TYPES, Inventory
from k8sdoctor.core.kube.container_kinds import spec_list
from k8sdoctor.core.kube.imageref import DEFAULT_REGISTRY, ImageRef, ImageRefError, parse_image
from k8sdoctor.core.kube.raw import as_dict, as_list, as_str, dicts, dig

DOCKER_CONFIG_TYPES = ("kubernetes.io/dockerconfigjson", "kubernetes.io/dockercfg")
DOCKER_HUB_SERVER = "https://index.docker.io/v1/"
_PULL_FAILURES = ("ErrImagePull", "ImagePullBackOff")


def _image(facts: PodFacts, finding: Finding) -> tuple[ContainerFact, ImageRef] | None:
    """The finding's container and its image reference, parsed (None when there is none to parse)."""
    container = facts.container(finding.container or "") if finding.container else None
    if container is None or not container.image:
        return None
    ref = parsed_image(container.image)  # every replica asks about the same image
    return None if ref is None else (container, ref)


@register("ImagePullBackOff")
def _image_reference(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    container = facts.container(finding.container or "") if finding.container else None
    if container is None or not container.image:
        return
    valid, text = _described(container.image)
    if not valid:
        add_evidence(finding, f"{container.spec_path}.image", text)
        return
    add_evidence(finding, f"{container.spec_path}.image, parsed", text)


@lru_cache(maxsize=4096)  # the replicas of a workload pull the same image
def _described(image: str) -> tuple[bool, str]:
    """(valid, the reference described or why it is not valid)."""
    try:
        return True, parse_image(image).describe()
    except ImageRefError as exc:
        return False, f"{image!r} is not a valid image reference: {exc}"


@register("ImagePullBackOff", "image-not-found", "pull-error")
def _missing_image(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    found = _image(facts, finding)
    if found is not None:
        explain_missing_image(finding, facts, inventory, *found)


@register("ImagePullBackOff", "registry-auth")
def _pull_secrets(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    found = _image(facts, finding)
    if found is not None:
        explain_pull_secrets(finding, facts, inventory, found[1])


@register("ImagePullBackOff", "platform-mismatch")
def _platform_mismatch(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    if _image(facts, finding) is not None:
        explain_platform(finding, facts, inventory)


@register("ImagePullBackOff", "rate-limited")
def _rate_limited(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    found = _image(facts, finding)
    if found is not None:
        explain_rate_limit(finding, facts, inventory, *found)


# ---- image not found ----------------------------------------------------------------------------
def explain_missing_image(finding: Finding, facts: PodFacts, inventory: Inventory, container: ContainerFact, ref: ImageRef) -> None:
    images = collect(inventory, (facts.namespace, facts.name))
    # The answer reads this pod only where the cluster's images name it: its own images are not counted,
    # and it is left out where a few pods using an image are listed by name.
    named = images.skip_pod if images.skip_pod in listed_pods(inventory) else None
    target = target_of(facts)
    question = ("missing-image", container.image, container.name, images.own, named, target)
    shared(inventory, question, lambda: _missing_image_edits(ref, images, inventory, container.name, target)).apply(finding)


def _missing_image_edits(ref: ImageRef, images: ClusterImages, inventory: Inventory, container: str, target: Target) -> Edits:
    evidence: list[tuple[str, str]] = []
    same = images.sighting(ref)
    source = "images on nodes (status.images) and in pod specs"
    if same is not None and same.nodes:
        where = images.describe(same, nodes_only=True)
        evidence.append(
            (
                source,
                f"{ref.familiar} itself is {where}: it existed when they pulled it (deleted or re-tagged since, or this node may not pull it)",
            )
        )
    tags = images.tags(ref.name)
    others = {t: s for t, s in tags.items() if t != ref.effective_tag}
    if others:
        listed = ", ".join(sorted(others, key=lambda t: (-others[t].total, t))[:6])
        evidence.append((source, f"other tags of {short_name(ref.name)} in the cluster: {listed}"))
    hint = suggest(ref, images, inventory)
    if hint is None:
        return Edits(tuple(evidence), lead=False)
    if not hint.same_repository:
        # A near name of another repository may be a look-alike planted on a node or in another
        # namespace (acme/paymemts for acme/payments): shown, never offered as a command.
        evidence.append(
            (
                source,
                f"a similar name is in the cluster: {hint.image}, {images.describe(hint.sighting)} "
                "(unverified: another repository, which may not be the one meant)",
            )
        )
        step = Step(f"Check the repository name against the one you meant; {hint.image} is similar, but unverified: another repository.")
        return Edits(tuple(evidence), (step,))
    evidence.append((source, f"did you mean {hint.image}? It is {images.describe(hint.sighting)}"))
    command = target.set_image(container, hint.image)
    return Edits(
        tuple(evidence),
        (Step(f"Use the image that exists in the cluster: {hint.image} (check it is the version you want).", command),),
        command_has("set image", "REGISTRY/REPOSITORY:TAG"),
    )


# ---- registry credentials -----------------------------------------------------------------------
def _secret_state(found: Lookup, registry_types_listed: bool) -> tuple[str, bool]:
    """(description, usable) of one pull secret; usable when it exists with a docker-config type."""
    if found.obj is None:
        return f"{found.name}: {found.describe()}", False
    kind = as_str(found.obj.get("type"))
    if kind in DOCKER_CONFIG_TYPES:
        return f"{found.name}: exists, type {kind}", True
    if not kind and registry_types_listed:
        return (
            f"{found.name}: exists but is not of type {' or '.join(DOCKER_CONFIG_TYPES)} (checked by listing the namespace's "
            "Secrets of those types; no value was read); the kubelet only uses those for pulls",
            False,
        )
    if not kind:
        return f"{found.name}: exists, type unknown (listed by name only)", True
    return f"{found.name}: exists but has type {kind}; the kubelet only uses {' or '.join(DOCKER_CONFIG_TYPES)} secrets for pulls", False


def service_account_name(facts: PodFacts) -> str:
    spec = as_dict(facts.raw.get("spec"))
    return as_str(spec.get("serviceAccountName")) or as_str(spec.get("serviceAccount")) or "default"


def pull_secret_names(facts: PodFacts, inventory: Inventory) -> tuple[list[str], list[str] | None]:
    """(names in the pod spec, names on its ServiceAccount or None when the ServiceAccount was not read)."""
    own = [as_str(s.get("name")) for s in dicts(dig(facts.raw, "spec", "imagePullSecrets")) if s.get("name")]
    account = inventory.get("ServiceAccount", facts.namespace, service_account_name(facts))
    if account is None:
        return own, None
    return own, [as_str(s.get("name")) for s in dicts(account.get("imagePullSecrets")) if s.get("name")]


def docker_server(ref: ImageRef) -> str:
    return DOCKER_HUB_SERVER if ref.registry == DEFAULT_REGISTRY else ref.registry


def credential_steps(facts: PodFacts, ref: ImageRef, account_secrets: list[str]) -> list[Step]:
    """Create a pull secret for the image's registry and add it to the pod's ServiceAccount (keeping
    the ServiceAccount's other pull secrets)."""
    ns, account = quote(facts.namespace), service_account_name(facts)
    names = [n for n in account_secrets if n != "regcred"] + ["regcred"]
    patch = to_json({"imagePullSecrets": [{"name": n} for n in names]})
    named = operands(account)
    return [
        Step(
            f"Create a pull secret for {ref.registry} in {facts.namespace} (use a read-only token).",
            f"kubectl -n {ns} create secret docker-registry regcred --docker-server={quote(docker_server(ref))} --docker-username=USER --docker-password=TOKEN",
        ),
        Step(
            f"Let the pod's ServiceAccount {account} use it (pods created afterwards get it).",
            named and f"kubectl -n {ns} patch serviceaccount -p {quote(patch)} {named}",
        ),
    ]


def explain_pull_secrets(finding: Finding, facts: PodFacts, inventory: Inventory, ref: ImageRef) -> None:
    own, from_account = pull_secret_names(facts, inventory)
    account = service_account_name(facts)
    usable: list[Lookup] = []
    renamed: tuple[str, str] | None = None
    checked = [(name, "spec.imagePullSecrets") for name in own]
    checked += [(name, f"serviceaccount {facts.namespace}/{account} imagePullSecrets") for name in from_account or [] if name not in own]
    registry_types_listed = (SECRET_REGISTRY_TYPES, facts.namespace) in inventory.listed_names
    for name, source in checked:
        found = lookup(inventory, "Secret", facts.namespace, name)
        text, ok = _secret_state(found, registry_types_listed)
        add_evidence(finding, source, text)
        if ok:
            usable.append(found)
        elif found.exists is False and found.similar and renamed is None and name in own:
            renamed = (name, found.similar[0])
    if not checked:
        if from_account is None:
            add_evidence(
                finding, "spec.imagePullSecrets", f"none; ServiceAccount {account} was not read, so its imagePullSecrets are unknown"
            )
        else:
            add_evidence(finding, "spec.imagePullSecrets", f"none, and ServiceAccount {account} has none: the pull is anonymous")
    steps: list[Step] = []
    if renamed is not None:
        wrong, right = renamed
        ops = []
        for i, item in enumerate(as_list(dig(facts.raw, "spec", "imagePullSecrets"))):
            if as_str(as_dict(item).get("name")) == wrong:
                path = f"/imagePullSecrets/{i}/name"
                ops += [{"op": "test", "path": path, "value": wrong}, {"op": "replace", "path": path, "value": right}]
        steps.append(Step(f"Reference the existing secret {right} instead of {wrong}.", target_of(facts).json_patch_pod_spec(ops)))
    if usable:
        steps.append(_check_hosts_step(facts.namespace, usable[0], ref))
    elif renamed is None:
        steps += credential_steps(facts, ref, from_account or [])
    generic = ("--docker-server=REGISTRY", "patch serviceaccount default")
    lead_with(finding, steps, replacing=lambda s: s.command is not None and any(g in s.command for g in generic))


def _check_hosts_step(namespace: str, found: Lookup, ref: ImageRef) -> Step:
    """Print the registry hosts a pull secret holds credentials for (hosts only, no credentials)."""
    legacy = as_str((found.obj or {}).get("type")) == "kubernetes.io/dockercfg"
    key, hosts = (".dockercfg", "keys[]") if legacy else (".dockerconfigjson", ".auths | keys[]")
    named = operands(found.name)
    return Step(
        f"Check that {found.name} holds credentials for {ref.registry} (the host must match) and that they are still valid; this prints only the hosts.",
        named and f"kubectl -n {quote(namespace)} get secret -o jsonpath='{{.data.\\{key}}}' {named} | base64 -d | jq -r '{hosts}'",
    )


# ---- platform -----------------------------------------------------------------------------------
def _platform(node: dict) -> str:
    info = as_dict(dig(node, "status", "nodeInfo"))
    os_name, arch = as_str(info.get("operatingSystem")), as_str(info.get("architecture"))
    return f"{os_name}/{arch}" if os_name and arch else ""


def explain_platform(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    if facts.node is None:
        return
    here = _platform(facts.node)
    if not here:
        return
    wanted = finding.captures.get("platform")
    text = f"node {facts.node_name} is {here}"
    text += f"; the image has no {wanted} variant" if wanted else "; the image has no variant for it"
    add_evidence(finding, f"node {facts.node_name} status.nodeInfo", text)
    counts = Counter({p: n for p, n in node_shapes(inventory).platforms().items() if p != here})
    if not counts:
        return
    listed = ", ".join(f"{p} ({count(n, 'node')})" for p, n in counts.most_common())
    add_evidence(finding, "nodes' status.nodeInfo", f"other platforms in the cluster: {listed}")
    best = counts.most_common(1)[0][0]
    os_name, arch = best.split("/", 1)
    selector = {"kubernetes.io/arch": arch}
    if not here.startswith(f"{os_name}/"):
        selector["kubernetes.io/os"] = os_name
    command = target_of(facts).patch_pod_spec({"nodeSelector": selector})
    shown = ", ".join(f"{k}={v}" for k, v in selector.items())
    lead_with(
        finding,
        [Step(f"If the image is built for {best}, pin the pod to those nodes ({shown}); otherwise build a multi-arch image.", command)],
        replacing=command_has('"kubernetes.io/arch":"amd64"'),
    )


# ---- rate limits --------------------------------------------------------------------------------
#: The kind of message a registry's rate limit produces (as the playbook's rate-limited cause matches it).
_RATE_LIMITED = re.compile(r"(?i)toomanyrequests|429 Too Many Requests|pull rate limit")


def _rate_limited_pulls(inventory: Inventory) -> dict[str, dict[tuple[str, str], int]]:
    """registry → pod → containers whose pulls fail now on that registry's rate limit (the waiting
    message or one of the pod's events says so). One pass, shared until the inventory changes."""
    index: dict[str, dict[tuple[str, str], int]] = {}
    for key, pod in inventory.pods.items():
        failing = [
            s
            for s in dicts(dig(pod, "status", "containerStatuses")) + dicts(dig(pod, "status", "initContainerStatuses"))
            if as_str(dig(s, "state", "waiting", "reason")) in _PULL_FAILURES
        ]
        if not failing:
            continue
        limited = any(_RATE_LIMITED.search(as_str(dig(s, "state", "waiting", "message"))) for s in failing) or any(
            _RATE_LIMITED.search(as_str(e.get("message"))) for e in inventory.events_for_pod(pod)
        )
        if not limited:
            continue
        for status in failing:
            try:
                registry = parse_image(as_str(status.get("image"))).registry
            except ImageRefError:
                continue
            per_pod = index.setdefault(registry, {})
            per_pod[key] = per_pod.get(key, 0) + 1
    return index


def _others_failing(inventory: Inventory, facts: PodFacts, registry: str) -> tuple[int, int]:
    """(containers, pods) elsewhere whose pulls from `registry` fail on its rate limit too."""
    others = {
        k: n
        for k, n in inventory.derived("analyzers.rate_limited", _rate_limited_pulls).get(registry, {}).items()
        if k != (facts.namespace, facts.name)
    }
    return sum(others.values()), len(others)


def explain_rate_limit(finding: Finding, facts: PodFacts, inventory: Inventory, container: ContainerFact, ref: ImageRef) -> None:
    containers, pods = _others_failing(inventory, facts, ref.registry)
    if containers:
        add_evidence(
            finding,
            "other pods' containerStatuses",
            f"{containers} more container(s) in {pods} other pod(s) also hit the rate limit pulling from {ref.registry}: every node behind the same address shares the limit",
        )
    own, from_account = pull_secret_names(facts, inventory)
    secrets = own + [n for n in from_account or [] if n not in own]
    if secrets:
        add_evidence(
            finding,
            "spec.imagePullSecrets",
            f"pull secrets are set ({', '.join(secrets)}); if they hold {ref.registry} credentials, that account's own limit was reached",
        )
    elif from_account is not None:
        add_evidence(
            finding,
            "spec.imagePullSecrets",
            f"none, and ServiceAccount {service_account_name(facts)} has none: the pull is anonymous, with the lowest limit",
        )
    steps = [] if secrets else credential_steps(facts, ref, [])
    if ref.registry == DEFAULT_REGISTRY:
        steps.append(
            Step(
                "Or pull Docker Hub images through a mirror: on each node, point containerd at one (needs containerd's config_path set to /etc/containerd/certs.d).",
                "sudo mkdir -p /etc/containerd/certs.d/docker.io && printf '[host.\"https://mirror.gcr.io\"]\\n  capabilities = [\"pull\", \"resolve\"]\\n' | sudo tee /etc/containerd/certs.d/docker.io/hosts.toml",
            )
        )
    else:
        steps.append(
            Step(f"Or put a pull-through cache (for example a Harbor proxy project) in front of {ref.registry} and pull through it.")
        )
    policy = as_str(container.spec.get("imagePullPolicy"))
    if policy == "Always" or (not policy and ref.effective_tag == "latest"):
        add_evidence(
            finding,
            f"{container.spec_path}.imagePullPolicy",
            f"{policy or 'Always (the default for :latest)'}: every container start pulls again",
        )
        patch = {spec_list(container.kind): [{"name": container.name, "imagePullPolicy": "IfNotPresent"}]}
        command = target_of(facts).patch_pod_spec(patch)
        steps.append(
            Step("Pin a version tag and use imagePullPolicy IfNotPresent, so restarts reuse the node's copy instead of pulling.", command)
        )
    generic = ("--docker-server=https://index.docker.io/v1/", "patch serviceaccount default")
    lead_with(finding, steps, replacing=lambda s: s.command is not None and any(g in s.command for g in generic))
