"""`k8sdoctor serve`: run inside a cluster (in-cluster config; a kubeconfig works too, for testing) with
the same informers and engine, and expose the findings on /metrics for Prometheus, /healthz and
/readyz for the kubelet, and, with --emit-events, as Kubernetes Events (a write: off by default)."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from argparse import Namespace

from k8sdoctor.errors import UsageError


def parse_listen(text: str) -> tuple[str, int]:
    """HOST:PORT, [IPv6]:PORT or :PORT (all addresses)."""
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or int(port) > 65535:
        raise UsageError(f'--listen "{text}": expected HOST:PORT, as in 127.0.0.1:8080 or 0.0.0.0:8080')
    host = host.strip("[]")
    return host or "0.0.0.0", int(port)


def _log_to_stderr() -> None:
    """serve runs in a pod: what it does goes to stderr (the container log), besides the log file."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("k8sdoctor.serve")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def run_serve(args: Namespace) -> int:
    from k8sdoctor.cli.sources import load_engine, open_client
    from k8sdoctor.serve.diagnoser import ClusterDiagnoser
    from k8sdoctor.serve.events import EventEmitter
    from k8sdoctor.serve.http import MetricsServer, make_app
    from k8sdoctor.serve.metrics import ServeMetrics

    if args.snapshot:
        raise UsageError("serve watches a live cluster; --snapshot does not apply")
    host, port = parse_listen(args.listen)
    _log_to_stderr()
    engine = load_engine(args)
    client = open_client(args)
    namespace = None if getattr(args, "all_namespaces", False) or not args.namespace else args.namespace
    metrics = ServeMetrics()
    diagnoser = ClusterDiagnoser(
        client, engine, namespace, interval=args.interval, max_series=args.max_series, on_duration=metrics.latency.observe
    )
    if args.emit_events:
        if args.read_only:
            raise UsageError("--emit-events writes Events; it cannot be used with --read-only")
        emitter = EventEmitter(
            client, diagnoser.view.inventory, per_object=args.event_interval, on_result=lambda r: metrics.events.labels(r).inc()
        )
        diagnoser.on_pass, diagnoser.on_tick = emitter.update, emitter.flush
    metrics.watch(diagnoser)
    server = MetricsServer(make_app(metrics.registry, diagnoser.healthy, diagnoser.ready), host, port)
    try:
        bound = server.start()
    except OSError as exc:
        raise UsageError(f"--listen {args.listen}: {(exc.strerror or type(exc).__name__).lower()}") from None
    scope = "all namespaces" if namespace is None else f"namespace {namespace}"
    print(
        f"k8sdoctor serve: {client.identity.context} ({scope}); listening on http://{host}:{bound} (/metrics, /healthz, /readyz)",
        file=sys.stderr,
        flush=True,
    )
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_a: stop.set())
    diagnoser.start()
    try:
        stop.wait()
    finally:
        diagnoser.stop()
        server.stop()
    return 0
