"""Pending pods: per-reason node counts, the fit computation, blocking taints with the toleration
that admits them, label "did you mean", claims and StorageClasses, and a pod no scheduler looks at."""

from __future__ import annotations

from tests.analyzers.builders import (
    cluster,
    container,
    corpus_message,
    diagnose,
    event,
    evidence,
    finding,
    node,
    pod,
    step,
    system_pods,
)

SCHEDULER = "event Warning/FailedScheduling from default-scheduler (30s ago)"
FREE = "nodes' status.allocatable minus the requests of the pods on them"
DEFAULT_TOLERATIONS = [
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
]


def pending(name="search-7c9d6f5b8-x2k4q", *, owner=("ReplicaSet", "search-7c9d6f5b8"), **kwargs):
    kwargs.setdefault("spec", {}).setdefault("tolerations", DEFAULT_TOLERATIONS)
    return pod(
        name,
        phase="Pending",
        owner=owner,
        statuses=[],
        status={"conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable"}]},
        **kwargs,
    )


def failed_scheduling(target, message):
    return event(target, message, reason="FailedScheduling", type_="Warning", component="default-scheduler")


def cpu_cluster(*, with_system_pods=True):
    """Five 4-CPU nodes; with kube-proxy (100m each) they have 0.5, 1.0, 1.2, 0.1 and 0.2 CPU free."""
    nodes = [node(f"node-{i}") for i in range(1, 6)]
    used = {"node-1": "3400m", "node-2": "2900m", "node-3": "2700m", "node-4": "3800m", "node-5": "3700m"}
    workloads = [
        pod(f"batch-{n}", namespace="batch", node_name=n, containers=[container("worker", cpu=cpu, memory="2Gi")])
        for n, cpu in used.items()
    ]
    finished = pod(
        "report-1", namespace="batch", node_name="node-3", phase="Succeeded", statuses=[], containers=[container("report", cpu="2")]
    )
    return nodes, workloads + [finished] + (system_pods(nodes) if with_system_pods else [])


def search_pod():
    """1.5 CPU in effect: app 1 CPU + a 250m sidecar (more than the 500m init container next to the
    sidecar), plus 250m overhead."""
    return pending(
        containers=[container("app", "registry.example/search:2.3.0", cpu="1", memory="768Mi")],
        init_containers=[
            container("log-shipper", "registry.example/shipper:1.1", cpu="250m", memory="256Mi", restartPolicy="Always"),
            container("migrate", "registry.example/search:2.3.0", cpu="500m", memory="512Mi"),
        ],
        spec={"overhead": {"cpu": "250m"}},
    )


def test_fit_says_how_far_the_pod_is_from_fitting(engine):
    nodes, others = cpu_cluster()
    target = search_pod()
    # https://github.com/pires/kubernetes-elasticsearch-cluster/issues/178
    message = corpus_message("es-client-insufficient-cpu", "https://github.com/pires/kubernetes-elasticsearch-cluster/issues/178")
    inv = cluster(nodes, others, target, failed_scheduling(target, message))
    f = finding(diagnose(engine, inv, target), "insufficient-resources")
    assert evidence(f, f"{SCHEDULER}, counted per reason") == ["5 nodes: 5 lack cpu"]
    assert evidence(f, "spec.containers[*].resources (with init containers, sidecars and overhead)") == [
        "the pod requests 1.5 CPU, 1Gi memory"
    ]
    assert evidence(f, FREE) == ["asks 1.5 CPU; the most free on any node is 1.2 CPU (node-3)"]
    assert evidence(f, "pods read by k8sdoctor") == []  # every namespace, kube-system included, was read
    free = step(f, "Free 300m CPU on node-3")
    assert free.command == "kubectl describe node node-3"
    lower = step(f, "Or, if container app really needs less")
    assert lower.text == "Or, if container app really needs less, lower its request to cpu=700m so the pod fits node-3."
    assert lower.command == "kubectl -n shop set resources deployment/search -c app --requests=cpu=700m"
    assert not any("--requests=cpu=250m,memory=256Mi" in (s.command or "") for s in f.remediation)


def test_fit_is_a_lower_bound_when_only_one_namespace_was_read(engine):
    nodes, others = cpu_cluster(with_system_pods=False)
    target = search_pod()
    # https://github.com/mindwm/mindwm-gitops/issues/31
    message = corpus_message("mindwm-neo4j-insufficient-cpu-preemption", "https://github.com/mindwm/mindwm-gitops/issues/31")
    inv = cluster(nodes, [p for p in others if p["metadata"]["namespace"] == "batch"], target, failed_scheduling(target, message))
    f = finding(diagnose(engine, inv, target), "insufficient-resources")
    assert evidence(f, f"{SCHEDULER}, counted per reason") == ["1 node: 1 lacks cpu; preemption: 1 node: 1 has no pods to preempt"]
    assert evidence(f, FREE) == ["asks 1.5 CPU; the most free on any node is 1.3 CPU (node-3)"]
    assert evidence(f, "pods read by k8sdoctor") == [
        "not every pod on the nodes was read (a namespace-scoped or single-pod read): the requests counted per node are a lower bound, so the free capacity shown is an upper bound"
    ]


def test_extended_resource_on_the_nodes_the_selector_allows(engine):
    gpu = {"nvidia.com/gpu": "1"}
    nodes = [node(f"gpu-{i}", labels={"accelerator": "nvidia-tesla-t4"}, extra=gpu) for i in range(3)] + [
        node(f"cpu-{i}") for i in range(3)
    ]
    busy = [
        pod(f"train-{i}", namespace="ml", node_name=f"gpu-{i}", containers=[container("train", limits={"nvidia.com/gpu": "1"})])
        for i in range(2)
    ]
    target = pending(
        "infer-5f7d8c9b6-q8w2e",
        owner=("ReplicaSet", "infer-5f7d8c9b6"),
        containers=[container("infer", "registry.example/infer:0.9", cpu="2", memory="8Gi", limits={"nvidia.com/gpu": "2"})],
        spec={"nodeSelector": {"accelerator": "nvidia-tesla-t4"}},
    )
    # https://github.com/NVIDIA/k8s-device-plugin/issues/283
    message = corpus_message("nvidia-283-gpu-node-selector-openshift", "https://github.com/NVIDIA/k8s-device-plugin/issues/283")
    inv = cluster(nodes, busy, system_pods(nodes), target, failed_scheduling(target, message))
    result = diagnose(engine, inv, target)
    f = finding(result, "insufficient-resources")
    assert evidence(f, f"{SCHEDULER}, counted per reason") == ["6 nodes: 3 do not match the node selector/affinity, 6 lack nvidia.com/gpu"]
    assert evidence(f, "spec.containers[*].resources (with init containers, sidecars and overhead)") == [
        "the pod requests 2 CPU, 8Gi memory, 2 nvidia.com/gpu"
    ]
    assert evidence(f, FREE) == [
        "asks 2 nvidia.com/gpu; the most free on the 3 of 6 nodes it may use (the others are cordoned, tainted or outside its node selector) is 1 nvidia.com/gpu (gpu-2); "
        "no node has that much allocatable at all (the largest: 1 nvidia.com/gpu on gpu-0)"
    ]
    assert step(f, "No node is big enough for 2 nvidia.com/gpu").command is None
    assert not any("set resources" in (s.command or "") and "cpu=" in (s.command or "") and "nvidia" in s.text for s in f.remediation)
    selector = finding(result, "node-selector-mismatch")
    assert evidence(selector, "nodes' metadata.labels") == ["3 nodes (gpu-0, gpu-1, gpu-2) match the pod's node selector and affinity now"]


def test_blocking_taints_and_the_toleration_that_admits_the_pod(engine):
    masters = [node(f"master-{i}", taints=[{"key": "node-role.kubernetes.io/master", "effect": "NoSchedule"}]) for i in range(3)]
    storage = [node("storage-0", taints=[{"key": "unschedulable", "value": "true", "effect": "NoSchedule"}])]
    workers = [
        node("worker-0"),
        node("worker-1", taints=[{"key": "example.com/maintenance", "value": "soon", "effect": "PreferNoSchedule"}]),
    ]
    target = pending(
        "web-6d8f7c9b5-7xk2p", owner=("ReplicaSet", "web-6d8f7c9b5"), containers=[container("web", "registry.example/web:3.1", cpu="500m")]
    )
    # https://github.com/red-hat-storage/ocs-operator/pull/4163
    message = corpus_message("ocs-operator-topology-spread-taints", "https://github.com/red-hat-storage/ocs-operator/pull/4163")
    inv = cluster(masters, storage, workers, target, failed_scheduling(target, message))
    f = finding(diagnose(engine, inv, target), "untolerated-taint")
    assert evidence(f, f"{SCHEDULER}, counted per reason") == [
        "6 nodes: 1 has taint unschedulable=true, 2 would break topology spread constraints, 3 have taint node-role.kubernetes.io/master; "
        "preemption: 6 nodes: 2 would break topology spread constraints, 4 would not be helped by preemption"
    ]
    assert evidence(f, "spec.taints of 3 nodes (master-0, master-1, master-2)") == [
        "node-role.kubernetes.io/master:NoSchedule — not tolerated by the pod"
    ]
    assert evidence(f, "spec.taints of node storage-0") == ["unschedulable=true:NoSchedule — not tolerated by the pod"]
    assert evidence(f, "nodes' spec.taints") == ["2 of 6 nodes have no taint the pod does not tolerate"]
    masters_step = step(f, "If the pod belongs on 3 nodes (master-0, master-1, master-2)")
    assert masters_step.text.endswith(
        "add this toleration to its spec.tolerations: {key: node-role.kubernetes.io/master, operator: Exists, effect: NoSchedule}"
    )
    assert masters_step.command == (
        "kubectl -n shop patch deployment/web -p "
        "'{\"spec\":{\"template\":{\"spec\":{\"tolerations\":[{\"key\":\"node-role.kubernetes.io/master\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]}}}}'"
    )
    storage_step = step(f, "If the pod belongs on node storage-0")
    assert storage_step.text.endswith('{key: unschedulable, operator: Equal, value: "true", effect: NoSchedule}')


def test_condition_taint_says_fix_the_node(engine):
    nodes = [
        node(
            "edge-1",
            taints=[
                {"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule"},
                {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"},
            ],
        )
    ]
    target = pending("sensor-0", owner=("StatefulSet", "sensor"), containers=[container("sensor", "registry.example/sensor:1")])
    # https://github.com/hystax/optscale/issues/568
    message = corpus_message("optscale-unreachable-node-taint", "https://github.com/hystax/optscale/issues/568")
    f = finding(diagnose(engine, cluster(nodes, target, failed_scheduling(target, message)), target), "untolerated-taint")
    # the default toleration covers NoExecute for 300s; NoSchedule is what blocks scheduling
    assert evidence(f, "spec.taints of node edge-1") == ["node.kubernetes.io/unreachable:NoSchedule — not tolerated by the pod"]
    fix = f.remediation[0]
    assert (
        fix.text
        == "Taint node.kubernetes.io/unreachable:NoSchedule on node edge-1 means the node is unreachable (its kubelet stopped reporting): fix the node rather than tolerate the taint."
    )
    assert fix.command == "kubectl describe node edge-1"


def test_redacted_taints_are_read_from_the_nodes(engine):
    nodes = [
        node(f"node-{i}", taints=[{"key": "readiness.k8s.io/network-ready", "value": "pending", "effect": "NoSchedule"}]) for i in range(2)
    ]
    target = pending("api-0", owner=("StatefulSet", "api"), containers=[container("api", "registry.example/api:1")])
    # https://github.com/kubernetes-sigs/node-readiness-controller/pull/164
    message = corpus_message(
        "node-readiness-untolerated-taints-redacted-dra", "https://github.com/kubernetes-sigs/node-readiness-controller/pull/164"
    )
    f = finding(diagnose(engine, cluster(nodes, target, failed_scheduling(target, message)), target), "untolerated-taint")
    assert evidence(f, f"{SCHEDULER}, counted per reason") == [
        "2 nodes: 2 have taints the pod does not tolerate; preemption: 2 nodes: 2 would not be helped by preemption"
    ]
    assert evidence(f, "spec.taints of 2 nodes (node-0, node-1)") == [
        "readiness.k8s.io/network-ready=pending:NoSchedule — not tolerated by the pod"
    ]
    fix = step(f, "If the pod belongs on 2 nodes (node-0, node-1)")
    assert fix.command == (
        "kubectl -n shop patch statefulset/api -p '{\"spec\":{\"template\":{\"spec\":{\"tolerations\":"
        "[{\"key\":\"readiness.k8s.io/network-ready\",\"operator\":\"Equal\",\"value\":\"pending\",\"effect\":\"NoSchedule\"}]}}}}'"
    )


def test_node_selector_value_did_you_mean(engine):
    nodes = [
        node("ssd-1", labels={"disktype": "ssd"}),
        node("ssd-2", labels={"disktype": "ssd"}),
        node("hdd-1", labels={"disktype": "hdd"}),
    ]
    target = pending(
        "es-data-0",
        owner=("StatefulSet", "es-data"),
        containers=[container("es", "registry.example/es:7.10")],
        spec={"nodeSelector": {"disktype": "ssdd"}},
    )
    # https://github.com/opendistro-for-elasticsearch/sample-code/issues/115
    message = corpus_message("opendistro-es-node-selector", "https://github.com/opendistro-for-elasticsearch/sample-code/issues/115")
    f = finding(diagnose(engine, cluster(nodes, target, failed_scheduling(target, message)), target), "node-selector-mismatch")
    assert evidence(f, f"{SCHEDULER}, counted per reason") == ["3 nodes: 3 do not match the node selector/affinity"]
    assert evidence(f, "spec.nodeSelector") == [
        "disktype=ssdd: no node has this label; nodes have disktype=ssd (2 nodes), disktype=hdd (1 node). Did you mean disktype=ssd?"
    ]
    fix = f.remediation[0]
    assert fix.text == "Fix the node selector to disktype=ssd"
    assert (
        fix.command
        == "kubectl -n shop patch statefulset/es-data -p '{\"spec\":{\"template\":{\"spec\":{\"nodeSelector\":{\"disktype\":\"ssd\"}}}}}'"
    )


def test_node_affinity_key_and_value_did_you_mean(engine):
    zones = {"worker-a": "eu-west-1a", "worker-b": "eu-west-1b"}
    nodes = [node(n, labels={"topology.kubernetes.io/zone": z, "node.kubernetes.io/instance-type": "m5.large"}) for n, z in zones.items()]
    affinity = {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [
                    {
                        "matchExpressions": [
                            {"key": "topology.kubernetes.io/zone", "operator": "In", "values": ["eu-west-1c", "eu-west-1x"]},
                            {"key": "node.kubernetes.io/instance-typ", "operator": "Exists"},
                        ]
                    }
                ]
            }
        }
    }
    target = pending(
        "queue-7b6c5d4f3-k9m8n",
        owner=("ReplicaSet", "queue-7b6c5d4f3"),
        containers=[container("queue", "registry.example/queue:5")],
        spec={"affinity": affinity},
    )
    # https://github.com/klothoplatform/klotho/issues/553
    message = corpus_message("klotho-eks-nodegroup-selector-mismatch", "https://github.com/klothoplatform/klotho/issues/553")
    f = finding(diagnose(engine, cluster(nodes, target, failed_scheduling(target, message)), target), "node-selector-mismatch")
    terms = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]"
    assert evidence(f, f"{terms}.matchExpressions[0]") == [
        "topology.kubernetes.io/zone In [eu-west-1c, eu-west-1x]: no node has one of these values; "
        "nodes have topology.kubernetes.io/zone=eu-west-1a (1 node), topology.kubernetes.io/zone=eu-west-1b (1 node). "
        "Did you mean eu-west-1a for eu-west-1c, eu-west-1a for eu-west-1x?"
    ]
    assert evidence(f, f"{terms}.matchExpressions[1]") == [
        "node.kubernetes.io/instance-typ Exists: no node has a label node.kubernetes.io/instance-typ. Did you mean node.kubernetes.io/instance-type?"
    ]
    fix = step(f, "Fix the node affinity value eu-west-1c → eu-west-1a")
    path = "/spec/template/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/0/matchExpressions/0/values/0"
    assert fix.command == (
        "kubectl -n shop patch deployment/queue --type=json -p "
        f"'[{{\"op\":\"test\",\"path\":\"{path}\",\"value\":\"eu-west-1c\"}},{{\"op\":\"replace\",\"path\":\"{path}\",\"value\":\"eu-west-1a\"}}]'"
    )
    fix = step(f, "Fix the node affinity key node.kubernetes.io/instance-typ → node.kubernetes.io/instance-type")
    path = "/spec/template/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/0/matchExpressions/1/key"
    assert fix.command == (
        "kubectl -n shop patch deployment/queue --type=json -p "
        f"'[{{\"op\":\"test\",\"path\":\"{path}\",\"value\":\"node.kubernetes.io/instance-typ\"}},"
        f"{{\"op\":\"replace\",\"path\":\"{path}\",\"value\":\"node.kubernetes.io/instance-type\"}}]'"
    )


def test_no_key_fix_where_the_corrected_requirement_still_admits_no_node(engine):
    nodes = [node("worker-a", labels={"topology.kubernetes.io/zone": "eu-west-1a"})]
    affinity = {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [
                    {"matchExpressions": [{"key": "topology.kubernetes.io/zon", "operator": "In", "values": ["us-east-1a"]}]}
                ]
            }
        }
    }
    target = pending(
        "queue-7b6c5d4f3-k9m8n",
        owner=("ReplicaSet", "queue-7b6c5d4f3"),
        containers=[container("queue", "registry.example/queue:5")],
        spec={"affinity": affinity},
    )
    # https://github.com/klothoplatform/klotho/issues/553
    message = corpus_message("klotho-eks-nodegroup-selector-mismatch", "https://github.com/klothoplatform/klotho/issues/553")
    f = finding(diagnose(engine, cluster(nodes, target, failed_scheduling(target, message)), target), "node-selector-mismatch")
    terms = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]"
    assert evidence(f, f"{terms}.matchExpressions[0]") == [
        "topology.kubernetes.io/zon In [us-east-1a]: no node has a label topology.kubernetes.io/zon. Did you mean topology.kubernetes.io/zone?"
    ]
    assert not [s for s in f.remediation if s.text.startswith("Fix the node affinity")]


def claim(name, *, storage_class=..., phase="Pending"):
    spec = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "20Gi"}}}
    if storage_class is not ...:
        spec["storageClassName"] = storage_class
    return {
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name, "namespace": "shop", "uid": "pvc-" + name},
        "spec": spec,
        "status": {"phase": phase},
    }


def storage_class(name, *, default=False, mode="Immediate"):
    annotations = {"storageclass.kubernetes.io/is-default-class": "true"} if default else {}
    return {
        "kind": "StorageClass",
        "metadata": {"name": name, "annotations": annotations},
        "provisioner": "ebs.csi.aws.com",
        "volumeBindingMode": mode,
    }


def db_pod(*claims):
    volumes = [{"name": c, "persistentVolumeClaim": {"claimName": c}} for c in claims]
    return pending(
        "db-0", owner=("StatefulSet", "db"), containers=[container("postgres", "registry.example/postgres:16")], spec={"volumes": volumes}
    )


def test_claim_with_a_storage_class_that_does_not_exist(engine):
    target = db_pod("data-db-0", "wal-db-0")
    classes = [storage_class("fast-ssd"), storage_class("standard", default=True, mode="WaitForFirstConsumer")]
    # https://github.com/bitnami/charts/issues/1169
    message = corpus_message("bitnami-postgresql-unbound-pvc-legacy", "https://github.com/bitnami/charts/issues/1169")
    inv = cluster(
        classes,
        claim("data-db-0", storage_class="fast-sdd"),
        claim("wal-db-0", storage_class="standard"),
        target,
        failed_scheduling(target, message),
    )
    f = finding(diagnose(engine, inv, target), "unbound-pvc")
    assert evidence(f, f"{SCHEDULER}, counted per reason") == ["pod has unbound immediate PersistentVolumeClaims"]
    assert evidence(f, "persistentvolumeclaim shop/data-db-0") == [
        "phase Pending; StorageClass fast-sdd does not exist (classes: fast-ssd, standard; default: standard). Did you mean fast-ssd?"
    ]
    assert evidence(f, "persistentvolumeclaim shop/wal-db-0") == [
        "phase Pending; StorageClass standard exists (provisioner ebs.csi.aws.com, volumeBindingMode WaitForFirstConsumer); "
        "it binds only after the pod is scheduled, so this claim waits for the pod rather than blocking it"
    ]
    fix = f.remediation[0]
    assert fix.text.startswith("A claim's storageClassName cannot change: set storageClassName: fast-ssd in its manifest")
    assert fix.command == "kubectl -n shop delete pvc data-db-0"


def test_claim_without_class_and_no_default_class(engine):
    target = db_pod("data-db-0", "logs-db-0")
    # https://github.com/bitnami/charts/issues/1169
    message = corpus_message("bitnami-postgresql-unbound-pvc-legacy", "https://github.com/bitnami/charts/issues/1169")
    inv = cluster(storage_class("gp3"), storage_class("io2"), claim("data-db-0"), target, failed_scheduling(target, message))
    f = finding(diagnose(engine, inv, target), "unbound-pvc")
    assert evidence(f, "persistentvolumeclaim shop/data-db-0") == [
        "phase Pending; no storageClassName, and no StorageClass is marked default: nothing will provision it"
    ]
    assert evidence(f, "persistentvolumeclaim shop/logs-db-0") == ["does not exist in namespace shop"]
    fix = f.remediation[0]
    assert fix.text == (
        "Make a StorageClass the default (for example gp3), so claims without storageClassName get provisioned; "
        "a claim that already exists keeps no class: create it again."
    )
    assert (
        fix.command
        == "kubectl patch storageclass gp3 -p '{\"metadata\":{\"annotations\":{\"storageclass.kubernetes.io/is-default-class\":\"true\"}}}'"
    )


def test_no_scheduler_event_names_the_scheduler_it_waits_for(engine):
    nodes = [node("node-1")]
    target = pending(
        "etl-28374650-abcde",
        owner=("Job", "etl-28374650"),
        containers=[container("etl", "registry.example/etl:4")],
        spec={"schedulerName": "volcano"},
    )
    target["status"] = {"phase": "Pending"}  # no PodScheduled condition: no scheduler has looked at it
    volcano = pod(
        "volcano-scheduler-6f7d8-2xq9z",
        namespace="volcano-system",
        node_name="node-1",
        phase="Pending",
        statuses=[],
        containers=[container("volcano-scheduler", "docker.io/volcanosh/vc-scheduler:v1.9.0")],
    )
    f = finding(diagnose(engine, cluster(nodes, target, volcano), target), "unschedulable")
    assert evidence(f, "spec.schedulerName") == [
        "volcano: only that scheduler places this pod, and it has written no event about it (it is not running, or does not know this pod)"
    ]
    assert evidence(f, "pods named like the scheduler") == ["volcano-system/volcano-scheduler-6f7d8-2xq9z (Pending)"]
    assert f.remediation[0].command == "kubectl get pods -A -o wide | grep -F -- volcano"
    # a Job's pod template cannot change, so no patch is offered
    assert not any("patch" in (s.command or "") for s in f.remediation)


def test_scheduling_gates_are_listed(engine):
    # https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/pod/strategy.go
    message = corpus_message(
        "k8s-source-scheduling-gated-condition", "https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/pod/strategy.go"
    )
    gates = [{"name": "kueue.x-k8s.io/admission"}, {"name": "example.com/quota-check"}]
    target = pending(
        "train-28374650-zx9cv",
        owner=("Job", "train-28374650"),
        containers=[container("train", "registry.example/train:2")],
        spec={"schedulingGates": gates},
    )
    target["status"]["conditions"] = [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated", "message": message}]
    f = finding(diagnose(engine, cluster(node("node-1"), target), target), "scheduling-gated")
    assert evidence(f, "spec.schedulingGates") == [
        "kueue.x-k8s.io/admission",
        "2 gate(s): kueue.x-k8s.io/admission, example.com/quota-check; no scheduler looks at the pod until every gate is removed",
    ]


def test_no_event_for_the_default_scheduler_shows_its_pod(engine):
    nodes = [node("cp-1")]
    target = pending("api-5f4e3d2c1-b7n6m", owner=("ReplicaSet", "api-5f4e3d2c1"), containers=[container("api", "registry.example/api:1")])
    target["status"] = {"phase": "Pending"}
    scheduler = pod(
        "kube-scheduler-cp-1",
        namespace="kube-system",
        node_name="cp-1",
        phase="Pending",
        statuses=[],
        containers=[container("kube-scheduler", "registry.k8s.io/kube-scheduler:v1.30.2")],
    )
    f = finding(diagnose(engine, cluster(nodes, target, scheduler), target), "unschedulable")
    assert evidence(f, "kube-system pods") == ["the default scheduler: kube-system/kube-scheduler-cp-1 (Pending)"]
