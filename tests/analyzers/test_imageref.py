"""Image references parsed as Docker and containerd read them."""

from __future__ import annotations

import pytest

from k8sdoctor.core.kube.imageref import ImageRefError, parse_image

DIGEST = "sha256:" + "0123456789abcdef" * 4


@pytest.mark.parametrize(
    "text, registry, repository, tag, digest, normalized",
    [
        ("nginx", "docker.io", "library/nginx", None, None, "docker.io/library/nginx:latest"),
        ("nginx:1.25", "docker.io", "library/nginx", "1.25", None, "docker.io/library/nginx:1.25"),
        ("docker.io/nginx", "docker.io", "library/nginx", None, None, "docker.io/library/nginx:latest"),
        ("index.docker.io/library/busybox:1.36", "docker.io", "library/busybox", "1.36", None, "docker.io/library/busybox:1.36"),
        (
            "obsidiandynamics/kafdrop:latest",
            "docker.io",
            "obsidiandynamics/kafdrop",
            "latest",
            None,
            "docker.io/obsidiandynamics/kafdrop:latest",
        ),
        ("localhost:5000/x", "localhost:5000", "x", None, None, "localhost:5000/x:latest"),
        ("localhost/x:1", "localhost", "x", "1", None, "localhost/x:1"),
        ("10.78.0.228:5000/monitorms", "10.78.0.228:5000", "monitorms", None, None, "10.78.0.228:5000/monitorms:latest"),
        (f"registry:5000/a/b:tag@{DIGEST}", "registry:5000", "a/b", "tag", DIGEST, f"registry:5000/a/b@{DIGEST}"),
        (f"nginx@{DIGEST}", "docker.io", "library/nginx", None, DIGEST, f"docker.io/library/nginx@{DIGEST}"),
        (
            "ghcr.io/cloudnative-pg/cloudnative-pg:1.20.1",
            "ghcr.io",
            "cloudnative-pg/cloudnative-pg",
            "1.20.1",
            None,
            "ghcr.io/cloudnative-pg/cloudnative-pg:1.20.1",
        ),
        (
            "quay.io/brancz/kube-rbac-proxy:v0.10.0",
            "quay.io",
            "brancz/kube-rbac-proxy",
            "v0.10.0",
            None,
            "quay.io/brancz/kube-rbac-proxy:v0.10.0",
        ),
    ],
)
def test_parse(text, registry, repository, tag, digest, normalized):
    ref = parse_image(text)
    assert (ref.registry, ref.repository, ref.tag, ref.digest) == (registry, repository, tag, digest)
    assert ref.normalized == normalized


def test_effective_tag_and_familiar_form():
    assert parse_image("nginx").effective_tag == "latest"
    assert parse_image(f"nginx@{DIGEST}").effective_tag is None
    assert parse_image("docker.io/library/nginx:1.25").familiar == "nginx:1.25"
    assert parse_image("docker.io/org/app").familiar == "org/app:latest"
    assert parse_image("nginx").describe() == "registry docker.io, repository library/nginx, tag latest (default)"
    assert parse_image(f"registry:5000/a/b:tag@{DIGEST}").describe() == (
        f"registry registry:5000, repository a/b, tag tag, digest {DIGEST} (the runtime pulls by digest and ignores the tag)"
    )


@pytest.mark.parametrize(
    "text, reason",
    [
        # https://github.com/darklang/dark/pull/454
        (
            "gcr.io/balmy-ground-195100/dark-gcp:gcr.io/balmy-ground-195100/dark-gcp:8e3213495373",
            "invalid repository name component 'dark-gcp:gcr.io'",
        ),
        ("Nginx", "repository name must be lowercase"),
        ("nginx@foo", "invalid digest 'foo' (expected algorithm:hex, e.g. sha256:...)"),
        ("nginx:", "invalid tag ''"),
        ("", "empty image reference"),
        ("nginx :1", "image reference contains whitespace"),
        ("ghcr.io/", "missing repository name"),
    ],
)
def test_invalid(text, reason):
    with pytest.raises(ImageRefError) as err:
        parse_image(text)
    assert str(err.value) == reason
