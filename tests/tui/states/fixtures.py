"""API server messages for the connection states, each copied from a public report (cited) or from
k8sdoctor's own client where k8sdoctor writes the message."""

from __future__ import annotations

#: https://github.com/lwolf/kube-cleanup-operator/issues/81 (a reflector's failed pod list, verbatim)
FORBIDDEN_PODS = 'pods is forbidden: User "system:serviceaccount:default:cleanup-operator" cannot list resource "pods" in API group "" in the namespace "default"'

#: https://github.com/xpipe-io/xpipe/issues/127 (issue title; the "nodes is forbidden: User ..." prefix is
#: the API server's fixed format around it, as in the message above)
FORBIDDEN_NODES = 'nodes is forbidden: User "system:serviceaccount:default:cleanup-operator" cannot list resource "nodes" in API group "" at the cluster scope'

#: k8sdoctor's own wording (cluster/live/client.py `_transport_error`) around the OS error text of a
#: refused TCP connection.
REFUSED = "cannot reach the API server at https://127.0.0.1:6443: [Errno 111] Connection refused"
