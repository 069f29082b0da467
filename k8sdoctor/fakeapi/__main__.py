"""`python -m k8sdoctor.fakeapi --scenario FILE [--port N] [--tls] [--kubeconfig-out PATH]`

Serves a scenario until interrupted. Prints the URL (and the kubeconfig path) on stdout, one per line.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from pathlib import Path

from k8sdoctor.fakeapi.scenario import ScenarioError
from k8sdoctor.fakeapi.server import FakeApiServer


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m k8sdoctor.fakeapi", description="Serve a scenario as a local Kubernetes API server.")
    parser.add_argument("--scenario", type=Path, action="append", default=[], help="scenario YAML file (repeatable)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    parser.add_argument("--tls", action="store_true", help="HTTPS with a throw-away CA, and bearer tokens")
    parser.add_argument("--kubeconfig-out", type=Path, help="write an admin kubeconfig for the server here")
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    server = FakeApiServer(tls=args.tls, host=args.host, port=args.port, record_requests=False)
    for path in args.scenario:
        server.load_scenario(path)
    url = await server.start_async()
    print(f"serving {url}", flush=True)
    if args.kubeconfig_out:
        print(f"kubeconfig {server.write_kubeconfig(args.kubeconfig_out)}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await server.stop_async()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        asyncio.run(serve(args))
    except (ScenarioError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
