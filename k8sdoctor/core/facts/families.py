"""Every module that registers fields for a family of subject kinds (see `kind_fields.py`). Importing this
module registers them all."""

from __future__ import annotations

from k8sdoctor.core.facts import autoscaling, ingress, nodes, services, storage, workloads  # noqa: F401
