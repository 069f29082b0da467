"""Container image references, parsed the way Docker and containerd read them.

`nginx` is `docker.io/library/nginx:latest`; `localhost:5000/x` names a registry with a port and no
tag; `registry:5000/a/b:tag@sha256:...` has both a tag and a digest (the runtime pulls by the digest).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_REGISTRY = "docker.io"
_LEGACY_REGISTRIES = ("index.docker.io", "registry-1.docker.io")
_COMPONENT = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")
_DOMAIN = re.compile(
    r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:]+\])(?::[0-9]+)?$"
)
_TAG = re.compile(r"^\w[\w.-]{0,127}$")
_DIGEST = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}$")


class ImageRefError(ValueError):
    """The string is not a valid image reference; the message says why."""


@dataclass(frozen=True, slots=True)
class ImageRef:
    registry: str  # "docker.io", "ghcr.io", "localhost:5000"
    repository: str  # "library/nginx", "org/app"
    tag: str | None  # as written; None when absent
    digest: str | None  # "sha256:..."

    @property
    def name(self) -> str:
        """Registry and repository: "docker.io/library/nginx"."""
        return f"{self.registry}/{self.repository}"

    @property
    def effective_tag(self) -> str | None:
        """The tag pulled: as written, else "latest" — unless a digest pins the image."""
        if self.tag:
            return self.tag
        return None if self.digest else "latest"

    @property
    def normalized(self) -> str:
        """The form containerd prints: "docker.io/library/nginx:latest", or name@digest when pinned."""
        if self.digest:
            return f"{self.name}@{self.digest}"
        return f"{self.name}:{self.effective_tag}"

    @property
    def familiar(self) -> str:
        """The short form people write: "nginx:1.25", "org/app@sha256:...", "ghcr.io/org/app:1"."""
        name = self.name
        if self.registry == DEFAULT_REGISTRY:
            name = self.repository.removeprefix("library/") if self.repository.count("/") == 1 else self.repository
        if self.digest:
            return f"{name}:{self.tag}@{self.digest}" if self.tag else f"{name}@{self.digest}"
        return f"{name}:{self.effective_tag}"

    def describe(self) -> str:
        """ "registry docker.io, repository library/nginx, tag latest (default)"."""
        parts = [f"registry {self.registry}", f"repository {self.repository}"]
        if self.tag:
            parts.append(f"tag {self.tag}")
        elif not self.digest:
            parts.append("tag latest (default)")
        if self.digest:
            pinned = " (the runtime pulls by digest and ignores the tag)" if self.tag else ""
            parts.append(f"digest {self.digest}{pinned}")
        return ", ".join(parts)


def parse_image(text: str) -> ImageRef:
    """Parse an image reference; raise ImageRefError with the reason when it is not valid."""
    if not isinstance(text, str) or not text:
        raise ImageRefError("empty image reference")
    if text != text.strip() or any(ch.isspace() for ch in text):
        raise ImageRefError("image reference contains whitespace")
    rest, at, digest = text.partition("@")
    if at and not _DIGEST.match(digest):
        raise ImageRefError(f"invalid digest {digest!r} (expected algorithm:hex, e.g. sha256:...)")
    slash = rest.rfind("/")
    colon = rest.rfind(":")
    tag = None
    if colon > slash:
        rest, tag = rest[:colon], rest[colon + 1 :]
        if not _TAG.match(tag):
            raise ImageRefError(f"invalid tag {tag!r}")
    first, sep, remainder = rest.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost" or first.lower() != first):
        if not _DOMAIN.match(first):
            raise ImageRefError(f"invalid registry host {first!r}")
        registry, path = first, remainder
    else:
        registry, path = DEFAULT_REGISTRY, rest
    if registry in _LEGACY_REGISTRIES:
        registry = DEFAULT_REGISTRY
    if not path:
        raise ImageRefError("missing repository name")
    for component in path.split("/"):
        if not _COMPONENT.match(component):
            if component.lower() != component and _COMPONENT.match(component.lower()):
                raise ImageRefError("repository name must be lowercase")
            raise ImageRefError(f"invalid repository name component {component!r}")
    if registry == DEFAULT_REGISTRY and "/" not in path:
        path = f"library/{path}"
    return ImageRef(registry, path, tag, digest if at else None)
