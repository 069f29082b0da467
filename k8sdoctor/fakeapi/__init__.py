"""A faithful local Kubernetes API server (aiohttp) for the tests, the demo and the benchmarks.

    from k8sdoctor.fakeapi import FakeApiServer, Rule

    with FakeApiServer(tls=True) as server:
        server.load_scenario("scenario.yaml")
        server.write_kubeconfig(tmp / "kubeconfig")       # admin; kubectl and the client both accept it
        token = server.add_user("alice", [Rule(verbs=("get", "list"), resources=("pods",), namespaces=("shop",))])
        server.fail("events", 403, times=1)

See `server.FakeApiServer` for the control API and `scenario` for the scenario format. The names below
are imported on first use, so a submodule that needs no aiohttp can be imported without it.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "FakeApiServer": "k8sdoctor.fakeapi.server",
    "Fault": "k8sdoctor.fakeapi.faults",
    "RecordedRequest": "k8sdoctor.fakeapi.handlers",
    "Rule": "k8sdoctor.fakeapi.auth",
    "ScenarioError": "k8sdoctor.fakeapi.scenario",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
