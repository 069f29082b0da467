"""k8sdoctor: a terminal troubleshooting assistant for Kubernetes."""

__version__ = "0.1.0"
