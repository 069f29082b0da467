"""Read the missing permission out of an API server's 403 message.

The API server says exactly what was refused, e.g. `pods is forbidden: User "alice" cannot list resource
"pods" in API group "" in the namespace "shop"`; this turns it into the `kubectl auth can-i` check and
the verbs a watch needs.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

_REFUSED = re.compile(
    r'cannot (?P<verb>[\w-]+) resource "(?P<resource>[^"]+)"'
    r'(?: in API group "(?P<group>[^"]*)")?'
    r'(?: in the namespace "(?P<namespace>[^"]+)"| (?P<cluster>at the cluster scope))?'
)


@dataclass(frozen=True)
class MissingPermission:
    verb: str
    resource: str  # with its group when not core: "deployments.apps"
    namespace: str | None  # None: cluster scope

    @property
    def can_i(self) -> str:
        scope = f" -n {shlex.quote(self.namespace)}" if self.namespace else " --all-namespaces"
        return f"kubectl auth can-i {shlex.quote(self.verb)} {shlex.quote(self.resource)}{scope}"  # read from a message

    @property
    def needed(self) -> str:
        where = f'in namespace "{self.namespace}"' if self.namespace else "across all namespaces (cluster scope)"
        verbs = "list and watch" if self.verb in ("list", "watch") else self.verb
        return f"{verbs} on {self.resource} {where}"


def missing_permission(message: str) -> MissingPermission | None:
    m = _REFUSED.search(message)
    if m is None:
        return None
    resource = m["resource"] if not m["group"] else f'{m["resource"]}.{m["group"]}'
    return MissingPermission(m["verb"], resource, m["namespace"])
