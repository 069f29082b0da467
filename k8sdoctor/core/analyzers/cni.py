"""Which CNI a cluster runs, and its agent pods on a node: from the plugin a sandbox error names
(`plugin type="calico"`), from words only one CNI prints (`/run/flannel/subnet.env`,
`ClusterInformation`), and from the agent DaemonSet pods the inventory indexes by node."""

from __future__ import annotations

import re

from k8sdoctor.core.inventory import ALL_NAMESPACES, Inventory
from k8sdoctor.core.kube.podstatus import pod_display_status, ready_count
from k8sdoctor.core.kube.raw import as_str, dig, name_of

#: CNI → the name its node agent's pods start with (each a DaemonSet's pods).
AGENTS: dict[str, tuple[str, ...]] = {
    "calico": ("calico-node",),
    "cilium": ("cilium-",),
    "flannel": ("kube-flannel", "flannel"),
    "canal": ("canal",),
    "weave": ("weave-net",),
    "aws-cni": ("aws-node",),
    "kube-router": ("kube-router",),
    "antrea": ("antrea-agent",),
    "ovn-kubernetes": ("ovnkube-node",),
    "kindnet": ("kindnet",),
    "azure-cni": ("azure-cns", "azure-cni"),
    "multus": ("kube-multus", "multus"),
    "kube-ovn": ("kube-ovn-cni",),
}
#: Agent pods to leave out although their name starts like one (operators, not node agents).
_NOT_AGENTS = ("cilium-operator", "calico-kube-controllers", "calico-typha")
#: Words of a sandbox error that only one CNI writes.
_SIGNS = (
    (re.compile(r'plugin type="(?P<cni>[\w.-]+)"'), ""),
    (re.compile(r"ClusterInformation|/var/lib/calico|calico/node"), "calico"),
    (re.compile(r"/run/flannel|flannel"), "flannel"),
    (re.compile(r"(?i)cilium"), "cilium"),
    (re.compile(r"(?i)ipamd|aws-node|amazon-vpc-cni"), "aws-cni"),
    (re.compile(r"(?i)weave"), "weave"),
)


def cni_in(message: str) -> str:
    """The CNI a sandbox or node message names, or ""."""
    for pattern, name in _SIGNS:
        found = pattern.search(message)
        if found:
            return name or found.group("cni")
    return ""


def agent_of(pod_name: str) -> str:
    """The CNI whose node agent this pod is, or ""."""
    if pod_name.startswith(_NOT_AGENTS):
        return ""
    return next((cni for cni, prefixes in AGENTS.items() if pod_name.startswith(prefixes)), "")


def agents_on(inventory: Inventory, node: str, cni: str = "") -> list[tuple[str, dict]]:
    """(CNI, pod) for the CNI agent pods on a node (of one CNI when given), from the node index."""
    found = []
    for pod in inventory.pods_on_node(node):
        which = agent_of(name_of(pod))
        if which and (not cni or which == cni or cni.startswith(which) or which.startswith(cni)):
            found.append((which, pod))
    return found


def describe_agent(pod: dict) -> str:
    """`kube-system/calico-node-x2x7q Running 0/1 ready`"""
    ready, total = ready_count(pod)
    return f"{as_str(dig(pod, 'metadata', 'namespace'))}/{name_of(pod)} {pod_display_status(pod)} {ready}/{total} ready"


def cluster_agents(inventory: Inventory) -> dict[str, int]:
    """How many agent pods each CNI runs in the cluster; built once per inventory state."""

    def build(inv: Inventory) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _ns, name in inv.pods:
            cni = agent_of(name)
            if cni:
                counts[cni] = counts.get(cni, 0) + 1
        return counts

    return inventory.derived("cni.agents", build)


def all_pods_read(inventory: Inventory) -> bool:
    return inventory.listed("Pod", ALL_NAMESPACES)
