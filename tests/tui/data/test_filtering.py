"""The fuzzy filter and the sort orders, on rows as the view builds them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from k8sdoctor.cluster.view import PodRow
from k8sdoctor.core.findings import Diagnosis, Finding
from k8sdoctor.model.filtering import PodFilter, haystack
from k8sdoctor.model.sorting import COLUMN_SORTS, SORTS, column_sort, next_sort, sort_by_column, sort_key, sort_label

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


def row(
    ns: str, name: str, status: str = "Running", finding: tuple[str, str, str] | None = None, restarts: int = 0, age: int = 60
) -> PodRow:
    findings = []
    if finding:
        category, cause, severity = finding
        findings.append(Finding(category, cause, None, severity, "", "", [], [], "test"))
    diagnosis = Diagnosis(ns, name, "Running", status, findings)
    return PodRow((ns, name), ns, name, "1/1", status, str(restarts), restarts, NOW - timedelta(seconds=age), diagnosis)


def test_every_word_must_match_namespace_name_status_or_cause():
    crash = row("shop", "kestra-1", "CrashLoopBackOff", ("CrashLoopBackOff", "dependency-unreachable", "critical"))
    assert PodFilter("shop kestra").matches(haystack(crash))
    assert PodFilter("dependency").matches(haystack(crash))
    assert PodFilter("crashloop shop").matches(haystack(crash))
    assert not PodFilter("shop payments").matches(haystack(crash))


def test_one_typo_is_forgiven_from_four_letters_on():
    crash = row("shop", "kestra-1", "CrashLoopBackOff", ("CrashLoopBackOff", "dependency-unreachable", "critical"))
    assert PodFilter("kestar").matches(haystack(crash))
    assert PodFilter("dependancy").matches(haystack(crash))
    assert not PodFilter("kst").matches(haystack(crash))  # short words must be exact
    assert not PodFilter("oomkiled").matches(haystack(crash))


def test_empty_filter_is_false_and_matches_nothing_special():
    assert not PodFilter("   ")
    assert PodFilter("x")


def test_problems_first_then_namespace_and_name():
    rows = [
        row("b", "healthy"),
        row("a", "warn", finding=("NotReady", "probe", "warning")),
        row("z", "crit", finding=("Pending", "x", "critical")),
        row("a", "info", finding=("CrashLoopBackOff", "old", "info")),
    ]
    ordered = [r.name for r in sorted(rows, key=lambda r: sort_key("problems", r))]
    assert ordered == ["crit", "warn", "info", "healthy"]  # an info-only finding is not a problem


def test_other_orders_and_cycle():
    rows = [row("a", "old", age=600, restarts=1), row("a", "new", age=10, restarts=9), row("a", "mid", age=100)]
    assert [r.name for r in sorted(rows, key=lambda r: sort_key("age", r))] == ["new", "mid", "old"]
    assert [r.name for r in sorted(rows, key=lambda r: sort_key("restarts", r))] == ["new", "old", "mid"]
    assert [r.name for r in sorted(rows, key=lambda r: sort_key("name", r))] == ["mid", "new", "old"]
    mode, seen = "problems", []
    for _ in SORTS:
        seen.append(mode)
        mode = next_sort(mode)
    assert mode == "problems" and seen == list(SORTS)


def test_column_orders_each_direction_ties_by_namespace_and_name():
    rows = [
        row("b", "web", "Running", restarts=3, age=600),
        row("a", "web", "Pending", ("Pending", "x", "critical"), age=10),
        row("a", "db", "CrashLoopBackOff", ("CrashLoopBackOff", "oom-killed", "critical"), restarts=12, age=100),
        row("c", "api", "Running", ("NotReady", "probe", "warning"), restarts=3, age=300),
    ]

    def names(mode: str) -> list[str]:
        return [f"{r.namespace}/{r.name}" for r in sorted(rows, key=lambda r: sort_key(mode, r))]

    assert names("column:name") == ["c/api", "a/db", "a/web", "b/web"]  # ties: namespace, name
    assert names("column:name:desc") == ["a/web", "b/web", "a/db", "c/api"]  # descending, ties still ascending
    assert names("column:status") == ["a/db", "a/web", "b/web", "c/api"]
    assert names("column:restarts:desc") == ["a/db", "b/web", "c/api", "a/web"]
    assert names("column:age") == ["a/web", "a/db", "c/api", "b/web"]  # the newest first: AGE ascending
    assert names("column:diagnosis:desc") == ["a/db", "a/web", "c/api", "b/web"]  # worst first, then by cause
    # choosing a column: its own direction first, the same column again reverses, another starts anew
    assert sort_by_column("problems", "restarts") == "column:restarts:desc"
    assert sort_by_column("column:restarts:desc", "restarts") == "column:restarts"
    assert sort_by_column("column:restarts", "name") == "column:name"
    assert sort_by_column("column:name", "name") == "column:name:desc"
    assert set(COLUMN_SORTS) == {"namespace", "name", "ready", "status", "restarts", "age", "diagnosis"}
    assert column_sort("column:nope") is None and column_sort("name") is None
    labels = {"restarts": "RESTARTS"}
    assert sort_label("column:restarts:desc", labels) == "by RESTARTS ▼"
    assert sort_label("problems", labels) == "" and sort_label("age", labels) == "newest first"
    assert next_sort("column:name") == "problems"  # o from a column order: back to the usual orders


def test_ready_sorts_by_share_then_total():
    rows = [row("a", n) for n in ("x", "y", "z", "w")]
    for r, ready in zip(rows, ("2/2", "0/1", "1/2", "junk"), strict=True):
        object.__setattr__(r, "ready", ready)
    assert [r.ready for r in sorted(rows, key=lambda r: sort_key("column:ready", r))] == ["junk", "0/1", "1/2", "2/2"]


def test_exact_and_prefix_matches_rank_first_and_weak_fuzzy_ones_are_cut():
    from k8sdoctor.model.filtering import EXACT, PREFIX, SUBSTRING, TYPO

    loki = row("observability", "loki-4hk5xk6tsn-5g5rr", "CrashLoopBackOff", ("CrashLoopBackOff", "permission-denied", "critical"))
    kestra = row("shop", "kestra-7sx7k2s4th-bvjlm", "CrashLoopBackOff", ("CrashLoopBackOff", "dependency-unreachable", "critical"))
    pending = row("search", "odfe-client-pfg745vzt6-qff65", "Pending", ("Pending", "node-selector-mismatch", "critical"))
    assert PodFilter("node").rank(loki) is None and PodFilter("node").rank(kestra) is None  # the issue: /node found these
    assert PodFilter("node").rank(pending) == SUBSTRING
    assert PodFilter("kestra-7sx7k2s4th-bvjlm").rank(kestra) == EXACT
    assert PodFilter("kestra").rank(kestra) == PREFIX
    assert PodFilter("shop").rank(kestra) == EXACT  # the namespace, whole
    assert PodFilter("kestar").rank(kestra) == TYPO


def test_pods_are_found_by_their_node():
    on_two = row("shop", "web-1")
    on_two.node = "worker-2"
    elsewhere = row("shop", "web-2")
    elsewhere.node = "worker-3"
    assert PodFilter("worker-2").rank(on_two) == 0
    assert PodFilter("worker-2").rank(elsewhere) is None


def test_node_term_keeps_the_pods_on_that_node_exactly_or_by_prefix():
    from k8sdoctor.model.filtering import EXACT, PREFIX

    two, twelve, unscheduled = row("shop", "web-1"), row("shop", "web-2"), row("shop", "web-3", "Pending")
    two.node, twelve.node = "worker-2", "worker-12"
    assert PodFilter("node:worker-2").rank(two) == EXACT
    assert PodFilter("node:worker-2").rank(twelve) is None  # not a substring match: worker-12 is another node
    assert PodFilter("node:Worker-1").rank(twelve) == PREFIX
    assert PodFilter("node:worker").rank(unscheduled) is None  # a pod on no node is on none of them
    assert PodFilter("node:worker-2 web").rank(two) == PREFIX  # ANDed with the words, the worst rank kept
    assert PodFilter("node:worker-2 payments").rank(two) is None


def test_label_terms_keep_the_pods_carrying_the_label():
    web, api, bare = row("shop", "web-1"), row("shop", "api-1"), row("shop", "x-1")
    web.labels = {"app": "web", "tier": "Front"}
    api.labels = {"app": "api"}
    assert PodFilter("app=web").rank(web) == 0 and PodFilter("app=web").rank(api) is None
    assert PodFilter("tier=front").rank(web) == 0  # case-insensitive, as the words are
    assert PodFilter("app=we").rank(web) is None  # a value matches whole
    assert PodFilter("app").rank(api) == 0 and PodFilter("tier").rank(api) is None  # the key alone: carries it
    assert PodFilter("app").rank(bare) is None
    assert PodFilter("app=web shop").rank(web) == 0 and PodFilter("app=web api").rank(web) is None
    assert PodFilter("=web").rank(web) is None  # no key: text to find, which no pod has


def test_label_values_that_are_not_strings_do_not_break_the_filter():
    odd = row("shop", "odd-1")
    odd.labels = {"replicas": 3}  # cluster data is not always as the schema says
    assert PodFilter("replicas=3").rank(odd) == 0
