"""Legacy (unaggregated) discovery documents: /api, /api/v1, /apis, /apis/G, /apis/G/V, /version.

kubectl ≥1.30 first asks for aggregated discovery (APIGroupDiscoveryList); answering with these plain
`application/json` documents makes client-go fall back to fetching each group version, as against an
older server.
"""

from __future__ import annotations

from k8sdoctor.fakeapi.resources import GROUPS, ResourceType, group_versions

VERSION_INFO = {
    "major": "1",
    "minor": "32",
    "gitVersion": "v1.32.0",
    "gitTreeState": "clean",
    "goVersion": "go1.23.3",
    "compiler": "gc",
    "platform": "linux/amd64",
}


def api_versions(server_address: str) -> dict:
    return {
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}],
    }


def _group(name: str) -> dict:
    """A group with the versions it serves (autoscaling serves v2 only), newest preferred."""
    served = sorted({r.version for r in group_versions(name)}, reverse=True) or ["v1"]
    versions = [{"groupVersion": f"{name}/{v}", "version": v} for v in served]
    return {"name": name, "versions": versions, "preferredVersion": versions[0]}


def api_group_list() -> dict:
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": [_group(g) for g in GROUPS]}


def api_group(name: str) -> dict | None:
    if name not in GROUPS:
        return None
    return {"kind": "APIGroup", "apiVersion": "v1", **_group(name)}


def _resource(rtype: ResourceType) -> dict:
    entry = {
        "name": rtype.plural,
        "singularName": rtype.singular_name,
        "namespaced": rtype.namespaced,
        "kind": rtype.kind,
        "verbs": list(rtype.verbs),
    }
    if rtype.short_names:
        entry["shortNames"] = list(rtype.short_names)
    if rtype.categories:
        entry["categories"] = list(rtype.categories)
    return entry


def api_resource_list(group: str, version: str) -> dict | None:
    rtypes = [r for r in group_versions(group) if r.version == version]
    if not rtypes:
        return None
    resources = []
    for rtype in rtypes:
        resources.append(_resource(rtype))
        for sub in rtype.subresources:
            entry = {
                "name": f"{rtype.plural}/{sub.name}",
                "singularName": "",
                "namespaced": rtype.namespaced,
                "kind": sub.kind,
                "verbs": list(sub.verbs),
            }
            if sub.group:
                entry.update(group=sub.group, version=sub.version)
            resources.append(entry)
    body = {"kind": "APIResourceList", "groupVersion": rtypes[0].api_version, "resources": resources}
    if group:
        body["apiVersion"] = "v1"
    return body
