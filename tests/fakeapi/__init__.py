"""Tests of k8sdoctor.fakeapi, the local Kubernetes API server."""
