"""Open what a command reads: a snapshot file or directory, or the live cluster."""

from __future__ import annotations

from argparse import Namespace

from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.suggest import close_names
from k8sdoctor.errors import NotFoundError, UserError


def load_engine(args: Namespace):
    from k8sdoctor.core.engine import Engine
    from k8sdoctor.playbook_files import load_playbooks

    return Engine(load_playbooks(getattr(args, "playbooks", []) or []).playbooks)


def open_client(args: Namespace):
    """A KubeClient for the kubeconfig/context the arguments name, with their request timeout."""
    from k8sdoctor.cluster.live.client import KubeClient

    read = getattr(args, "request_timeout", 30.0)
    return KubeClient(args.kubeconfig, args.context, timeout=(min(5.0, read), read))


def _snapshot(args: Namespace) -> Inventory:
    from k8sdoctor.cluster.snapshot import load_snapshot

    inventory, _info = load_snapshot(args.snapshot)
    return inventory


def inventory_for_pod(args: Namespace, name: str) -> tuple[Inventory, str]:
    """The inventory holding pod NAME and its context; returns (inventory, namespace)."""
    if args.snapshot:
        inv = _snapshot(args)
        if args.namespace:
            ns = args.namespace
        else:
            matches = sorted({k[0] for k in inv.pods if k[1] == name})
            if len(matches) > 1:
                raise UserError(f'pod "{name}" is in several namespaces of the snapshot ({", ".join(matches)}); pick one with -n')
            ns = matches[0] if matches else "default"
        if (ns, name) not in inv.pods:
            names = [k[1] for k in inv.pods if k[0] == ns]
            raise NotFoundError(f'pod "{name}" not found in namespace "{ns}" of snapshot {args.snapshot}', close_names(name, names))
        return inv, ns
    from k8sdoctor.cluster.live.fetch import LiveFetcher

    client = open_client(args)
    ns = args.namespace or client.identity.namespace
    fetcher = LiveFetcher(client)
    try:
        return fetcher.pod(ns, name), ns
    except NotFoundError as exc:
        raise NotFoundError(str(exc), close_names(name, exc.suggestions)) from None


def inventory_for_scan(args: Namespace) -> tuple[Inventory, str | None]:
    """The inventory for `diagnose pods`; returns (inventory, namespace or None for all)."""
    all_ns = getattr(args, "all_namespaces", False)
    selector = getattr(args, "selector", None)
    if args.snapshot:
        inv = _snapshot(args)
        ns = None if all_ns else (args.namespace or None)
        if ns is not None or selector:
            from k8sdoctor.core.kube.selectors import parse_label_selector

            try:
                match = parse_label_selector(selector) if selector else None
            except ValueError as exc:
                raise UserError(f"-l {selector}: {exc}") from None
            for key in list(inv.pods):
                pod = inv.pods[key]
                labels = (pod.get("metadata") or {}).get("labels") or {}
                if (ns is not None and key[0] != ns) or (match is not None and not match(labels)):
                    inv.delete_pod(pod)
        return inv, ns
    from k8sdoctor.cluster.live.fetch import LiveFetcher

    client = open_client(args)
    ns = None if all_ns else (args.namespace or client.identity.namespace)
    return LiveFetcher(client).scan(ns, selector), ns


def _scope(args: Namespace, client=None) -> str | None:
    """The namespace a command is about, None for all (-A)."""
    if getattr(args, "all_namespaces", False):
        return None
    return args.namespace or (client.identity.namespace if client is not None else None)


def inventory_for_kinds(args: Namespace) -> tuple[Inventory, str | None]:
    """The inventory for `diagnose all` and `diagnose KINDS`: the pod scan plus every other kind in the
    namespace (or all of them), and cluster-scoped kinds; returns (inventory, namespace or None)."""
    if args.snapshot:
        inv, ns = inventory_for_scan(args)
        return inv, ns
    from k8sdoctor.cluster.live.fetch import LiveFetcher
    from k8sdoctor.cluster.live.fetch_kinds import kinds_into

    client = open_client(args)
    ns = _scope(args, client)
    fetcher = LiveFetcher(client)
    inv = fetcher.scan(ns, getattr(args, "selector", None))
    kinds_into(fetcher, inv, ns)
    return inv, ns


def inventory_for_object(args: Namespace, kind: str, name: str) -> tuple[Inventory, dict]:
    """The inventory holding one object of `kind` and what its diagnosis reads; returns (inventory, object)."""
    from k8sdoctor.core.kube.kinds import BY_KIND

    info = BY_KIND[kind]
    if args.snapshot:
        inv = _snapshot(args)
        if info.namespaced:
            matches = sorted({o["metadata"].get("namespace", "") for o in inv.all(kind) if (o.get("metadata") or {}).get("name") == name})
            ns = args.namespace or (matches[0] if len(matches) == 1 else "default")
            if not args.namespace and len(matches) > 1:
                raise UserError(
                    f'{info.singular} "{name}" is in several namespaces of the snapshot ({", ".join(matches)}); pick one with -n'
                )
        else:
            ns = ""
        obj = inv.get(kind, ns, name)
        if obj is None:
            where = f' in namespace "{ns}"' if info.namespaced else ""
            raise NotFoundError(
                f'{info.singular} "{name}" not found{where} of snapshot {args.snapshot}', close_names(name, inv.names(kind, ns))
            )
        return inv, obj
    from k8sdoctor.cluster.live.fetch import LiveFetcher
    from k8sdoctor.cluster.live.fetch_kinds import kinds_into, object_into

    client = open_client(args)
    ns = (args.namespace or client.identity.namespace) if info.namespaced else ""
    fetcher = LiveFetcher(client)
    probe = Inventory()
    try:
        object_into(fetcher, probe, kind, ns, name)  # fails fast, with close names, when it does not exist
    except NotFoundError as exc:
        raise NotFoundError(str(exc), close_names(name, exc.suggestions)) from None
    inv = fetcher.scan(ns if info.namespaced else None)
    kinds_into(fetcher, inv, ns if info.namespaced else None)
    inv.merge(probe)
    obj = inv.get(kind, ns, name)
    assert obj is not None
    return inv, obj
