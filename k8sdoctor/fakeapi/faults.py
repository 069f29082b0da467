"""Fault injection: make matching requests fail, slow down or hang, a number of times or until cleared.

A `Fault` matches on resource (`pods`, `pods/log`; None = any request, discovery included), verb,
namespace and name. The first matching fault applies. A 410 on a watch request arrives as an ERROR
event in a 200 stream, which is how kube-apiserver reports an expired watch.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from k8sdoctor.fakeapi.auth import Attributes


@dataclass(slots=True)
class Fault:
    code: int | None = None  # answer with this HTTP status and a Status body
    message: str | None = None  # the Status message; None → the real server's wording for the code
    delay: float = 0.0  # seconds to wait first
    hang: bool = False  # never answer
    times: int | None = None  # apply this many times, then drop; None → until cleared
    resource: str | None = None
    verb: str | None = None
    namespace: str | None = None
    name: str | None = None

    def matches(self, attrs: Attributes) -> bool:
        if self.resource is not None:
            resource = f"{attrs.resource}/{attrs.subresource}" if attrs.subresource else attrs.resource
            if not attrs.resource_request or self.resource != resource:
                return False
        return (
            (self.verb is None or self.verb == attrs.verb)
            and (self.namespace is None or self.namespace == attrs.namespace)
            and (self.name is None or self.name == attrs.name)
        )


class Faults:
    """The active faults; thread-safe. `take` consumes one use of the first match."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, attrs: Attributes) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(attrs):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self._faults.remove(fault)
                    return fault
        return None
