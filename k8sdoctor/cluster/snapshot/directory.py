"""A directory written by `kubectl cluster-info dump --output-directory DIR`.

kubectl's pkg/cmd/clusterinfo/clusterinfo_dump.go writes, with the extension of its -o format (.json by
default, .yaml for -o yaml):

    DIR/nodes.json
    DIR/<ns>/events.json, replication-controllers.json, services.json, daemonsets.json, deployments.json,
             replicasets.json, pods.json
    DIR/<ns>/<pod>/logs.txt      log blocks of each init container and container (see log_blocks.py)

The dump holds no claims, classes, quotas, Ingresses, autoscalers or Jobs; other `.json` and `.yaml` files
at the top of the directory are read as `kubectl get ... -o json|yaml` output, so those kinds can be added
beside a dump (`kubectl get pvc,sc,ingress,hpa,jobs -A -o json > DIR/more.json`). Every file is optional;
files of other names are ignored.
"""

from __future__ import annotations

import os

from .files import MAX_SNAPSHOT_BYTES, read_file, regular_files, subdirectories, too_large, total_size
from .fill import InventoryFiller
from .problems import BadInput
from .stream import read_stream

_NAMESPACE_FILES = ("events", "replication-controllers", "services", "daemonsets", "deployments", "replicasets", "pods")
_EXTENSIONS = (".json", ".yaml")


def read_dump_directory(root: str, filler: InventoryFiller) -> None:
    """Feed every cluster-info dump file under `root` to `filler`."""
    files = _dump_files(root)
    if not files:
        raise BadInput("", "no nodes.json, */pods.json or other cluster-info dump files found")
    size = total_size(root, files)
    if size > MAX_SNAPSHOT_BYTES:
        raise BadInput("", f"the dump's files together {too_large(size)}")
    budget = MAX_SNAPSHOT_BYTES
    for relative in files:
        data = read_file(os.path.join(root, relative), relative, budget)
        budget -= len(data)
        read_stream(data, filler, relative)


def _dump_files(root: str) -> list[str]:
    """Paths, relative to root and "/"-separated, of the dump files present, in the order kubectl writes them."""
    files = [f"nodes{ext}" for ext in _EXTENSIONS if os.path.isfile(os.path.join(root, f"nodes{ext}"))]
    files += [name for name in regular_files(root, "") if name.endswith(_EXTENSIONS) and not name.startswith("nodes.")]
    for namespace in subdirectories(root, ""):
        ns_dir = os.path.join(root, namespace)
        files += [
            f"{namespace}/{name}{ext}"
            for name in _NAMESPACE_FILES
            for ext in _EXTENSIONS
            if os.path.isfile(os.path.join(ns_dir, f"{name}{ext}"))
        ]
        files += [
            f"{namespace}/{pod}/logs.txt"
            for pod in subdirectories(ns_dir, namespace)
            if os.path.isfile(os.path.join(ns_dir, pod, "logs.txt"))
        ]
    return files
