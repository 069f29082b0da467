"""The Volumes section of `kubectl describe pod` (kubectl 1.32 pkg/describe describeVolumes), every volume
type it knows, with the values printed as Go's %v prints them (`[a b]` for a list, `map[k:v]` for a map,
`&LocalObjectReference{Name:x,}` or `nil` for a Secret reference)."""

from __future__ import annotations

from collections.abc import Callable

from k8sdoctor.actions.describe_doc import DescribeWriter, value
from k8sdoctor.actions.describe_format import cut_bytes, d, go_bool, lst, num, write_annotations, write_map
from k8sdoctor.core.kube.quantity import parse_quantity

MAX_ATTRIBUTE_LEN = 140
#: kubectl's one-line description of each volume type, in the order its switch tries them.
TYPE_LINES = {
    "hostPath": "HostPath (bare host directory volume)",
    "emptyDir": "EmptyDir (a temporary directory that shares a pod's lifetime)",
    "gcePersistentDisk": "GCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)",
    "awsElasticBlockStore": "AWSElasticBlockStore (a Persistent Disk resource in AWS)",
    "gitRepo": "GitRepo (a volume that is pulled from git when the pod is created)",
    "secret": "Secret (a volume populated by a Secret)",
    "configMap": "ConfigMap (a volume populated by a ConfigMap)",
    "nfs": "NFS (an NFS mount that lasts the lifetime of a pod)",
    "iscsi": "ISCSI (an ISCSI Disk resource that is attached to a kubelet's host machine and then exposed to the pod)",
    "glusterfs": "Glusterfs (a Glusterfs mount on the host that shares a pod's lifetime)",
    "persistentVolumeClaim": "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
    "ephemeral": "EphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)",
    "rbd": "RBD (a Rados Block Device mount on the host that shares a pod's lifetime)",
    "quobyte": "Quobyte (a Quobyte mount on the host that shares a pod's lifetime)",
    "downwardAPI": "DownwardAPI (a volume populated by information about the pod)",
    "azureDisk": "AzureDisk (an Azure Data Disk mount on the host and bind mount to the pod)",
    "vsphereVolume": "vSphereVolume (a Persistent Disk resource in vSphere)",
    "cinder": "Cinder (a Persistent Disk resource in OpenStack)",
    "photonPersistentDisk": "PhotonPersistentDisk (a Persistent Disk resource in photon platform)",
    "portworxVolume": "PortworxVolume (a Portworx Volume resource)",
    "scaleIO": "ScaleIO (a persistent volume backed by a block device in ScaleIO)",
    "cephfs": "CephFS (a CephFS mount on the host that shares a pod's lifetime)",
    "storageos": "StorageOS (a StorageOS Persistent Disk resource)",
    "fc": "FC (a Fibre Channel disk)",
    "azureFile": "AzureFile (an Azure File Service mount on the host and bind mount to the pod)",
    "flexVolume": "FlexVolume (a generic volume resource that is provisioned/attached using an exec based plugin)",
    "flocker": "Flocker (a Flocker volume mounted by the Flocker agent)",
    "projected": "Projected (a volume that contains injected data from multiple sources)",
    "csi": "CSI (a Container Storage Interface (CSI) volume source)",
    "image": "Image (a container image or OCI artifact)",
}
BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class"


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
        if kind == "ephemeral":
            _ephemeral(w, vol[kind], f"{path}.{kind}")
            continue
        for text in _DETAILS.get(kind, lambda s: [])(vol[kind]):
            w.line(2, text, paths=(f"{path}.{kind}",))


# ---- Go's %v -----------------------------------------------------------------------------------------
def _v(source: dict, key: str) -> str:
    """A string field as %v prints it."""
    return value(source.get(key) or "")


def _strings(items: object) -> str:
    """A []string as %v prints it: `[a b]`."""
    return "[" + " ".join(value(i) for i in lst(items)) + "]"


def _local_ref(ref: object) -> str:
    """A *LocalObjectReference as %v prints it (its generated String method)."""
    return f"&LocalObjectReference{{Name:{value(d(ref).get('name') or '')},}}" if isinstance(ref, dict) else "nil"


def _string_map(mapping: object) -> str:
    """A map[string]string as %v prints it: `map[k:v]`, keys sorted."""
    return "map[" + " ".join(f"{value(k)}:{value(v)}" for k, v in sorted(d(mapping).items())) + "]"


def _flag(source: dict, key: str, default: bool = False) -> str:
    flag = source.get(key)
    return go_bool(flag if isinstance(flag, bool) else default)


def _pointer_bool(source: dict) -> str:
    """kubectl 1.32 prints a projected source's *bool pointer: `<nil>` when unset (an address when set,
    shown here as the value)."""
    flag = source.get("optional")
    return "<nil>" if not isinstance(flag, bool) else go_bool(flag)


# ---- the lines under each Type line (at level 2, tabs between cells) -----------------------------------
def _projected(s: dict) -> list[str]:
    out: list[str] = []
    for source in map(d, lst(s.get("sources"))):
        if source.get("secret"):
            ref = d(source["secret"])
            out += [f"SecretName:\t{_v(ref, 'name')}", f"SecretOptionalName:\t{_pointer_bool(ref)}"]
        elif source.get("downwardAPI"):
            out.append("DownwardAPI:\ttrue")
        elif source.get("configMap"):
            ref = d(source["configMap"])
            out += [f"ConfigMapName:\t{_v(ref, 'name')}", f"ConfigMapOptional:\t{_pointer_bool(ref)}"]
        elif source.get("serviceAccountToken"):
            out.append(f"TokenExpirationSeconds:\t{num(d(source['serviceAccountToken']).get('expirationSeconds'))}")
    return out


def _downward_api(s: dict) -> list[str]:
    out = ["Items:"]
    for item in map(d, lst(s.get("items"))):
        for ref_key, field in (("fieldRef", "fieldPath"), ("resourceFieldRef", "resource")):
            if item.get(ref_key):
                out.append(f"  {_v(d(item[ref_key]), field)} -> {_v(item, 'path')}")
    return out


def _csi(s: dict) -> list[str]:
    out = [f"Driver:\t{_v(s, 'driver')}", f"FSType:\t{_v(s, 'fsType')}", f"ReadOnly:\t{_flag(s, 'readOnly')}"]
    attrs = sorted(d(s.get("volumeAttributes")).items())
    if not attrs:
        return [*out, "VolumeAttributes:\t<none>"]
    # kubectl's quirk: every Write call adds the level's indent again; values are cut at 140 bytes
    return out + [
        f"{'VolumeAttributes:' if i == 0 else '    '}\t    {cut_bytes(f'{value(k)}={value(v)}', MAX_ATTRIBUTE_LEN)}"
        for i, (k, v) in enumerate(attrs)
    ]


def _fc(s: dict) -> list[str]:
    lun = str(num(s["lun"])) if isinstance(s.get("lun"), int) else "<none>"
    targets = ", ".join(value(t) for t in lst(s.get("targetWWNs")))
    return [f"TargetWWNs:\t{targets}", f"LUN:\t{lun}", f"FSType:\t{_v(s, 'fsType')}", f"ReadOnly:\t{_flag(s, 'readOnly')}"]


_DETAILS: dict[str, Callable[[dict], list[str]]] = {
    "hostPath": lambda s: [f"Path:\t{_v(s, 'path')}", f"HostPathType:\t{value(s.get('type') or '<none>')}"],
    "emptyDir": lambda s: [
        f"Medium:\t{_v(s, 'medium')}",
        f"SizeLimit:\t{value(s['sizeLimit']) if (parse_quantity(s.get('sizeLimit')) or 0) > 0 else '<unset>'}",
    ],
    "gcePersistentDisk": lambda s: [
        f"PDName:\t{_v(s, 'pdName')}",
        f"FSType:\t{_v(s, 'fsType')}",
        f"Partition:\t{num(s.get('partition'))}",
        f"ReadOnly:\t{_flag(s, 'readOnly')}",
    ],
    "awsElasticBlockStore": lambda s: [
        f"VolumeID:\t{_v(s, 'volumeID')}",
        f"FSType:\t{_v(s, 'fsType')}",
        f"Partition:\t{num(s.get('partition'))}",
        f"ReadOnly:\t{_flag(s, 'readOnly')}",
    ],
    "gitRepo": lambda s: [f"Repository:\t{_v(s, 'repository')}", f"Revision:\t{_v(s, 'revision')}"],
    "secret": lambda s: [f"SecretName:\t{_v(s, 'secretName')}", f"Optional:\t{_flag(s, 'optional')}"],
    "configMap": lambda s: [f"Name:\t{_v(s, 'name')}", f"Optional:\t{_flag(s, 'optional')}"],
    "nfs": lambda s: [f"Server:\t{_v(s, 'server')}", f"Path:\t{_v(s, 'path')}", f"ReadOnly:\t{_flag(s, 'readOnly')}"],
    "iscsi": lambda s: [
        f"TargetPortal:\t{_v(s, 'targetPortal')}",
        f"IQN:\t{_v(s, 'iqn')}",
        f"Lun:\t{num(s.get('lun'))}",
        f"ISCSIInterface\t{_v(s, 'iscsiInterface')}",  # sic: no colon
        f"FSType:\t{_v(s, 'fsType')}",
        f"ReadOnly:\t{_flag(s, 'readOnly')}",
        f"Portals:\t{_strings(s.get('portals'))}",
        f"DiscoveryCHAPAuth:\t{_flag(s, 'chapAuthDiscovery')}",
        f"SessionCHAPAuth:\t{_flag(s, 'chapAuthSession')}",
        f"SecretRef:\t{_local_ref(s.get('secretRef'))}",
        f"InitiatorName:\t{value(s['initiatorName']) if isinstance(s.get('initiatorName'), str) else '<none>'}",
    ],
    "glusterfs": lambda s: [f"EndpointsName:\t{_v(s, 'endpoints')}", f"Path:\t{_v(s, 'path')}", f"ReadOnly:\t{_flag(s, 'readOnly')}"],
    "persistentVolumeClaim": lambda s: [f"ClaimName:\t{_v(s, 'claimName')}", f"ReadOnly:\t{_flag(s, 'readOnly')}"],
    "rbd": lambda s: [
        f"CephMonitors:\t{_strings(s.get('monitors'))}",
        f"RBDImage:\t{_v(s, 'image')}",
        f"FSType:\t{_v(s, 'fsType')}",
        f"RBDPool:\t{_v(s, 'pool')}",
        f"RadosUser:\t{_v(s, 'user')}",
        f"Keyring:\t{_v(s, 'keyring')}",
        f"SecretRef:\t{_local_ref(s.get('secretRef'))}",
        f"ReadOnly:\t{_flag(s, 'readOnly')}",
    ],
    "quobyte": lambda s: [f"Registry:\t{_v(s, 'registry')}", f"Volume:\t{_v(s, 'volume')}", f"ReadOnly:\t{_flag(s, 'readOnly')}"],
    "downwardAPI": _downward_api,
    # kubectl dereferences these four pointers; the API server always sets them (to these defaults)
    "azureDisk": lambda s: [
        f"DiskName:\t{_v(s, 'diskName')}",
        f"DiskURI:\t{_v(s, 'diskURI')}",
        f"Kind: \t{value(s.get('kind') or 'Shared')}",
        f"FSType:\t{value(s['fsType'] if isinstance(s.get('fsType'), str) else 'ext4')}",
        f"CachingMode:\t{value(s['cachingMode'] if isinstance(s.get('cachingMode'), str) else 'ReadWrite')}",
        f"ReadOnly:\t{_flag(s, 'readOnly')}",
    ],
    "vsphereVolume": lambda s: [
        f"VolumePath:\t{_v(s, 'volumePath')}",
        f"FSType:\t{_v(s, 'fsType')}",
        f"StoragePolicyName:\t{_v(s, 'storagePolicyName')}",
    ],
    "cinder": lambda s: [
        f"VolumeID:\t{_v(s, 'volumeID')}",
        f"FSType:\t{_v(s, 'fsType')}",
        f"ReadOnly:\t{_flag(s, 'readOnly')}",
        f"SecretRef:\t{_local_ref(s.get('secretRef'))}",
    ],
    "photonPersistentDisk": lambda s: [f"PdID:\t{_v(s, 'pdID')}", f"FSType:\t{_v(s, 'fsType')}"],
    "portworxVolume": lambda s: [f"VolumeID:\t{_v(s, 'volumeID')}"],
    "scaleIO": lambda s: [
        f"Gateway:\t{_v(s, 'gateway')}",
        f"System:\t{_v(s, 'system')}",
        f"Protection Domain:\t{_v(s, 'protectionDomain')}",
        f"Storage Pool:\t{_v(s, 'storagePool')}",
        f"Storage Mode:\t{_v(s, 'storageMode')}",
        f"VolumeName:\t{_v(s, 'volumeName')}",
        f"FSType:\t{_v(s, 'fsType')}",
        f"ReadOnly:\t{_flag(s, 'readOnly')}",
    ],
    "cephfs": lambda s: [
        f"Monitors:\t{_strings(s.get('monitors'))}",
        f"Path:\t{_v(s, 'path')}",
        f"User:\t{_v(s, 'user')}",
        f"SecretFile:\t{_v(s, 'secretFile')}",
        f"SecretRef:\t{_local_ref(s.get('secretRef'))}",
        f"ReadOnly:\t{_flag(s, 'readOnly')}",
    ],
    "storageos": lambda s: [
        f"VolumeName:\t{_v(s, 'volumeName')}",
        f"VolumeNamespace:\t{_v(s, 'volumeNamespace')}",
        f"FSType:\t{_v(s, 'fsType')}",
        f"ReadOnly:\t{_flag(s, 'readOnly')}",
    ],
    "fc": _fc,
    "azureFile": lambda s: [
        f"SecretName:\t{_v(s, 'secretName')}",
        f"ShareName:\t{_v(s, 'shareName')}",
        f"ReadOnly:\t{_flag(s, 'readOnly')}",
    ],
    "flexVolume": lambda s: [
        f"Driver:\t{_v(s, 'driver')}",
        f"FSType:\t{_v(s, 'fsType')}",
        f"SecretRef:\t{_local_ref(s.get('secretRef'))}",
        f"ReadOnly:\t{_flag(s, 'readOnly')}",
        f"Options:\t{_string_map(s.get('options'))}",
    ],
    "flocker": lambda s: [f"DatasetName:\t{_v(s, 'datasetName')}", f"DatasetUUID:\t{_v(s, 'datasetUUID')}"],
    "projected": _projected,
    "csi": _csi,
    "image": lambda s: [f"Reference:\t{_v(s, 'reference')}", f"PullPolicy:\t{_v(s, 'pullPolicy')}"],
}


def _ephemeral(w: DescribeWriter, s: dict, path: str) -> None:
    """printEphemeralVolumeSource: the claim template as printPersistentVolumeClaim shows a template,
    through a writer nested two levels deep (whose every Write call adds those four spaces again)."""
    template = s.get("volumeClaimTemplate")
    if not isinstance(template, dict):
        return
    meta, spec = d(template.get("metadata")), d(template.get("spec"))
    nest = "    "
    annotations = d(meta.get("annotations"))
    storage_class = annotations[BETA_STORAGE_CLASS] if BETA_STORAGE_CLASS in annotations else spec.get("storageClassName") or ""
    w.line(0, f"{nest}StorageClass:\t{value(storage_class)}", paths=(path,))
    w.line(0, f"{nest}Volume:\t{_v(spec, 'volumeName')}", paths=(path,))
    write_map(w, "Labels", meta.get("labels"), path, nest=nest)
    write_annotations(w, annotations, path, nest=nest)
    # a template has no status: its capacity is the zero quantity once bound, its access modes none
    w.line(0, f"{nest}Capacity:\t{'0' if spec.get('volumeName') else ''}", paths=(path,))
    w.line(0, f"{nest}Access Modes:\t", paths=(path,))
    if spec.get("volumeMode") is not None:
        w.line(0, f"{nest}VolumeMode:\t{_v(spec, 'volumeMode')}", paths=(path,))
    source = spec.get("dataSource")
    if isinstance(source, dict):
        w.line(0, f"{nest}DataSource:", paths=(path,))
        if isinstance(source.get("apiGroup"), str):
            w.line(3, f"APIGroup:\t{value(source['apiGroup'])}", paths=(path,))
        w.line(3, f"Kind:\t{_v(source, 'kind')}", paths=(path,))
        w.line(3, f"Name:\t{_v(source, 'name')}", paths=(path,))
