"""Near repository names from the symmetric-delete index: a typo in one path segment that dropping one letter
from each side undoes (a letter added, dropped or changed, two neighbours swapped) finds the repository
meant, and only the repositories that share the other segments are compared."""

from __future__ import annotations

from k8sdoctor.core.analyzers.cluster_images import NearNames, Sighting
from k8sdoctor.core.analyzers.work import WORK


def index(*names: str) -> NearNames:
    return NearNames({name: {"1.0": Sighting(nodes=1)} for name in names})


def test_one_edit_in_one_segment_finds_the_repository():
    near = index("docker.io/acme/payments", "ghcr.io/acme/payments", "docker.io/library/nginx", "registry.example.com/team-03/app-00123")
    assert near.near("docker.io/acme/paymemts") == ["docker.io/acme/payments"]  # a letter changed
    assert near.near("docker.io/acme/paymnts") == ["docker.io/acme/payments"]  # a letter dropped
    assert near.near("docker.io/library/ngnix") == ["docker.io/library/nginx"]  # two neighbours swapped
    assert near.near("ghrc.io/acme/payments") == ["ghcr.io/acme/payments"]  # in the registry
    assert near.near("registry.example.com/team-03/app-0012x") == ["registry.example.com/team-03/app-00123"]


def test_names_two_edits_away_or_in_another_group_are_not_near():
    near = index("docker.io/acme/payments", "docker.io/other/payments-api")
    assert near.near("docker.io/acme/paymmmts") == []
    assert near.near("docker.io/acme/payments") == []  # itself is never suggested


def test_a_question_compares_only_its_groups():
    names = [f"registry.example.com/team-{t:02d}/app-{a:05d}" for t in range(20) for a in range(200)]
    near = index(*names)
    WORK.clear()
    found = near.near("registry.example.com/team-07/app-0012x")
    assert found and all(name.startswith("registry.example.com/team-07/app-00") for name in found)
    assert WORK["repositories indexed"] == 200  # the team's group was indexed, not the 4,000 repositories
