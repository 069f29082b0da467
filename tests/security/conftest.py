"""Security tests share the CLI fixtures (the demo cluster on HTTPS with tokens, the CLI runner)."""

from tests.cli.conftest import demo_kubeconfig, demo_server, kubectl, run_cli  # noqa: F401
