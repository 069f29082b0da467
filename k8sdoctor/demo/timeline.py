"""What happens in the demo cluster over time, played against the fake API server like a kubelet,
scheduler and controller would, so the TUI sees real watch events:

- crash-looping containers restart again every `crash_every` seconds (restart counts climb);
- after `node_after` seconds a node with the missing label joins, and the pending Elasticsearch client
  is scheduled onto it and starts;
- after `fix_after` seconds the cloudnative-pg image tag is fixed: a new ReplicaSet revision rolls out,
  the broken pods go away and healthy ones take their place;
- ephemeral debug containers that k8sdoctor adds start running (the simulated kubelet starts them).

Kubelet and scheduler texts here use those components' own format strings.
"""

from __future__ import annotations

import copy
import logging
import threading
import time
from datetime import datetime, timezone

from k8sdoctor.core.kube.timeutil import format_time
from k8sdoctor.demo.cluster import CNPG_GOOD, extra_node
from k8sdoctor.demo.objects import container_status, event, pod_status, replica_pods, running, workload

log = logging.getLogger("k8sdoctor.demo")


def _now() -> str:
    return format_time(datetime.now(timezone.utc))


class DemoTimeline(threading.Thread):
    def __init__(self, server, *, crash_every: float = 20.0, node_after: float = 45.0, fix_after: float = 75.0, tick: float = 1.0) -> None:
        super().__init__(name="demo-timeline", daemon=True)
        self.server = server
        self.crash_every, self.node_after, self.fix_after, self.tick = crash_every, node_after, fix_after, tick
        self._halt = threading.Event()
        self.node_added = False
        self.image_fixed = False

    def stop(self) -> None:
        self._halt.set()

    def run(self) -> None:
        start = time.monotonic()
        next_crash = start + self.crash_every
        while not self._halt.wait(self.tick):
            now = time.monotonic()
            try:
                if now >= next_crash:
                    self.crash_again()
                    next_crash = now + self.crash_every
                if not self.node_added and now - start >= self.node_after:
                    self.add_node_and_schedule()
                if not self.image_fixed and now - start >= self.fix_after:
                    self.fix_image()
                self.start_debug_containers()
            except Exception:
                log.exception("demo timeline step failed")

    # ---- steps ------------------------------------------------------------------------------------
    def crash_again(self) -> None:
        """Every crash-looping container dies once more: restartCount+1, a fresh last termination."""
        for pod in map(copy.deepcopy, self.server.list("Pod")):
            statuses = (pod.get("status") or {}).get("containerStatuses") or []
            changed = False
            for cs in statuses:
                if ((cs.get("state") or {}).get("waiting") or {}).get("reason") != "CrashLoopBackOff":
                    continue
                last = copy.deepcopy((cs.get("lastState") or {}).get("terminated") or {})
                last.update(startedAt=_now(), finishedAt=_now())
                cs["lastState"] = {"terminated": last}
                cs["restartCount"] = int(cs.get("restartCount") or 0) + 1
                changed = True
            if changed:
                self.server.apply(pod)
                self._bump_backoff(pod)

    def _bump_backoff(self, pod: dict) -> None:
        meta = pod["metadata"]
        for ev in map(copy.deepcopy, self.server.list("Event", meta["namespace"])):
            obj = ev.get("involvedObject") or {}
            if obj.get("name") == meta["name"] and ev.get("reason") == "BackOff":
                ev["count"] = int(ev.get("count") or 1) + 1
                ev["lastTimestamp"] = _now()
                self.server.apply(ev)

    def add_node_and_schedule(self) -> None:
        self.node_added = True
        self.server.apply(extra_node(created=_now()))
        for pod in map(copy.deepcopy, self.server.list("Pod", "search")):
            if pod["spec"].get("nodeName"):
                continue
            pod["spec"]["nodeName"] = "worker-4"
            c = pod["spec"]["containers"][0]
            pod["status"] = pod_status("Running", [container_status(c["name"], c["image"], running(_now()))], started=_now())
            self.server.apply(pod)
            ns, name = pod["metadata"]["namespace"], pod["metadata"]["name"]
            # kube-scheduler: "Successfully assigned %v/%v to %v"
            self.server.apply(
                event(
                    pod,
                    "Normal",
                    "Scheduled",
                    f"Successfully assigned {ns}/{name} to worker-4",
                    first=_now(),
                    last=_now(),
                    component="default-scheduler",
                )
            )
            self._started_events(pod, c)

    def _started_events(self, pod: dict, c: dict) -> None:
        # kubelet: "Container image %q already present on machine", "Created container %s", "Started container %s"
        for reason, message in (
            ("Pulled", f'Container image "{c["image"]}" already present on machine'),
            ("Created", f"Created container {c['name']}"),
            ("Started", f"Started container {c['name']}"),
        ):
            self.server.apply(event(pod, "Normal", reason, message, first=_now(), last=_now(), container=c["name"]))

    def fix_image(self) -> None:
        """Roll out revision 3 of cloudnative-pg with the tag that exists."""
        self.image_fixed = True
        old = self.server.get("Deployment", "shop", "cloudnative-pg")
        if old is None:
            return
        containers = copy.deepcopy(old["spec"]["template"]["spec"]["containers"])
        containers[0]["image"] = CNPG_GOOD
        dep, rs, h = workload("shop", "cloudnative-pg", replicas=2, containers=containers, revision=3, created=_now())
        self.server.apply(dep)
        self.server.apply(rs)
        for pod in self.server.list("Pod", "shop"):
            if pod["metadata"]["name"].startswith("cloudnative-pg-"):
                self.server.delete("Pod", "shop", pod["metadata"]["name"])
        status = lambda _n: pod_status("Running", [container_status("manager", CNPG_GOOD, running(_now()))], started=_now())  # noqa: E731
        for pod in replica_pods(dep, rs, h, 2, status_for=status, nodes=["worker-1", "worker-2"], created=_now()):
            self.server.apply(pod)
            self._started_events(pod, containers[0])

    def start_debug_containers(self) -> None:
        """Like a kubelet: an ephemeral container without a status starts running."""
        for pod in map(copy.deepcopy, self.server.list("Pod")):
            spec_eph = pod.get("spec", {}).get("ephemeralContainers") or []
            status = pod.setdefault("status", {})
            known = {s.get("name") for s in status.get("ephemeralContainerStatuses") or []}
            new = [c for c in spec_eph if c.get("name") not in known]
            if not new:
                continue
            status.setdefault("ephemeralContainerStatuses", []).extend(
                container_status(c["name"], c.get("image", ""), running(_now()), ready=False) for c in new
            )
            self.server.apply(pod)
