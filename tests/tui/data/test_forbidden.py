"""Reading the missing permission out of the API server's 403 message."""

from __future__ import annotations

from k8sdoctor.model.forbidden import missing_permission
from tests.tui.states.fixtures import FORBIDDEN_NODES, FORBIDDEN_PODS


def test_namespaced_list():
    perm = missing_permission(FORBIDDEN_PODS)
    assert (perm.verb, perm.resource, perm.namespace) == ("list", "pods", "default")
    assert perm.can_i == "kubectl auth can-i list pods -n default"
    assert perm.needed == 'list and watch on pods in namespace "default"'


def test_cluster_scope():
    perm = missing_permission(FORBIDDEN_NODES)
    assert (perm.verb, perm.resource, perm.namespace) == ("list", "nodes", None)
    assert perm.can_i == "kubectl auth can-i list nodes --all-namespaces"
    assert "cluster scope" in perm.needed


def test_api_group_is_kept_and_other_text_is_not_guessed():
    # https://github.com/mikkeloscar/pdb-controller/issues/31 has the same shape for a grouped resource
    perm = missing_permission(
        'poddisruptionbudgets.policy is forbidden: User "system:serviceaccount:kube-system:pdb-controller" '
        'cannot list resource "poddisruptionbudgets" in API group "policy" at the cluster scope'
    )
    assert perm.resource == "poddisruptionbudgets.policy"
    assert missing_permission("the server has asked for the client to provide credentials") is None


def test_the_can_i_command_quotes_what_it_read_from_the_message():
    """The resource and namespace come from the API server's text: quoted for the shell."""
    perm = missing_permission(FORBIDDEN_PODS.replace('namespace "default"', 'namespace "de fault;id"'))
    assert perm.can_i == "kubectl auth can-i list pods -n 'de fault;id'"
