"""Rollout correlation: the failing pod is the newest revision of its Deployment, the previous one
runs healthy, so k8sdoctor offers `kubectl rollout undo` with what changed between them."""

from __future__ import annotations

from tests.analyzers.builders import cluster, container, corpus_message, diagnose, event, evidence, finding, node, pod, uid, waiting_pod

DEPLOYMENT_UID = "d0000000-0000-4000-8000-000000000001"


def replicaset(name, revision, image, *, ready, replicas, env=None):
    template_container = {"name": "kubectl", "image": image, **({"env": env} if env else {})}
    return {
        "kind": "ReplicaSet",
        "metadata": {
            "name": name,
            "namespace": "shop",
            "uid": uid(),
            "annotations": {"deployment.kubernetes.io/revision": str(revision)},
            "ownerReferences": [
                {"apiVersion": "apps/v1", "kind": "Deployment", "name": "kubectl-runner", "uid": DEPLOYMENT_UID, "controller": True}
            ],
        },
        "spec": {
            "replicas": replicas,
            "template": {"metadata": {"labels": {"app": "kubectl-runner"}}, "spec": {"containers": [template_container]}},
        },
        "status": {"replicas": replicas, "readyReplicas": ready},
    }


def pulling(name, image):
    """A pod of the ReplicaSet its name starts with, on worker-1, that cannot pull `image`."""
    return waiting_pod(name, [container("kubectl", image)], "ImagePullBackOff")


def test_newest_revision_fails_while_the_previous_one_runs(engine):
    old_image, new_image = "lachlanevenson/k8s-kubectl:v1.18.19", "lachlanevenson/k8s-kubectl:v1.18.20"
    sets = [
        replicaset("kubectl-runner-5d8c7f6b4", 2, "lachlanevenson/k8s-kubectl:v1.17.9", ready=0, replicas=0),
        replicaset("kubectl-runner-7c9d8e6f5", 3, old_image, ready=2, replicas=2),
        replicaset(
            "kubectl-runner-6b5d8c7f9", 4, new_image, ready=0, replicas=1, env=[{"name": "KUBECONFIG", "value": "/etc/kube/config"}]
        ),
    ]
    healthy = [
        pod(
            f"kubectl-runner-7c9d8e6f5-{s}",
            node_name="worker-2",
            owner=("ReplicaSet", "kubectl-runner-7c9d8e6f5"),
            containers=[container("kubectl", old_image)],
        )
        for s in ("a1b2c", "d3e4f")
    ]
    failing = pulling("kubectl-runner-6b5d8c7f9-p4q5r", new_image)
    # https://github.com/lachie83/k8s-kubectl/issues/157
    message = corpus_message("k8s-kubectl-image-tag-manifest-unknown", "https://github.com/lachie83/k8s-kubectl/issues/157")
    inv = cluster(
        node("worker-1"), node("worker-2"), sets, healthy, failing, event(failing, message, field_path="spec.containers{kubectl}")
    )
    result = diagnose(engine, inv, failing)
    assert (result.owner, result.revision) == ({"kind": "Deployment", "name": "kubectl-runner"}, "4")
    f = finding(result, "image-not-found")
    assert evidence(
        f, "replicasets shop/kubectl-runner-7c9d8e6f5 and kubectl-runner-6b5d8c7f9 metadata.annotations[deployment.kubernetes.io/revision]"
    ) == [
        "this pod runs revision 4 of deployment/kubectl-runner, the newest; revision 3 (replicaset kubectl-runner-7c9d8e6f5) has 2/2 ready replicas"
    ]
    assert evidence(f, "replicasets kubectl-runner-7c9d8e6f5 → kubectl-runner-6b5d8c7f9 spec.template.spec") == [
        f"image kubectl: {old_image} → {new_image}; kubectl: env changed"
    ]
    undo = f.remediation[0]
    assert (
        undo.text
        == f"Roll deployment/kubectl-runner back to revision 3, which runs healthy (kubectl: {old_image} → {new_image} is undone), while you fix the new revision."
    )
    assert undo.command == "kubectl rollout undo deployment/kubectl-runner -n shop --to-revision=3"
    # the image analyzer, on the same finding, found the previous tag in the healthy pods
    assert evidence(f, "images on nodes (status.images) and in pod specs")[-1] == (
        "did you mean lachlanevenson/k8s-kubectl:v1.18.19? It is in 2 pods (shop/kubectl-runner-7c9d8e6f5-a1b2c, shop/kubectl-runner-7c9d8e6f5-d3e4f)"
    )


def test_no_undo_when_the_previous_revision_is_not_healthy_either(engine):
    sets = [
        replicaset("kubectl-runner-7c9d8e6f5", 3, "lachlanevenson/k8s-kubectl:v1.18.19", ready=0, replicas=2),
        replicaset("kubectl-runner-6b5d8c7f9", 4, "lachlanevenson/k8s-kubectl:v1.18.20", ready=0, replicas=1),
    ]
    failing = pulling("kubectl-runner-6b5d8c7f9-p4q5r", "lachlanevenson/k8s-kubectl:v1.18.20")
    # https://github.com/lachie83/k8s-kubectl/issues/157
    message = corpus_message("k8s-kubectl-image-tag-manifest-unknown", "https://github.com/lachie83/k8s-kubectl/issues/157")
    f = finding(diagnose(engine, cluster(node("worker-1"), sets, failing, event(failing, message)), failing), "image-not-found")
    assert not any("rollout undo" in (s.command or "") for s in f.remediation)


def test_an_older_revision_failing_is_not_blamed_on_the_rollout(engine):
    sets = [
        replicaset("kubectl-runner-7c9d8e6f5", 3, "lachlanevenson/k8s-kubectl:v1.18.19", ready=2, replicas=2),
        replicaset("kubectl-runner-6b5d8c7f9", 4, "lachlanevenson/k8s-kubectl:v1.18.20", ready=2, replicas=2),
    ]
    failing = pulling("kubectl-runner-7c9d8e6f5-zz9yy", "lachlanevenson/k8s-kubectl:v1.18.19")
    f = finding(diagnose(engine, cluster(node("worker-1"), sets, failing), failing), "pull-error")
    assert not any("rollout undo" in (s.command or "") for s in f.remediation)


def test_previous_revision_health_from_its_pods_when_status_is_missing(engine):
    old = replicaset("kubectl-runner-7c9d8e6f5", 3, "lachlanevenson/k8s-kubectl:v1.18.19", ready=0, replicas=1)
    del old["status"]
    new = replicaset("kubectl-runner-6b5d8c7f9", 4, "lachlanevenson/k8s-kubectl:v1.18.20", ready=0, replicas=1)
    del new["spec"]["template"]["spec"]["containers"][0]["image"]
    running = pod(
        "kubectl-runner-7c9d8e6f5-a1b2c",
        node_name="worker-2",
        owner=("ReplicaSet", "kubectl-runner-7c9d8e6f5"),
        containers=[container("kubectl", "lachlanevenson/k8s-kubectl:v1.18.19")],
    )
    failing = pulling("kubectl-runner-6b5d8c7f9-p4q5r", "lachlanevenson/k8s-kubectl:v1.18.20")
    f = finding(diagnose(engine, cluster(node("worker-1"), node("worker-2"), old, new, running, failing), failing), "pull-error")
    assert evidence(
        f, "replicasets shop/kubectl-runner-7c9d8e6f5 and kubectl-runner-6b5d8c7f9 metadata.annotations[deployment.kubernetes.io/revision]"
    ) == [
        "this pod runs revision 4 of deployment/kubectl-runner, the newest; revision 3 (replicaset kubectl-runner-7c9d8e6f5) has 1/1 ready replicas"
    ]
    assert evidence(f, "replicasets kubectl-runner-7c9d8e6f5 → kubectl-runner-6b5d8c7f9 spec.template.spec") == [
        "image kubectl: lachlanevenson/k8s-kubectl:v1.18.19 → (none)"
    ]
