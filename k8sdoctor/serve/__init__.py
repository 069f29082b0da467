"""`k8sdoctor serve`: the same informers and engine, run inside a cluster, exposing the findings to
Prometheus (`/metrics`), health endpoints for the kubelet, and optionally Kubernetes Events."""
