"""Bearer-token users and RBAC-style rules, with kube-apiserver's 403 wording.

A `Rule` is one PolicyRule as a Role/ClusterRole binding would grant it: `namespaces=None` means bound
cluster-wide (ClusterRoleBinding), otherwise only inside those namespaces (RoleBindings). Resources may
name subresources (`pods/log`), and `*` works for verbs, groups and resources as in RBAC.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    verbs: tuple[str, ...]
    resources: tuple[str, ...]
    api_groups: tuple[str, ...] = ("",)
    namespaces: tuple[str, ...] | None = None
    resource_names: tuple[str, ...] | None = None

    def allows(self, attrs: Attributes) -> bool:
        if not attrs.resource_request:
            return False
        if "*" not in self.verbs and attrs.verb not in self.verbs:
            return False
        if "*" not in self.api_groups and attrs.api_group not in self.api_groups:
            return False
        if not _resource_matches(self.resources, attrs.resource, attrs.subresource):
            return False
        if self.resource_names is not None and attrs.name not in self.resource_names:
            return False
        return self.namespaces is None or (bool(attrs.namespace) and attrs.namespace in self.namespaces)


def _resource_matches(patterns: tuple[str, ...], resource: str, subresource: str) -> bool:
    combined = f"{resource}/{subresource}" if subresource else resource
    for pattern in patterns:
        if pattern in ("*", combined):
            return True
        if subresource and pattern in (f"*/{subresource}", f"{resource}/*"):
            return True
    return False


ADMIN_RULES = (Rule(verbs=("*",), resources=("*",), api_groups=("*",)),)
#: What every authenticated user may do (the system:basic-user ClusterRole).
BASIC_USER_RULES = (
    Rule(verbs=("create",), resources=("selfsubjectaccessreviews", "selfsubjectrulesreviews"), api_groups=("authorization.k8s.io",)),
)


@dataclass(frozen=True, slots=True)
class User:
    name: str
    rules: tuple[Rule, ...] = ()


@dataclass(frozen=True, slots=True)
class Attributes:
    """What authorization looks at: kube-apiserver's authorizer.Attributes."""

    user: str
    verb: str
    path: str
    resource_request: bool = False
    api_group: str = ""
    resource: str = ""
    subresource: str = ""
    namespace: str = ""
    name: str = ""


def authorize(user: User, attrs: Attributes) -> bool:
    """Non-resource paths (discovery, /version) and self reviews are open to every authenticated user."""
    if not attrs.resource_request:
        return True
    return any(rule.allows(attrs) for rule in user.rules + BASIC_USER_RULES)


def forbidden_reason(attrs: Attributes) -> str:
    """The text after `... is forbidden: ` in a 403 Status."""
    if not attrs.resource_request:
        return f'User "{attrs.user}" cannot {attrs.verb} path "{attrs.path}"'
    resource = f"{attrs.resource}/{attrs.subresource}" if attrs.subresource else attrs.resource
    where = f'in the namespace "{attrs.namespace}"' if attrs.namespace else "at the cluster scope"
    return f'User "{attrs.user}" cannot {attrs.verb} resource "{resource}" in API group "{attrs.api_group}" {where}'


def access_review(user: User, spec: dict) -> dict:
    """The `status` of a SelfSubjectAccessReview for `spec`."""
    res = spec.get("resourceAttributes")
    if res is not None:
        attrs = Attributes(
            user=user.name,
            verb=res.get("verb", ""),
            path="",
            resource_request=True,
            api_group=res.get("group", ""),
            resource=res.get("resource", ""),
            subresource=res.get("subresource", ""),
            namespace=res.get("namespace", ""),
            name=res.get("name", ""),
        )
    else:
        nonres = spec.get("nonResourceAttributes") or {}
        attrs = Attributes(user=user.name, verb=nonres.get("verb", ""), path=nonres.get("path", ""))
    return {"allowed": authorize(user, attrs)}
