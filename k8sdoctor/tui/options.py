"""What the command line asks of the TUI."""

from __future__ import annotations

from argparse import Namespace
from dataclasses import dataclass


@dataclass(frozen=True)
class TuiOptions:
    kubeconfig: str | None = None
    context: str | None = None
    namespace: str | None = None
    all_namespaces: bool = False
    selector: str | None = None
    snapshot: str | None = None
    playbooks: tuple[str, ...] = ()
    read_only: bool = False
    request_timeout: float = 30.0

    @classmethod
    def from_args(cls, args: Namespace) -> TuiOptions:
        return cls(
            kubeconfig=args.kubeconfig,
            context=args.context,
            namespace=args.namespace,
            all_namespaces=bool(getattr(args, "all_namespaces", False)),
            selector=getattr(args, "selector", None),
            snapshot=args.snapshot,
            playbooks=tuple(getattr(args, "playbooks", None) or ()),
            read_only=bool(getattr(args, "read_only", False)),
            request_timeout=float(getattr(args, "request_timeout", 30.0)),
        )
