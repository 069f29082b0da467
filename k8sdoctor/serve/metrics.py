"""The Prometheus metrics of `serve`, with the official `prometheus_client`.

k8sdoctor_findings{namespace,kind,name,category,cause,severity}   objects with this finding (>= 1); pods
    of a known workload are counted under the workload (kind=Deployment, name=web), never by pod name
k8sdoctor_findings_by_cause{category,cause,severity}           objects with a finding of this cause
k8sdoctor_findings_series_dropped                               series left out past --max-series
k8sdoctor_objects{kind}                                         objects diagnosed
k8sdoctor_watch_up{kind}                                        1 while the kind's watch is in sync
k8sdoctor_watch_relists_total{kind}                             full lists (first sync, 410 Gone, reconnects)
k8sdoctor_watch_errors_total{kind,state}                        watches that went forbidden or disconnected
k8sdoctor_last_diagnosis_timestamp_seconds                      when the last pass ended
k8sdoctor_diagnosis_duration_seconds                            histogram: one pass (pods that changed, other kinds)
k8sdoctor_events_total{result}                                  Kubernetes Events sent, failed or held back (--emit-events)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Histogram, PlatformCollector, ProcessCollector
from prometheus_client import Counter as PromCounter
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from k8sdoctor.serve.diagnoser import ClusterDiagnoser

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class FindingsCollector(Collector):
    """Reads the diagnoser's current State at each scrape (cheap: the state is prepared after each pass)."""

    def __init__(self, diagnoser: ClusterDiagnoser) -> None:
        self.diagnoser = diagnoser

    def collect(self) -> Iterator[Metric]:
        state = self.diagnoser.state
        findings = GaugeMetricFamily(
            "k8sdoctor_findings",
            "Active findings: objects with this finding (pods of a known workload are counted under the workload).",
            labels=["namespace", "kind", "name", "category", "cause", "severity"],
        )
        by_cause: Counter[tuple[str, str, str]] = Counter()
        for s, count in state.series.items():
            findings.add_metric([s.namespace, s.kind, s.name, s.category, s.cause, s.severity], count)
            by_cause[(s.category, s.cause, s.severity)] += count
        yield findings
        causes = GaugeMetricFamily(
            "k8sdoctor_findings_by_cause",
            "Objects with a finding of this cause, over the whole scope.",
            labels=["category", "cause", "severity"],
        )
        for (category, cause, severity), count in sorted(by_cause.items()):
            causes.add_metric([category, cause, severity], count)
        yield causes
        yield GaugeMetricFamily("k8sdoctor_findings_series_dropped", "Finding series left out past --max-series.", value=state.dropped)
        objects = GaugeMetricFamily("k8sdoctor_objects", "Objects diagnosed, by kind.", labels=["kind"])
        for kind, count in sorted(state.objects.items()):
            objects.add_metric([kind], count)
        yield objects
        up = GaugeMetricFamily("k8sdoctor_watch_up", "1 while the kind's list+watch is in sync.", labels=["kind"])
        for kind, watch_state in sorted(state.watches.items()):
            up.add_metric([kind], 1 if watch_state == "ready" else 0)
        yield up
        relists = CounterMetricFamily(
            "k8sdoctor_watch_relists", "Full lists of a kind (first sync, 410 Gone, reconnects).", labels=["kind"]
        )
        for kind, count in sorted(state.relists.items()):
            relists.add_metric([kind], count)
        yield relists
        errors = CounterMetricFamily("k8sdoctor_watch_errors", "Watches that went forbidden or disconnected.", labels=["kind", "state"])
        for (kind, watch_state), count in sorted(self.diagnoser.errors.items()):
            errors.add_metric([kind, watch_state], count)
        yield errors
        yield GaugeMetricFamily(
            "k8sdoctor_last_diagnosis_timestamp_seconds", "When the last diagnosis pass ended (Unix time).", value=state.last_pass
        )


class ServeMetrics:
    """A registry of its own: the findings collector, the pass latency, the events counter."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        ProcessCollector(registry=self.registry)  # process_cpu_seconds_total, process_resident_memory_bytes...
        PlatformCollector(registry=self.registry)
        self.latency = Histogram(
            "k8sdoctor_diagnosis_duration_seconds", "One diagnosis pass.", buckets=LATENCY_BUCKETS, registry=self.registry
        )
        self.events = PromCounter(
            "k8sdoctor_events", "Kubernetes Events: sent, failed, held back by the rate limit.", ["result"], registry=self.registry
        )
        for result in ("sent", "failed", "rate_limited"):
            self.events.labels(result)

    def watch(self, diagnoser: ClusterDiagnoser) -> None:
        self.registry.register(FindingsCollector(diagnoser))
