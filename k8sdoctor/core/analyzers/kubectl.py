"""kubectl commands for remediation steps: which object to change (the workload a user manages, else
the pod) and patches of its pod template, shell-quoted so a command can be copied as it is.

Names in commands come from the cluster, often from free text (an event message). A value that
starts with `-` would be read as an option (`--server=https://evil.example` sends the bearer token
elsewhere), so such a value never goes into a command: the step is offered without one. Where kubectl
takes it, `--` ends the options before names (`operands`)."""

from __future__ import annotations

import json
import shlex
from typing import NamedTuple

from k8sdoctor.core.facts import PodFacts

#: Where the pod template's spec sits inside each workload kind whose template may be changed.
TEMPLATE_SPEC = {
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}


def quote(word: str) -> str:
    return shlex.quote(word)


def is_option_like(value: str) -> bool:
    """Whether a program would read `value` as an option rather than as a name."""
    return value.startswith("-")


def operands(*values: str) -> str | None:
    """ "-- NAME..." (each quoted) to end a command's options; None when a value would read as an option,
    and then no command is suggested at all."""
    if any(is_option_like(v) for v in values):
        return None
    return " ".join(["--", *(quote(v) for v in values)])


def to_json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class Target(NamedTuple):
    """The object a fix goes to: a workload with a pod template, or the pod itself."""

    kind: str
    name: str
    namespace: str

    @property
    def ref(self) -> str:
        return f"{self.kind.lower()}/{self.name}"

    @property
    def has_template(self) -> bool:
        return self.kind in TEMPLATE_SPEC

    def kubectl(self, *words: str) -> str:
        """ "kubectl -n NS word...", each word quoted for the shell when it needs it."""
        return " ".join(["kubectl", "-n", quote(self.namespace), *(quote(w) for w in words)])

    def patch_pod_spec(self, spec_patch: dict, *, allowed_on_pod: bool = False) -> str | None:
        """A strategic-merge patch of the pod spec (inside the template for a workload). For a bare pod
        only fields the API lets change in place qualify (`allowed_on_pod`); otherwise None."""
        if self.has_template:
            body: dict = spec_patch
            for key in reversed(TEMPLATE_SPEC[self.kind]):
                body = {key: body}
        elif self.kind == "Pod" and allowed_on_pod:
            body = {"spec": spec_patch}
        else:
            return None
        return self.kubectl("patch", self.ref, "-p", to_json(body))

    def json_patch_pod_spec(self, ops: list[dict]) -> str | None:
        """A JSON patch whose paths are relative to the pod spec ("/containers/0/env/2/..."); None for
        objects whose pod spec cannot change."""
        if not self.has_template:
            return None
        prefix = "/" + "/".join(TEMPLATE_SPEC[self.kind])
        absolute = [{**op, "path": prefix + op["path"]} for op in ops]
        return self.kubectl("patch", self.ref, "--type=json", "-p", to_json(absolute))

    def set_image(self, container: str, image: str) -> str | None:
        if not (self.has_template or self.kind == "Pod"):
            return None
        return self.kubectl("set", "image", self.ref, f"{container}={image}")

    def set_resources(self, container: str, *, limits: str = "", requests: str = "") -> str | None:
        """`kubectl set resources` with "--limits=memory=1Gi"-style values; None for a bare pod."""
        if not self.has_template:
            return None
        words = ["set", "resources", self.ref, "-c", container]
        if limits:
            words.append(f"--limits={limits}")
        if requests:
            words.append(f"--requests={requests}")
        return self.kubectl(*words)


def target_of(facts: PodFacts) -> Target:
    """The workload a user manages (Deployment over ReplicaSet, CronJob over Job), else the pod."""
    if facts.workload is not None:
        return Target(facts.workload.kind, facts.workload.name, facts.namespace)
    return Target("Pod", facts.name, facts.namespace)
