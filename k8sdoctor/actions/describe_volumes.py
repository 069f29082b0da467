"""The Volumes section of `kubectl describe pod` (kubectl pkg/describe describeVolumes, reimplemented for
the volume types pods use today; the in-tree cloud and legacy plugins print their type line only)."""

from __future__ import annotations

from k8sdoctor.actions.describe_doc import DescribeWriter, value
from k8sdoctor.actions.describe_format import d, lst, num

#: kubectl's one-line description of each volume type.
TYPE_LINES = {
    "hostPath": "HostPath (bare host directory volume)",
    "emptyDir": "EmptyDir (a temporary directory that shares a pod's lifetime)",
    "secret": "Secret (a volume populated by a Secret)",
    "configMap": "ConfigMap (a volume populated by a ConfigMap)",
    "persistentVolumeClaim": "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
    "ephemeral": "EphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)",
    "projected": "Projected (a volume that contains injected data from multiple sources)",
    "downwardAPI": "DownwardAPI (a volume populated by information about the pod)",
    "nfs": "NFS (an NFS mount that lasts the lifetime of a pod)",
    "csi": "CSI (a Container Storage Interface (CSI) volume source)",
    "image": "Image (a container image or OCI artifact)",
    "gcePersistentDisk": "GCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)",
    "awsElasticBlockStore": "AWSElasticBlockStore (a Persistent Disk resource in AWS)",
    "gitRepo": "GitRepo (a volume that is pulled from git when the pod is created)",
    "iscsi": "ISCSI (an ISCSI Disk resource that is attached to a kubelet's host machine and then exposed to the pod)",
    "glusterfs": "Glusterfs (a Glusterfs mount on the host that shares a pod's lifetime)",
    "rbd": "RBD (a Rados Block Device mount on the host that shares a pod's lifetime)",
    "azureDisk": "AzureDisk (an Azure Data Disk mount on the host and bind mount to the pod)",
    "azureFile": "AzureFile (an Azure File Service mount on the host and bind mount to the pod)",
    "cephfs": "CephFS (a CephFS mount on the host that shares a pod's lifetime)",
    "fc": "FC (a Fibre Channel disk)",
    "flexVolume": "FlexVolume (a generic volume resource that is provisioned/attached using an exec based plugin)",
    "cinder": "Cinder (a Persistent Disk resource in OpenStack)",
}


def write_volumes(w: DescribeWriter, volumes: object) -> None:
    w.section("Volumes")
    vols = [d(v) for v in lst(volumes)]
    if not vols:
        w.line(0, "Volumes:\t<none>", paths=("spec.volumes",))
        return
    w.line(0, "Volumes:", paths=("spec.volumes",))
    for vol in vols:
        path = f"spec.volumes[{vol.get('name', '')}]"
        w.line(1, f"{value(vol.get('name', ''))}:", paths=(path,))
        kind = next((k for k in TYPE_LINES if isinstance(vol.get(k), dict)), None)
        if kind is None:
            w.line(1, "<unknown>", paths=(path,))
            continue
        w.line(2, f"Type:\t{TYPE_LINES[kind]}", paths=(f"{path}.{kind}",))
        for text in _details(kind, vol[kind]):
            w.line(2, text, paths=(f"{path}.{kind}",))


def _optional(source: dict) -> str:
    return "true" if source.get("optional") is True else "false"


def _flag(source: dict, key: str) -> str:
    return "true" if source.get(key) is True else "false"


def _pointer_bool(source: dict) -> str:
    """kubectl 1.32 prints a projected source's *bool pointer: `<nil>` when unset (an address when set,
    shown here as the value)."""
    flag = source.get("optional")
    return "<nil>" if not isinstance(flag, bool) else ("true" if flag else "false")


def _details(kind: str, s: dict) -> list[str]:
    """The lines under a volume's Type line, as kubectl writes them at that level (tabs between cells)."""
    if kind == "hostPath":
        return [f"Path:\t{value(s.get('path', ''))}", f"HostPathType:\t{value(s.get('type') or '<none>')}"]
    if kind == "emptyDir":
        limit = s.get("sizeLimit")
        return [f"Medium:\t{value(s.get('medium', ''))}", f"SizeLimit:\t{value(limit) if limit not in (None, '0', 0) else '<unset>'}"]
    if kind == "secret":
        return [f"SecretName:\t{value(s.get('secretName', ''))}", f"Optional:\t{_optional(s)}"]
    if kind == "configMap":
        return [f"Name:\t{value(s.get('name', ''))}", f"Optional:\t{_optional(s)}"]
    if kind == "persistentVolumeClaim":
        return [f"ClaimName:\t{value(s.get('claimName', ''))}", f"ReadOnly:\t{_flag(s, 'readOnly')}"]
    if kind == "projected":
        return _projected(s)
    if kind == "downwardAPI":
        out = ["Items:"]
        for item in map(d, lst(s.get("items"))):
            for ref_key, field in (("fieldRef", "fieldPath"), ("resourceFieldRef", "resource")):
                if item.get(ref_key):
                    out.append(f"  {value(d(item[ref_key]).get(field, ''))} -> {value(item.get('path', ''))}")
        return out
    if kind == "nfs":
        return [f"Server:\t{value(s.get('server', ''))}", f"Path:\t{value(s.get('path', ''))}", f"ReadOnly:\t{_flag(s, 'readOnly')}"]
    if kind == "csi":
        out = [f"Driver:\t{value(s.get('driver', ''))}", f"FSType:\t{value(s.get('fsType', ''))}", f"ReadOnly:\t{_flag(s, 'readOnly')}"]
        attrs = sorted(d(s.get("volumeAttributes")).items())
        if not attrs:
            return [*out, "VolumeAttributes:\t<none>"]
        # kubectl's quirk: every Write call adds the level's indent again
        return out + [f"{'VolumeAttributes:' if i == 0 else '    '}\t    {value(k)}={value(v)}" for i, (k, v) in enumerate(attrs)]
    if kind == "image":
        return [f"Reference:\t{value(s.get('reference', ''))}", f"PullPolicy:\t{value(s.get('pullPolicy', ''))}"]
    return []


def _projected(s: dict) -> list[str]:
    out: list[str] = []
    for source in map(d, lst(s.get("sources"))):
        if source.get("secret"):
            ref = d(source["secret"])
            out += [f"SecretName:\t{value(ref.get('name', ''))}", f"SecretOptionalName:\t{_pointer_bool(ref)}"]
        elif source.get("downwardAPI"):
            out.append("DownwardAPI:\ttrue")
        elif source.get("configMap"):
            ref = d(source["configMap"])
            out += [f"ConfigMapName:\t{value(ref.get('name', ''))}", f"ConfigMapOptional:\t{_pointer_bool(ref)}"]
        elif source.get("serviceAccountToken"):
            out.append(f"TokenExpirationSeconds:\t{num(d(source['serviceAccountToken']).get('expirationSeconds'))}")
    return out
