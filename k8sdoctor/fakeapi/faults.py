"""Fault injection: make matching requests fail, slow down or hang, a number of times or until cleared.

A `Fault` matches on resource (`pods`, `pods/log`; None = any request, discovery included), verb,
namespace and name. The first matching fault applies. A 410 on a watch request arrives as an ERROR
event in a 200 stream, which is how kube-apiserver reports an expired watch.

Besides errors, a fault can make the server misbehave the way proxies and broken servers do:
`body` answers 200 with exactly those bytes (b"" for an empty answer, b"<html>login</html>\n" for an
expired SSO session), `endless` keeps sending those bytes until the client goes away, and
`endless_continue` answers every list page with no items and a new `continue` token. `retry_after`
sets the Retry-After header of an error answer (429, 503).
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
    body: bytes | None = None  # answer 200 with exactly these bytes
    endless: bytes | None = None  # answer 200 with these bytes, again and again, until the client leaves
    endless_continue: bool = False  # a list page without items whose continue token asks for more
    retry_after: str | None = None  # the Retry-After header of an error answer
    times: int | None = None  # apply this many times, then drop; None → until cleared
    resource: str | None = None
    verb: str | None = None
    namespace: str | None = None
    name: str | None = None

    @property
    def misbehaves(self) -> bool:
        """Whether it answers 200 with something other than the real API's answer."""
        return self.body is not None or self.endless is not None or self.endless_continue

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
