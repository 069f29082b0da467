"""An ephemeral debug container, built and sent exactly as `kubectl debug -it POD --image=IMG --target=C`.

The request is k8sdoctor's only write: `PATCH /api/v1/namespaces/NS/pods/NAME/ephemeralcontainers` with
a strategic merge patch whose body is Pod-shaped (`{"spec": {"ephemeralContainers": [...]}}`). Before it,
a SelfSubjectAccessReview per permission says whether the user may do it at all; the caller shows the
plan and asks. After it, a watch on the pod waits until the container runs.
"""

from __future__ import annotations

import json
import random
import re
import shlex
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import orjson

from k8sdoctor.actions.containers import NEVER_STARTED, containers, failing_container, find
from k8sdoctor.actions.profiles import ProfileChoice, choose_profile, security_context
from k8sdoctor.cluster.live.client import STRATEGIC_MERGE_PATCH, Forbidden, KubeClient, path_segment
from k8sdoctor.cluster.live.fetch import ns_path
from k8sdoctor.cluster.live.informer import iter_watch_lines
from k8sdoctor.core.findings import Diagnosis
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.errors import ClusterError, NotFoundError, UserError

DEFAULT_IMAGE = "busybox:1.36"
#: The alphabet of apimachinery's utilrand.String, which kubectl uses for "debugger-xxxxx" names.
NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
SSAR_PATH = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"
WAIT_SECONDS = 120
#: Statuses of a container that will not start without a change (so waiting longer is pointless).
_STUCK = NEVER_STARTED - {"ContainerCreating", "PodInitializing"}
#: A shell the runtime could not find, in the wordings of runc and Docker.
_NO_SHELL = re.compile(
    r'exec: \\?"(?:/usr)?(?:/bin/)?(?:sh|bash|ash)\\?": (?:executable file not found|stat \S+: no such file or directory)'
)
#: Image families that ship no shell.
_DISTROLESS = (
    "gcr.io/distroless/",
    "cgr.dev/chainguard/",
    "mcr.microsoft.com/cbl-mariner/distroless/",
    "mcr.microsoft.com/azurelinux/distroless/",
    "registry.access.redhat.com/ubi9-micro",
    "docker.io/chainguard/",
)


class EphemeralUnsupported(UserError):
    """The cluster cannot add ephemeral containers (too old, or the feature is off)."""


@dataclass(frozen=True, slots=True)
class Permission:
    verb: str
    resource: str
    subresource: str
    why: str

    def __str__(self) -> str:
        return f"{self.verb} {self.resource}/{self.subresource}"


PERMISSIONS = (
    Permission("patch", "pods", "ephemeralcontainers", "to add the debug container"),
    Permission("create", "pods", "attach", "to attach your terminal to it"),
)


@dataclass
class DebugPlan:
    """What will be sent, and the equivalent kubectl commands."""

    namespace: str
    pod: str
    container: str  # the debug container's name
    image: str
    target: str | None
    choice: ProfileChoice
    body: dict = field(default_factory=dict)

    method = "PATCH"
    content_type = STRATEGIC_MERGE_PATCH

    @property
    def path(self) -> str:
        return f"{ns_path(self.namespace, 'pods')}/{path_segment(self.pod)}/ephemeralcontainers"

    def request_text(self) -> str:
        """The request as it will be sent: method, path, content type and the JSON body (pretty-printed)."""
        return f"{self.method} {self.path}\nContent-Type: {self.content_type}\n\n{json.dumps(self.body, indent=2, sort_keys=True)}"

    def kubectl_debug(self) -> str:
        """The same request through kubectl (the image may come from the pod's spec: quoted for the shell)."""
        target = f" --target={shlex.quote(self.target)}" if self.target else ""
        image = shlex.quote(self.image)
        namespace, pod = shlex.quote(self.namespace), shlex.quote(self.pod)
        return f"kubectl debug -it -n {namespace} {pod} --image={image}{target} --profile={self.choice.profile}"

    def kubectl_attach(self) -> str:
        from k8sdoctor.actions.attach import attach_command

        return attach_command(self.namespace, self.pod, self.container)


def debugger_name(pod: dict, rng: random.Random | None = None) -> str:
    """`debugger-xxxxx`, not yet used by any container of the pod."""
    rng = rng or random.SystemRandom()
    taken = {c.name for c in containers(pod)}
    while True:
        name = "debugger-" + "".join(rng.choice(NAME_ALPHABET) for _ in range(5))
        if name not in taken:
            return name


def default_target(pod: dict, diagnosis: Diagnosis | None = None) -> str | None:
    """The app container to share processes with: the failing one, else the first."""
    app = [c.name for c in containers(pod) if c.kind == "app"]
    failing = failing_container(pod, diagnosis)
    if failing in app:
        return failing
    return app[0] if app else None


def image_choices(pod: dict) -> list[str]:
    """The images a debug container can be started from without typing: the default (busybox), then each
    image the pod's own containers run (its tools and libraries, distroless images aside), once each."""
    images = [DEFAULT_IMAGE]
    for ref in containers(pod):
        image = ref.spec.get("image")
        if isinstance(image, str) and image.strip() and image not in images and len(image) <= 512:
            images.append(image)
    return images


def target_choices(pod: dict) -> list[str]:
    """The containers a debug container can share processes with: app and init containers (native
    sidecars included); the API server refuses an ephemeral one."""
    refs = containers(pod)
    return [ref.name for ref in refs if ref.kind == "app"] + [ref.name for ref in refs if ref.kind == "init"]


def plan_debug(
    pod: dict,
    choice: ProfileChoice,
    *,
    image: str | None = None,
    target: str | None = None,
    diagnosis: Diagnosis | None = None,
    rng: random.Random | None = None,
) -> DebugPlan:
    """The ephemeral container kubectl debug would add, under the chosen profile."""
    meta = pod.get("metadata") or {}
    if target is not None:
        # kubectl sends any container; the API server accepts app and init containers (native sidecars
        # included) and refuses another ephemeral container as a target
        if find(pod, target).kind == "ephemeral":
            raise UserError(f"--target {target}: that is an ephemeral container; target an app or init container")
    else:
        target = default_target(pod, diagnosis)
    name = debugger_name(pod, rng)
    container: dict = {
        "name": name,
        "image": image or DEFAULT_IMAGE,
        "resources": {},
        "stdin": True,
        "terminationMessagePolicy": "File",
        "tty": True,
    }
    if target:
        container["targetContainerName"] = target
    context = security_context(choice.profile)
    if context is not None:
        container["securityContext"] = context
    return DebugPlan(
        meta.get("namespace", ""),
        meta.get("name", ""),
        name,
        container["image"],
        target,
        choice,
        {"spec": {"ephemeralContainers": [container]}},
    )


# ---- before sending -------------------------------------------------------------------------------
def missing_permissions(
    client: KubeClient, namespace: str, pod: str, permissions: tuple[Permission, ...] = PERMISSIONS
) -> list[Permission]:
    """The permissions (debug's by default) that the user lacks, asked with one SelfSubjectAccessReview
    each. A review that cannot be made counts as allowed: the API server still checks the real request."""
    missing = []
    for perm in permissions:
        body = {
            "apiVersion": "authorization.k8s.io/v1",
            "kind": "SelfSubjectAccessReview",
            "spec": {
                "resourceAttributes": {
                    "namespace": namespace,
                    "verb": perm.verb,
                    "resource": perm.resource,
                    "subresource": perm.subresource,
                    "name": pod,
                }
            },
        }
        try:
            review = client.send("POST", SSAR_PATH, body)
        except (ClusterError, NotFoundError):
            continue
        if not (review.get("status") or {}).get("allowed"):
            missing.append(perm)
    return missing


def permission_error(plan: DebugPlan, missing: list[Permission]) -> UserError:
    perms = "; ".join(f"{p} in namespace {plan.namespace} ({p.why})" for p in missing)
    return UserError(
        f"cannot debug pod {plan.pod}: you lack {perms}",
        hint=f"ask for that permission, or run it where you have it: {plan.kubectl_debug()}",
    )


def distroless_hint(pod: dict, container: str | None, inventory: Inventory | None = None) -> str | None:
    """Say so when the target has no shell (a known distroless base, or the runtime could not find one):
    then `kubectl exec` cannot get in, and a debug container is the way in."""
    if not container:
        return None
    ref = next((c for c in containers(pod) if c.name == container), None)
    if ref is None:
        return None
    image = str(ref.spec.get("image") or "")
    texts = [json.dumps(ref.status.get("state")), json.dumps(ref.status.get("lastState"))]
    if inventory is not None:
        texts += [str(e.get("message") or "") for e in inventory.events_for_pod(pod)]
    shown = image.split("@")[0]
    if any(image.startswith(base) or image.startswith("docker.io/" + base) for base in _DISTROLESS) or "distroless" in image:
        why = f"{shown} is a distroless image: it has no shell"
    elif any(_NO_SHELL.search(t) for t in texts):
        why = f"the runtime found no shell in {shown}"
    else:
        return None
    return f"{why}, so kubectl exec cannot get into {container}; the debug container brings its own tools and shares its processes"


@dataclass
class Prepared:
    """A plan ready to show: the request, the permissions missing for it, the distroless hint."""

    plan: DebugPlan
    missing: list[Permission]
    hint: str | None


def prepare(
    client: KubeClient,
    inventory: Inventory,
    namespace: str,
    name: str,
    *,
    diagnosis: Diagnosis | None = None,
    image: str | None = None,
    target: str | None = None,
    profile: str | None = None,
    rng: random.Random | None = None,
) -> Prepared:
    """Read the namespace's Pod Security level, plan the container, check permissions. Sends nothing."""
    pod = inventory.pods.get((namespace, name))
    if pod is None:
        raise NotFoundError(f'pod "{name}" not found in namespace "{namespace}"')
    try:
        ns_obj, unreadable = client.get(f"/api/v1/namespaces/{path_segment(namespace)}"), None
    except (Forbidden, NotFoundError) as exc:
        ns_obj, unreadable = None, str(exc)
    plan = plan_debug(pod, choose_profile(namespace, ns_obj, profile, unreadable), image=image, target=target, diagnosis=diagnosis, rng=rng)
    return Prepared(plan, missing_permissions(client, namespace, name), distroless_hint(pod, plan.target, inventory))


# ---- sending --------------------------------------------------------------------------------------
def create(client: KubeClient, plan: DebugPlan) -> dict:
    """Send the PATCH; return the pod as the API server answered. One-line errors for the known failures."""
    try:
        return client.send(plan.method, plan.path, plan.body, content_type=plan.content_type)
    except NotFoundError as exc:
        if f'"{plan.pod}" not found' in str(exc):
            raise NotFoundError(f'pod "{plan.pod}" not found in namespace "{plan.namespace}" (it is gone)') from None
        raise EphemeralUnsupported(
            f"this cluster does not serve pods/ephemeralcontainers ({exc}): it is older than "
            "Kubernetes 1.23 or has ephemeral containers disabled",
            hint=f"debug with a copy of the pod instead: kubectl debug -it -n {plan.namespace} "
            f"{plan.pod} --image={plan.image} --copy-to={plan.pod}-debug",
        ) from None
    except Forbidden as exc:
        raise Forbidden(f"the API server refused the debug container: {exc}") from None
    except ClusterError as exc:
        text = str(exc)
        if "error 422" in text or "error 415" in text or "disabled" in text:
            raise EphemeralUnsupported(
                f"the cluster rejected the debug container: {text.split(': ', 1)[-1]}", hint=f"try it with kubectl: {plan.kubectl_debug()}"
            ) from None
        raise


def _debug_status(pod: dict, name: str) -> dict:
    return next((s for s in (pod.get("status") or {}).get("ephemeralContainerStatuses") or [] if s.get("name") == name), {})


def _verdict(pod: dict, plan: DebugPlan) -> bool:
    """True once the debug container runs; raise if it never will."""
    state = _debug_status(pod, plan.container).get("state") or {}
    if state.get("running") is not None:
        return True
    term, waiting = state.get("terminated"), state.get("waiting") or {}
    if term is not None:
        raise UserError(
            f"the debug container {plan.container} exited ({term.get('reason') or 'exit code ' + str(term.get('exitCode'))}"
            f"{': ' + term['message'] if term.get('message') else ''})"
        )
    if waiting.get("reason") in _STUCK:
        detail = f": {waiting['message']}" if waiting.get("message") else ""
        raise UserError(
            f"the debug container {plan.container} cannot start: {waiting['reason']}{detail}",
            hint="pick another image with --image" if "Image" in waiting["reason"] else None,
        )
    return False


def _lines_until_broken(resp) -> Iterator[bytes]:
    """The watch's lines; a dropped connection just ends them (the caller watches again)."""
    try:
        yield from iter_watch_lines(resp)
    except Exception:
        return


def wait_running(client: KubeClient, plan: DebugPlan, pod: dict | None = None, timeout: float = WAIT_SECONDS) -> None:
    """Watch the pod (fieldSelector metadata.name) until the debug container runs."""
    if pod is not None and _verdict(pod, plan):
        return
    deadline = time.monotonic() + timeout
    version = ((pod or {}).get("metadata") or {}).get("resourceVersion")
    while (left := deadline - time.monotonic()) > 0:
        resp = client.stream(
            ns_path(plan.namespace, "pods"),
            watch=True,
            resourceVersion=version,
            fieldSelector=f"metadata.name={plan.pod}",
            timeoutSeconds=max(1, int(left)),
        )
        try:
            for line in _lines_until_broken(resp):
                try:
                    event = orjson.loads(line)
                except orjson.JSONDecodeError:
                    continue
                obj = event.get("object") or {}
                if event.get("type") == "DELETED":
                    raise NotFoundError(f'pod "{plan.pod}" was deleted while the debug container started')
                if event.get("type") == "ERROR":
                    version = None  # too old: start over from the current state
                    break
                version = (obj.get("metadata") or {}).get("resourceVersion") or version
                if event.get("type") in ("ADDED", "MODIFIED") and _verdict(obj, plan):
                    return
        finally:
            resp.release_conn()
    raise UserError(
        f"the debug container {plan.container} did not start within {timeout:.0f}s", hint=f"attach when it runs: {plan.kubectl_attach()}"
    )
