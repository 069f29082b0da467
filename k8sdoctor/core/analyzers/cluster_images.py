"""The images a cluster already has: on nodes (`status.images[].names`) and in pod specs, indexed by
repository, so a missing image can be matched to one that exists ("did you mean")."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from k8sdoctor.core.analyzers.memo import IdentityMemo
from k8sdoctor.core.analyzers.wording import SHOWN, listing
from k8sdoctor.core.analyzers.work import WORK
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.imageref import DEFAULT_REGISTRY, ImageRef, ImageRefError, parse_image
from k8sdoctor.core.kube.raw import dicts, dig, name_of
from k8sdoctor.core.suggest import close_matches


@dataclass(slots=True)
class Sighting:
    """How many nodes have a repository's tag and how many pods use it, with the first few of each."""

    nodes: int = 0
    pods: int = 0
    texts: set[str] = field(default_factory=set)  # the image strings that name it
    node_names: list[str] = field(default_factory=list)
    pod_keys: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.nodes + self.pods


def _node_images(node: dict) -> frozenset[str]:
    names = (image.get("names") for image in dicts(dig(node, "status", "images")))
    return frozenset(n for group in names if isinstance(group, list) for n in group if isinstance(n, str))


def _pod_images(pod: dict) -> frozenset[str]:
    return frozenset(c["image"] for c in _containers(pod) if isinstance(c.get("image"), str))


node_images = IdentityMemo(_node_images)
pod_images = IdentityMemo(_pod_images)


@lru_cache(maxsize=65536)
def parsed_image(text: str) -> ImageRef | None:
    """An image reference parsed once per text (references are frozen), None when it is not valid."""
    try:
        return parse_image(text)
    except ImageRefError:
        return None


def _containers(pod: dict) -> list[dict]:
    spec = pod.get("spec")
    if not isinstance(spec, dict):
        return []
    return dicts(spec.get("containers")) + dicts(spec.get("initContainers"))


def short_name(name: str) -> str:
    """A repository as people write it: "nginx", "org/app", "ghcr.io/org/app"."""
    if name.startswith(DEFAULT_REGISTRY + "/"):
        name = name[len(DEFAULT_REGISTRY) + 1 :]
        return name.removeprefix("library/") if name.count("/") == 1 else name
    return name


def _sighting(repos: dict, text: str) -> Sighting | None:
    ref = parsed_image(text)
    if ref is None:
        return None
    tag = ref.tag or ("" if ref.digest else "latest")
    sighting = repos.setdefault(ref.name, {}).setdefault(tag, Sighting())
    sighting.texts.add(text)
    return sighting


def _build_index(inventory: Inventory) -> dict[str, dict[str, Sighting]]:
    """repository → tag → sighting, from one pass over nodes and pods (shared until the inventory
    changes). A few names per sighting are kept, one more than shown, so a finding can subtract its own."""
    repos: dict[str, dict[str, Sighting]] = {}
    nodes = [n for n in inventory.all("Node") if isinstance(n, dict)]
    for node in nodes:
        for text in node_images(node):
            sighting = _sighting(repos, text)
            if sighting is not None:
                sighting.nodes += 1
                if len(sighting.node_names) < SHOWN:
                    sighting.node_names.append(name_of(node))
    sightings: dict[str, Sighting | None] = {}  # image text → its sighting: parsed once, not once per pod
    for key, pod in inventory.pods.items():
        for text in pod_images(pod):
            sighting = sightings[text] if text in sightings else sightings.setdefault(text, _sighting(repos, text))
            if sighting is not None:
                sighting.pods += 1
                if len(sighting.pod_keys) <= SHOWN:
                    sighting.pod_keys.append(key)
    node_images.keep_only(nodes)
    pod_images.keep_only(inventory.pods.values())
    WORK["pods indexed"] += len(inventory.pods)
    WORK["nodes indexed"] += len(nodes)
    return repos


@dataclass(slots=True)
class ClusterImages:
    """The cluster's images as one finding sees them: without the failing pod's own use."""

    repos: dict[str, dict[str, Sighting]]
    skip_pod: tuple[str, str]
    own: frozenset[str]

    def _seen(self, s: Sighting) -> Sighting:
        if not self.own or self.own.isdisjoint(s.texts):
            return s
        pods = s.pods - len(self.own & s.texts)
        return Sighting(s.nodes, pods, s.texts, s.node_names, [k for k in s.pod_keys if k != self.skip_pod])

    def tags(self, name: str) -> dict[str, Sighting]:
        seen = {t: self._seen(s) for t, s in self.repos.get(name, {}).items() if t}
        return {t: s for t, s in seen.items() if s.total}

    def sighting(self, ref: ImageRef) -> Sighting | None:
        found = self.repos.get(ref.name, {}).get(ref.effective_tag or "")
        if found is None:
            return None
        seen = self._seen(found)
        return seen if seen.total else None

    def describe(self, sighting: Sighting, *, nodes_only: bool = False) -> str:
        """ "on node a and in 2 pods (shop/x, shop/y)": counts, with the first few names."""
        parts = []
        if sighting.nodes:
            parts.append(f"on {listing(sighting.nodes, 'node', sighting.node_names)}")
        if sighting.pods and not nodes_only:
            names = [f"{ns}/{name}" for ns, name in sighting.pod_keys if (ns, name) != self.skip_pod]
            parts.append(f"in {listing(sighting.pods, 'pod', names)}")
        return " and ".join(parts)


def collect(inventory: Inventory, skip_pod: tuple[str, str]) -> ClusterImages:
    """The images on nodes and in pods other than `skip_pod`, by repository."""
    repos = inventory.derived("analyzers.images", _build_index)
    skipped = inventory.pods.get(skip_pod)
    own = pod_images(skipped) if isinstance(skipped, dict) else frozenset()
    return ClusterImages(repos, skip_pod, own)


def listed_pods(inventory: Inventory) -> frozenset[tuple[str, str]]:
    """The pods some sighting names (the first few users of an image)."""

    def build(_inv: Inventory) -> frozenset[tuple[str, str]]:
        repos = inventory.derived("analyzers.images", _build_index)
        return frozenset(k for tags in repos.values() for s in tags.values() for k in s.pod_keys)

    return inventory.derived("analyzers.images_listed", build)


@dataclass(frozen=True, slots=True)
class Suggestion:
    image: str  # as a user would write it, e.g. "nginx:1.25"
    sighting: Sighting
    same_repository: bool  # another tag of the wanted repository; else a near name, unverified


def suggest(ref: ImageRef, images: ClusterImages, inventory: Inventory) -> Suggestion | None:
    """The existing image most likely meant: another tag of the same repository (the closest tag, or
    the most common), else the nearest repository name with the wanted tag if it has it."""
    wanted = ref.effective_tag or ""
    tags = {t: s for t, s in images.tags(ref.name).items() if t != wanted}
    WORK["repositories compared"] += 1
    if tags:
        tag = _pick_tag(wanted, tags)
        return Suggestion(f"{short_name(ref.name)}:{tag}", tags[tag], True)
    near = near_names(inventory, images.repos).near(ref.name)
    WORK["repositories compared"] += len(near)
    for name in near:
        candidates = images.tags(name)
        if candidates:
            tag = wanted if wanted in candidates else _pick_tag(wanted, candidates)
            return Suggestion(f"{short_name(name)}:{tag}", candidates[tag], False)
    return None


class NearNames:
    """Repositories by near name: a typo's neighbours found without comparing it to every repository.

    Two names are near when they differ in one path segment (`acme/paymemts`, `acme/payments`) and
    dropping at most one letter from each makes that segment the same: a letter added, dropped or
    changed, two neighbours swapped. Repositories are grouped by all
    their segments but one; a group's differing segments are indexed under themselves and their
    one-letter deletions (a symmetric-delete index) the first time a name of that group is looked up.
    The candidates are then ranked by similarity (rapidfuzz's ratio, at least 80, as before). Built once
    per inventory state; each distinct question is answered once."""

    def __init__(self, repos: dict[str, dict[str, Sighting]]) -> None:
        self._groups: dict[tuple[int, tuple[str, ...]], list[tuple[str, str]]] = {}
        self._indexes: dict[tuple[int, tuple[str, ...]], dict[str, set[str]]] = {}
        self._answers: dict[str, list[str]] = {}
        for name in repos:
            segments = short_name(name).lower().split("/")
            for i, segment in enumerate(segments):
                self._groups.setdefault((i, (*segments[:i], *segments[i + 1 :])), []).append((segment, name))
        WORK["repositories indexed"] += len(repos)

    def _index(self, group: tuple[int, tuple[str, ...]]) -> dict[str, set[str]]:
        index = self._indexes.get(group)
        if index is None:
            index = self._indexes[group] = {}
            members = self._groups.get(group, ())
            for segment, name in members:
                for key in _deletions(segment):
                    index.setdefault(key, set()).add(name)
            WORK["repositories indexed"] += len(members)
        return index

    def near(self, name: str) -> list[str]:
        """Repositories near `name`, most similar first (ties by name), `name` itself left out."""
        found = self._answers.get(name)
        if found is None:
            short = short_name(name).lower()
            segments = short.split("/")
            candidates: set[str] = set()
            for i, segment in enumerate(segments):
                index = self._index((i, (*segments[:i], *segments[i + 1 :])))
                for key in _deletions(segment):
                    candidates.update(index.get(key, ()))
            candidates.discard(name)
            scored = [(ratio(short, short_name(c).lower()), short_name(c), c) for c in candidates]
            found = self._answers[name] = [c for score, _short, c in sorted(scored, key=lambda sc: (-sc[0], sc[1])) if score >= 80]
        return found


def _deletions(segment: str) -> list[str]:
    """The segment and every way to drop one letter of it."""
    return [segment, *(segment[:j] + segment[j + 1 :] for j in range(len(segment)))]


def ratio(a: str, b: str) -> float:
    from rapidfuzz import fuzz  # only once a near name is looked for

    return fuzz.ratio(a, b)


def near_names(inventory: Inventory, repos: dict[str, dict[str, Sighting]]) -> NearNames:
    return inventory.derived("analyzers.image_near_names", lambda _inv: NearNames(repos))


def _pick_tag(wanted: str, tags: dict[str, Sighting]) -> str:
    close = close_matches(wanted, tags, limit=1, cutoff=60)
    if close:
        return close[0]
    return max(tags, key=lambda t: (tags[t].total, t))
