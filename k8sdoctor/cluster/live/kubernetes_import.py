"""Load the parts of the official `kubernetes` client k8sdoctor uses, without its eager package imports.

Why: `import kubernetes` runs kubernetes/__init__.py, which imports the config loader, which imports
`ApiClient`, which imports pydantic and the model machinery: about 240 ms. Touching a generated API
class (`CoreV1Api`) then builds hundreds of pydantic models: about 1.4 s more. A one-shot
`k8sdoctor diagnose pod` must start in a fraction of that. The pieces that matter for talking to a
cluster — the kubeconfig and in-cluster loaders, `Configuration` (TLS, proxies, auth plugins, token
refresh) and the REST layer (`RESTClientObject`, urllib3) — load in about 100 ms on their own.

How: when `kubernetes` is not imported yet, register package modules for `kubernetes`,
`kubernetes.client`, `kubernetes.config` and `kubernetes.utils` that have the real `__path__` but do not
run their `__init__` files, then import the submodules we need. The first access to any other
`kubernetes.client` attribute (a generated API class, `ApiClient`...) imports the real package, so code
that needs the full client still gets it. If anything here fails, we fall back to the plain import.

`kube_config` also imports, at module level, three things it uses only to refresh an expired token of
the legacy `oidc` auth provider: `ApiClient` (the full client), `requests_oauthlib.OAuth2Session` and
`oauthlib.oauth2` (requests, oauthlib and their dependencies: about 25 ms). It gets deferred stand-ins
for those: calling one imports the real thing and returns what it would have, so that refresh still
works, at its full import cost, for the users who need it.

Three imports on the way cost a one-shot `diagnose pod` about 15 ms and serve nothing it does:
`urllib3.http2` imports `importlib.metadata` (about 10 ms) for one function that checks the `h2`
package's version when someone turns HTTP/2 on; `configuration` imports `multiprocessing` for
`cpu_count` and `typing_extensions` for two annotations. While those modules import, they get
stand-ins (`_STAND_INS`): a deferred `importlib.metadata.version`, the standard library's own
`multiprocessing.cpu_count` (`os.cpu_count`, or NotImplementedError), `typing.Self` and
`typing.NotRequired` (the very objects `typing_extensions` exports on Python 3.11+). A module already
imported is used as it is; the stand-ins leave `sys.modules` afterwards, so any later import gets the
real module.

Exec credential plugins (`users[].user.exec`) run through the client's `ExecProvider`, which waits for
the plugin with no time limit: a plugin that hangs would hang k8sdoctor. Its `subprocess` is given a
`Popen` whose wait ends after `exec_plugin_timeout` seconds (config.yaml, default 60): the plugin is
killed and the error names it (`exec_plugin_failures`).
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import subprocess
import sys
import threading
import types
from collections.abc import Callable
from typing import Any, NamedTuple


class KubernetesClientParts(NamedTuple):
    Configuration: type
    RESTClientObject: type
    ApiException: type[Exception]
    ConfigException: type[Exception]
    load_kube_config: Callable[..., Any]
    list_kube_config_contexts: Callable[..., Any]
    KubeConfigMerger: type  # reads (and merges) the kubeconfig files
    KubeConfigLoader: type  # loads a context of the merged config into a Configuration
    load_incluster_config: Callable[..., Any]


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


_BARE = ("kubernetes", "kubernetes.client", "kubernetes.config", "kubernetes.utils")


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
        stand_in.__dict__.update(sys.modules[mod].__dict__)
        setattr(stand_in, "__k8sdoctor_bare__", False)  # noqa: B010 (a module attribute mypy cannot know)
    real_client = sys.modules["kubernetes.client"]
    setattr(sys.modules["kubernetes.config.kube_config"], "ApiClient", real_client.ApiClient)  # noqa: B010
    return getattr(real_client, name)


class _DeferredApiClient:
    """`kubernetes.client.ApiClient` as `kube_config` sees it: building one loads the full client."""

    def __new__(cls, *args, **kwargs):
        return _full_client_attribute("ApiClient")(*args, **kwargs)


class _DeferredOAuth2Session:
    """`requests_oauthlib.OAuth2Session` as `kube_config` sees it: building one imports the real one."""

    def __new__(cls, *args, **kwargs):
        from requests_oauthlib import OAuth2Session  # type: ignore[import-untyped]

        return OAuth2Session(*args, **kwargs)


def _deferred_version(distribution_name: str) -> str:
    """`importlib.metadata.version`, imported when first called."""
    from importlib.metadata import version

    return version(distribution_name)


def _cpu_count() -> int:
    """`multiprocessing.cpu_count`, as the standard library defines it."""
    count = os.cpu_count()
    if count is None:
        raise NotImplementedError("cannot determine number of cpus")
    return count


def _stand_in(name: str, **attributes: Any) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    return module


def _stand_ins() -> dict[str, types.ModuleType]:
    """The stand-ins of the module docstring, for modules not imported yet."""
    import typing

    made = {
        "importlib.metadata": _stand_in("importlib.metadata", version=_deferred_version),
        "multiprocessing": _stand_in("multiprocessing", cpu_count=_cpu_count),
    }
    if sys.version_info >= (3, 11):  # where typing_extensions exports typing's own objects
        made["typing_extensions"] = _stand_in("typing_extensions", Self=typing.Self, NotRequired=typing.NotRequired)
    return {name: module for name, module in made.items() if name not in sys.modules}


@contextlib.contextmanager
def _standing_in(stand_ins: dict[str, types.ModuleType]):
    """`stand_ins` in `sys.modules` while the block imports; then gone (unless replaced meanwhile)."""
    sys.modules.update(stand_ins)
    try:
        yield
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


def _import_kube_config(client: types.ModuleType) -> None:
    """Import `kube_config` with its OIDC-refresh dependencies deferred (see the module docstring)."""
    importlib.import_module("oauthlib")  # cheap: kube_config binds this package; `oauth2` comes later
    stand_ins = {"requests_oauthlib": types.ModuleType("requests_oauthlib"), "oauthlib.oauth2": types.ModuleType("oauthlib.oauth2")}
    stand_ins["requests_oauthlib"].OAuth2Session = _DeferredOAuth2Session  # type: ignore[attr-defined]
    stand_ins = {name: module for name, module in stand_ins.items() if name not in sys.modules}
    sys.modules.update(stand_ins)
    client.ApiClient = _DeferredApiClient  # type: ignore[attr-defined]
    try:
        importlib.import_module("kubernetes.config.kube_config")
    finally:
        del client.ApiClient  # from now on `kubernetes.client.ApiClient` is the real one
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


def _lean_import() -> None:
    root = _bare_package("kubernetes")
    root.__k8sdoctor_bare__ = True  # type: ignore[attr-defined]
    sys.modules["kubernetes"] = root  # before looking up children: find_spec imports parents
    try:
        client = _bare_package("kubernetes.client")
        client.__k8sdoctor_bare__ = True  # type: ignore[attr-defined]
        setattr(client, "__getattr__", _full_client_attribute)  # noqa: B010 (a module's __getattr__, PEP 562)
        root.client = client  # type: ignore[attr-defined]
        sys.modules["kubernetes.client"] = client
        for name in ("config", "utils"):  # rest.py needs two small modules of kubernetes.utils
            package = _bare_package(f"kubernetes.{name}")
            package.__k8sdoctor_bare__ = True  # type: ignore[attr-defined]
            setattr(root, name, package)
            sys.modules[f"kubernetes.{name}"] = package
        configuration = importlib.import_module("kubernetes.client.configuration")
        client.Configuration = configuration.Configuration  # type: ignore[attr-defined]
        _import_kube_config(client)
    except Exception:
        for mod in [m for m in sys.modules if m == "kubernetes" or m.startswith("kubernetes.")]:
            del sys.modules[mod]
        raise


class ExecPluginTimeout(Exception):
    """An exec credential plugin did not finish in time (it was killed)."""


#: Why exec plugins failed, newest last (the client logs and swallows the error; KubeClient reports it).
exec_plugin_failures: list[str] = []
_failures_lock = threading.Lock()


def _exec_plugin_timeout() -> float:
    from k8sdoctor.config import load_settings

    return load_settings().exec_plugin_timeout


class _TimedPopen(subprocess.Popen):
    """`Popen` whose `communicate` gives up, and kills the process, after the exec plugin timeout."""

    def communicate(self, input=None, timeout=None):
        limit = timeout if timeout is not None else _exec_plugin_timeout()
        try:
            return super().communicate(input, timeout=limit)
        except subprocess.TimeoutExpired:
            self.kill()
            with contextlib.suppress(Exception):
                super().communicate(timeout=5)
            command = self.args[0] if isinstance(self.args, (list, tuple)) and self.args else self.args
            message = f"the exec credential plugin {os.fsdecode(command) if isinstance(command, (str, bytes)) else command} did not finish within {limit:g} s (exec_plugin_timeout in config.yaml)"
            with _failures_lock:
                exec_plugin_failures.append(message)
            raise ExecPluginTimeout(message) from None


def _time_exec_plugins() -> None:
    module = sys.modules.get("kubernetes.config.exec_provider")
    if module is None or getattr(module.subprocess, "Popen", None) is _TimedPopen:
        return
    timed = types.ModuleType("subprocess")
    timed.__dict__.update(subprocess.__dict__)
    timed.Popen = _TimedPopen  # type: ignore[attr-defined]
    module.subprocess = timed  # type: ignore[attr-defined]


_IMPORT_LOCK = threading.Lock()
_parts: KubernetesClientParts | None = None


def client_parts() -> KubernetesClientParts:
    """The official client's configuration and REST pieces, imported as cheaply as possible, once: the
    lean import rewires modules, so two threads (several contexts scanned at once) must not race it."""
    global _parts
    if _parts is None:
        with _IMPORT_LOCK:
            if _parts is None:
                _parts = _import_parts()
    return _parts


def _import_parts() -> KubernetesClientParts:
    with _standing_in(_stand_ins()):
        import urllib3  # noqa: F401 - first, under the stand-ins

        if "kubernetes" not in sys.modules:
            with contextlib.suppress(Exception):
                _lean_import()
        from kubernetes.client.configuration import Configuration
        from kubernetes.client.exceptions import ApiException
        from kubernetes.client.rest import RESTClientObject
        from kubernetes.config.config_exception import ConfigException
        from kubernetes.config.incluster_config import load_incluster_config
        from kubernetes.config.kube_config import KubeConfigLoader, KubeConfigMerger, list_kube_config_contexts, load_kube_config

    _time_exec_plugins()
    return KubernetesClientParts(
        Configuration,
        RESTClientObject,
        ApiException,
        ConfigException,
        load_kube_config,
        list_kube_config_contexts,
        KubeConfigMerger,
        KubeConfigLoader,
        load_incluster_config,
    )
