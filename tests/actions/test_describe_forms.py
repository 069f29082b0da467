"""The parts of describe the kubectl parity run found different, each pinned to what kubectl 1.32 prints
(the expected lines are kubectl's output for the same pods; tests/parity checks them against the
binary itself)."""

from __future__ import annotations

from datetime import timezone

import pytest

from k8sdoctor.actions.describe import describe_pod, kubectl_events, qos_class
from k8sdoctor.actions.describe_containers import probe_url
from k8sdoctor.actions.gosort import go_sort
from k8sdoctor.cluster.live.client import KubeClient
from k8sdoctor.cluster.live.fetch import LiveFetcher
from k8sdoctor.fakeapi import FakeApiServer
from tests.actions.helpers import FIXED_NOW, scenario_inventory
from tests.parity.cluster import FEATURE_PODS, same_second_pod

APISERVER = ("kube-system", "kube-apiserver-kubemaster")


def text_of(name: str, namespace: str = "parity") -> str:
    return describe_pod(scenario_inventory(FEATURE_PODS), namespace, name, FIXED_NOW, timezone.utc).kubectl_text()


def section(text: str, start: str, end: str) -> list[str]:
    lines = text.splitlines()
    first = lines.index(start)
    return lines[first : first + next(i for i, line in enumerate(lines[first:]) if line == end)]


# ---- static pods ------------------------------------------------------------------------------------
@pytest.fixture
def static_pod_server(tmp_path):
    with FakeApiServer() as srv:
        srv.load_scenario(FEATURE_PODS)
        yield srv, KubeClient(str(srv.write_kubeconfig(tmp_path / "kubeconfig")))


def test_a_static_pods_events_are_found_under_its_mirror_hash(static_pod_server):
    """The kubelet records a static pod's events under the kubernetes.io/config.mirror hash; kubectl
    looks them up by it, and leaves out the node controller's event under the mirror's own uid."""
    _srv, client = static_pod_server
    inventory = LiveFetcher(client).pod(*APISERVER)
    text = describe_pod(inventory, *APISERVER, FIXED_NOW, timezone.utc).kubectl_text()
    rows = [line.split()[:2] for line in text.split("Events:\n")[1].splitlines()[2:]]
    # source: https://github.com/kodekloudhub/certified-kubernetes-administrator-course/issues/150
    assert [reason for _type, reason in rows] == [
        "Created",
        "Started",
        "Unhealthy",
        "Unhealthy",
        "Unhealthy",
        "Unhealthy",
        "Killing",
        "Unhealthy",
    ]
    assert "Readiness probe failed: HTTP probe failed with statuscode: 500" in text
    assert "NodeNotReady" not in text
    assert {e["reason"] for e in inventory.events_for_pod(inventory.pods[APISERVER])} >= {"Unhealthy", "NodeNotReady"}


def test_the_diagnosis_of_a_static_pod_quotes_its_probe_events(static_pod_server, engine):
    _srv, client = static_pod_server
    inventory = LiveFetcher(client).pod(*APISERVER)
    diagnosis = engine.diagnose_pod(inventory, inventory.pods[APISERVER], FIXED_NOW)
    finding = next(f for f in diagnosis.findings if f.cause == "liveness-probe-failure")
    quoted = [ev.text for ev in finding.evidence if ev.source.startswith("event Warning/Unhealthy")]
    # source: https://github.com/kodekloudhub/certified-kubernetes-administrator-course/issues/150
    assert quoted == ["Liveness probe failed: HTTP probe failed with statuscode: 500"]


# ---- volumes ----------------------------------------------------------------------------------------
def test_a_generic_ephemeral_volume_shows_its_claim_template():
    """Through kubectl's nested writer, whose every write is indented again (hence the wide Labels)."""
    lines = section(text_of("volumes-ephemeral"), "  scratch:", "  model:")
    assert lines == [
        "  scratch:",
        "    Type:          EphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)",
        "    StorageClass:  scratch-storage-class",
        "    Volume:        ",
        "    Labels:            tier=web",
        "                       type=my-frontend-volume",
        "    Annotations:       long.example.com/note:",
        "                     a note long enough to need its own line: the template's annotations are printed as a pod's are, through the nested writer that indents eve...",
        "                       team: storage",
        "    Capacity:      ",
        "    Access Modes:  ",
        "    VolumeMode:    Filesystem",
        "  from-snapshot:",
        "    Type:          EphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)",
        "    StorageClass:  legacy-class",
        "    Volume:        ",
        "    Labels:            <none>",
        "    Annotations:       volume.beta.kubernetes.io/storage-class: legacy-class",
        "    Capacity:      ",
        "    Access Modes:  ",
        "    DataSource:",
        "      APIGroup:  snapshot.storage.k8s.io",
        "      Kind:      VolumeSnapshot",
        "      Name:      snap-2024-05-01",
        "  prebound:",
        "    Type:          EphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)",
        "    StorageClass:  ",
        "    Volume:        pv-0001",
        "    Labels:            <none>",
        "    Annotations:       <none>",
        "    Capacity:      0",
        "    Access Modes:  ",
        "    VolumeMode:    Block",
        "    DataSource:",
        "      Kind:  PersistentVolumeClaim",
        "      Name:  golden",
    ]


def test_the_older_volume_types_show_their_fields_as_go_prints_them():
    text = text_of("volumes-block")
    assert section(text, "  iscsi-full:", "  iscsi-min:")[1:] == [
        "    Type:               ISCSI (an ISCSI Disk resource that is attached to a kubelet's host machine and then exposed to the pod)",
        "    TargetPortal:       10.0.2.15:3260",
        "    IQN:                iqn.2001-04.com.example:storage.kube.sys1.xyz",
        "    Lun:                0",
        "    ISCSIInterface      default",
        "    FSType:             ext4",
        "    ReadOnly:           true",
        "    Portals:            [10.0.2.16:3260 10.0.2.17:3260]",
        "    DiscoveryCHAPAuth:  true",
        "    SessionCHAPAuth:    true",
        "    SecretRef:          &LocalObjectReference{Name:chap-secret,}",
        "    InitiatorName:      iqn.1996-04.de.suse:01:a9b8c7d6e5f4",
    ]
    assert "    SecretRef:          nil\n    InitiatorName:      <none>\n" in text
    assert section(text, "  cephfs-ref:", "  fc:")[1:] == [
        "    Type:        CephFS (a CephFS mount on the host that shares a pod's lifetime)",
        "    Monitors:    [10.16.154.78:6789]",
        "    Path:        ",
        "    User:        admin",
        "    SecretFile:  ",
        "    SecretRef:   &LocalObjectReference{Name:ceph-secret,}",
        "    ReadOnly:    false",
    ]
    assert "    CephMonitors:  [10.16.154.78:6789 10.16.154.82:6789 10.16.154.83:6789]\n    RBDImage:      foo\n" in text
    assert "    TargetWWNs:  \n    LUN:         <none>\n" in text
    cloud = text_of("volumes-cloud")
    assert section(cloud, "  vsphere:", "  gce:")[1:] == [
        "    Type:               vSphereVolume (a Persistent Disk resource in vSphere)",
        "    VolumePath:         [DatastoreName] volumes/myDisk",
        "    FSType:             ext4",
        "    StoragePolicyName:  ",
        "  vsphere-policy:",
        "    Type:               vSphereVolume (a Persistent Disk resource in vSphere)",
        "    VolumePath:         [vsanDatastore] kubevols/disk-1.vmdk",
        "    FSType:             ",
        "    StoragePolicyName:  gold",
    ]
    assert "<unknown>" not in cloud + text_of("volumes-legacy")
    assert "    Options:    map[size:1000m volumeID:vol1 volumegroup:kube_vg]\n" in text_of("volumes-legacy")


def test_csi_attributes_are_cut_at_140_bytes():
    text = text_of("volumes-common")
    lines = section(text, "  secrets-store:", "  plain-csi:")
    attributes = dict(line.strip().split("=", 1) for line in lines if "=" in line and ":" not in line.split("=", 1)[0])
    assert attributes["secretProviderClass"] == (
        "azure-keyvault-provider-for-the-payments-team-in-the-westeurope-region-with-a-name-that-goes-on-past-one-hundred-and-for..."
    )
    assert len(f"secretProviderClass={attributes['secretProviderClass']}".encode()) == 143
    # the cut lands between the two bytes of the last é: kubectl writes the first byte alone
    raw = text.encode("utf-8", "surrogateescape")
    assert (
        "description=café au lait, crème brûlée et pâtisserie, a value in French cut in the middle of an é: " + "é" * 17
    ).encode() + b"\xc3...\n" in raw


# ---- probes and env -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("http", "url"),
    [
        ({"path": "/ready?full=1", "port": 15090}, "//:15090/ready%3Ffull=1"),
        (
            {"path": "/livez?exclude=etcd", "port": 6443, "host": "192.168.33.100", "scheme": "HTTPS"},
            "https://192.168.33.100:6443/livez%3Fexclude=etcd",
        ),
        ({"path": "/healthz?verbose=true&exclude=db", "port": "http", "scheme": "HTTP"}, "http://:http/healthz%3Fverbose=true&exclude=db"),
        (
            {"path": "health check/ü#frag", "port": "http", "host": "::1", "scheme": "HTTPS"},
            "https://[::1]:http/health%20check/%C3%BC%23frag",
        ),
        ({"path": "no-slash%41", "port": 80, "host": "example.com"}, "//example.com:80/no-slash%2541"),
        ({"path": "*", "port": 80}, "//:80/*"),
        ({"port": 8080}, "//:8080"),
    ],
)
def test_probe_paths_are_escaped_as_gos_url_does(http, url):
    assert probe_url(http) == url


def test_field_references_show_what_kubectl_1_32_resolves():
    """Only metadata.name and metadata.namespace resolve; a metadata.uid reference shows empty."""
    text = text_of("web-5d8f7c9b6-x2x7q")
    assert "      POD_NAME:       web-5d8f7c9b6-x2x7q (v1:metadata.name)\n" in text
    assert "      POD_NAMESPACE:  parity (:metadata.namespace)\n" in text
    assert "      POD_UID:         (v1:metadata.uid)\n" in text
    assert "2f1e0d9c-8b7a-4654-9e3d-2c1b0a9f8e7d" not in text


# ---- annotations ----------------------------------------------------------------------------------------
def test_annotations_are_cut_at_140_bytes_even_inside_a_character():
    doc = describe_pod(scenario_inventory(FEATURE_PODS), "parity", "annotations-unicode", FIXED_NOW, timezone.utc)
    raw = doc.kubectl_text().encode("utf-8", "surrogateescape")
    # 138 bytes: "x" and 68 é (136 bytes) and the first byte of the 69th
    assert b"\n                x" + "é".encode() * 68 + b"\xc3...\n" in raw
    assert (
        "\n                日本語の説明文です。この注釈は長いので、kubectl はバイト数で切り詰めます。文字の途中で切れるこ".encode()
        + b"\xe3...\n"
    ) in raw
    assert f"\n              exactly-at-the-limit: {'0123456789' * 11}01234567\n" in doc.kubectl_text()
    assert f"\n              one-past-the-limit:\n                {'0123456789' * 12}0\n" in doc.kubectl_text()
    shown = doc.text()
    assert "\\xc3..." in shown and "\\xe3..." in shown and "\udcc3" not in shown  # a terminal sees the lone bytes as escapes


def test_kubectl_escapes_only_esc_and_cr_and_a_terminal_gets_every_control_character_escaped():
    """A tab in a value is a cell break for kubectl's tabwriter, on a terminal as in a pipe."""
    doc = describe_pod(scenario_inventory(FEATURE_PODS), "parity", "annotations-unicode", FIXED_NOW, timezone.utc)
    assert "Annotations:  banner: ^[[1mrelease 2024.05^[[0m\\r  built by ci\x07\n" in doc.kubectl_text()
    assert "Annotations:  banner: \\x1b[1mrelease 2024.05\\x1b[0m\\x0d  built by ci\\x07\n" in doc.text()


# ---- events and QoS ------------------------------------------------------------------------------------
#: The Events rows kubectl 1.32 printed for same_second_pod("same-second-43", 14) served by the local API
#: server (reason, and the container a Created or Started row names).
KUBECTL_ORDER = [
    "Scheduled",
    "Pulled",
    "Pulled",
    "Started worker-01",
    "Created worker-03",
    "Pulled",
    "Started worker-06",
    "Started worker-11",
    "Started worker-03",
    "Pulled",
    "Started worker-12",
    "Started worker-02",
    "Started worker-07",
    "Created worker-13",
    "Pulled",
    "Pulled",
    "Created worker-09",
    "Pulled",
    "Pulled",
    "Pulled",
    "Created worker-01",
    "Created worker-11",
    "Started worker-13",
    "Created worker-02",
    "Started worker-08",
    "Pulled",
    "Created worker-07",
    "Created worker-06",
    "Created worker-04",
    "Started worker-09",
    "Pulled",
    "Created worker-12",
    "Created worker-08",
    "Started worker-04",
    "Started worker-05",
    "Started worker-00",
    "Pulled",
    "Pulled",
    "Created worker-05",
    "Created worker-10",
    "Started worker-10",
    "Pulled",
    "Created worker-00",
]


def test_events_with_one_timestamp_come_in_the_order_gos_sort_leaves_them():
    """kubectl sorts with Go's sort.Sort, which is not stable: the events that share a time are not
    left in the API's (name) order, and a stable sort would print them otherwise."""
    inventory = scenario_inventory({"objects": same_second_pod("same-second-43", 14)})
    events = kubectl_events(inventory, inventory.pods[("parity", "same-second-43")])
    shown = [e["reason"] + (f" {e['message'].split()[-1]}" if e["reason"] in ("Created", "Started") else "") for e in events]
    assert shown == KUBECTL_ORDER
    stable = sorted(events, key=lambda e: (e.get("lastTimestamp") or "", e["metadata"]["name"]))
    assert [e["metadata"]["name"] for e in stable] != [e["metadata"]["name"] for e in events]


def test_go_sort_sorts_and_keeps_every_element():
    import random

    rng = random.Random(7)
    for size in (0, 1, 5, 12, 13, 49, 50, 51, 200, 1000):
        items = [(rng.randrange(4), i) for i in range(size)]
        got = list(items)
        go_sort(got, lambda a, b: a[0] < b[0])
        assert [k for k, _ in got] == sorted(k for k, _ in items) and sorted(got) == sorted(items)


def test_qos_is_summed_over_the_containers_as_kubectl_computes_it():
    assert text_of("qos-guaranteed").count("QoS Class:                Burstable") == 1  # 1.1 cpu limits for 1 cpu requested
    assert "QoS Class:                Guaranteed" not in text_of("qos-guaranteed")
    assert qos_class(scenario_inventory(FEATURE_PODS).pods[("parity", "qos-besteffort")]) == "BestEffort"  # GPUs do not count
    assert qos_class(scenario_inventory(FEATURE_PODS).pods[("parity", "qos-burstable")]) == "Burstable"
