"""Load the parts of the official `kubernetes` client k8sdoctor uses, without its eager package imports.

Why: `import kubernetes` runs kubernetes/__init__.py, which imports the config loader, which imports
`ApiClient`, which imports pydantic and the model machinery: about 240 ms. Touching a generated API
class (`CoreV1Api`) then builds hundreds of pydantic models: about 1.4 s more. A one-shot
`k8sdoctor diagnose pod` must start in a fraction of that. The pieces that matter for talking to a
cluster — the kubeconfig and in-cluster loaders, `Configuration` (TLS, proxies, auth plugins, token
refresh) and the REST layer (`RESTClientObject`, urllib3) — load in about 115 ms on their own.

How: when `kubernetes` is not imported yet, register package modules for `kubernetes` and
`kubernetes.client` that have the real `__path__` but do not run their `__init__` files, then import
the submodules we need. `kube_config` imports the name `ApiClient` at module level but only uses it in
helpers we never call; it gets a stand-in. The first access to any other `kubernetes.client` attribute
(a generated API class, `ApiClient`...) imports the real package, so code that needs the full client
still gets it. If anything here fails, we fall back to the plain import.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from dataclasses import dataclass


@dataclass(frozen=True)
class KubernetesClientParts:
    Configuration: type
    RESTClientObject: type
    ApiException: type
    ConfigException: type
    load_kube_config: object
    list_kube_config_contexts: object
    load_incluster_config: object


def _bare_package(name: str) -> types.ModuleType:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.submodule_search_locations is None:
        raise ImportError(name)
    module = types.ModuleType(name)
    module.__path__ = list(spec.submodule_search_locations)
    module.__spec__ = spec
    module.__file__ = spec.origin
    module.__package__ = name
    return module


_BARE = ("kubernetes", "kubernetes.client", "kubernetes.config")


def _full_client_attribute(name: str):
    """Any other `kubernetes.client` attribute: import the real packages, then make the bare module
    objects (which importers already hold) carry everything the real ones do."""
    bare = {mod: sys.modules.pop(mod) for mod in _BARE if getattr(sys.modules.get(mod), "__k8sdoctor_bare__", False)}
    importlib.import_module("kubernetes")
    # Submodules imported under the bare packages are attributes of those, not of the real ones.
    for module_name, module in list(sys.modules.items()):
        parent, _, child = module_name.rpartition(".")
        if parent.startswith("kubernetes") and parent in sys.modules and not hasattr(sys.modules[parent], child):
            setattr(sys.modules[parent], child, module)
    for mod, stand_in in bare.items():
        stand_in.__dict__.pop("ApiClient", None)  # the stand-in; the real package provides it lazily
        stand_in.__dict__.update(sys.modules[mod].__dict__)
        stand_in.__k8sdoctor_bare__ = False
    real_client = sys.modules["kubernetes.client"]
    sys.modules["kubernetes.config.kube_config"].ApiClient = real_client.ApiClient
    return getattr(real_client, name)


class _ApiClientStandIn:
    """Stands in for `kubernetes.client.ApiClient` inside `kube_config`, which k8sdoctor never asks to
    build one."""

    def __init__(self, *args, **kwargs) -> None:
        raise RuntimeError("k8sdoctor builds requests with the REST layer; use kubernetes.client.ApiClient directly")


def _lean_import() -> None:
    root = _bare_package("kubernetes")
    root.__k8sdoctor_bare__ = True  # type: ignore[attr-defined]
    sys.modules["kubernetes"] = root  # before looking up children: find_spec imports parents
    try:
        client = _bare_package("kubernetes.client")
        client.__k8sdoctor_bare__ = True  # type: ignore[attr-defined]
        client.__getattr__ = _full_client_attribute  # type: ignore[attr-defined]
        root.client = client  # type: ignore[attr-defined]
        sys.modules["kubernetes.client"] = client
        configuration = importlib.import_module("kubernetes.client.configuration")
        client.Configuration = configuration.Configuration  # type: ignore[attr-defined]
        client.ApiClient = _ApiClientStandIn  # type: ignore[attr-defined]
        root.config = _bare_package("kubernetes.config")  # type: ignore[attr-defined]
        root.config.__k8sdoctor_bare__ = True
        sys.modules["kubernetes.config"] = root.config
        importlib.import_module("kubernetes.config.kube_config")
    except Exception:
        for mod in [m for m in sys.modules if m == "kubernetes" or m.startswith("kubernetes.")]:
            del sys.modules[mod]
        raise


def client_parts() -> KubernetesClientParts:
    """The official client's configuration and REST pieces, imported as cheaply as possible."""
    if "kubernetes" not in sys.modules:
        try:
            _lean_import()
        except Exception:  # noqa: BLE001 - any surprise: the plain, slower import still works
            pass
    from kubernetes.client.configuration import Configuration
    from kubernetes.client.exceptions import ApiException
    from kubernetes.client.rest import RESTClientObject
    from kubernetes.config.config_exception import ConfigException
    from kubernetes.config.incluster_config import load_incluster_config
    from kubernetes.config.kube_config import list_kube_config_contexts, load_kube_config

    return KubernetesClientParts(
        Configuration, RESTClientObject, ApiException, ConfigException,
        load_kube_config, list_kube_config_contexts, load_incluster_config,
    )
