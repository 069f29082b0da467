"""logs: which container, which run, reading and following through the fake server, odd bytes, a bounded
buffer, the events fallback, and the quoted lines marked."""

from __future__ import annotations

import threading
import time
import tracemalloc

import pytest

from k8sdoctor.actions import containers as pick
from k8sdoctor.actions.citations import LogCitation
from k8sdoctor.actions.logs import (
    MAX_LINE_CHARS,
    LineDecoder,
    LogBuffer,
    LogRequest,
    LogsUnavailable,
    check_readable,
    cited_log_lines,
    snapshot_logs,
    stream_logs,
)
from k8sdoctor.errors import NotFoundError, UserError
from tests.actions.helpers import scenario_inventory

KB = ("shop", "kb-5c7d8f9b6-q4w2e")
WEB = ("shop", "web-6d4cf56db6-abcde")
LOG_PATH = "/api/v1/namespaces/shop/pods/{}/log"


@pytest.fixture(scope="module")
def inventory():
    return scenario_inventory()


def two_containers(annotation: str | None = None, sidecar_state: dict | None = None) -> dict:
    meta = {"name": "p", "namespace": "x"}
    if annotation:
        meta["annotations"] = {"kubectl.kubernetes.io/default-container": annotation}
    return {
        "metadata": meta,
        "spec": {"nodeName": "n", "containers": [{"name": "main"}, {"name": "sidecar"}]},
        "status": {
            "containerStatuses": [
                {"name": "main", "ready": True, "restartCount": 0, "state": {"running": {}}},
                {"name": "sidecar", "ready": sidecar_state is None, "restartCount": 0, "state": sidecar_state or {"running": {}}},
            ]
        },
    }


# ---- which container, which run -------------------------------------------------------------------
def test_the_failing_container_comes_first_then_the_annotation_then_the_first(engine, inventory):
    crashed = {"terminated": {"exitCode": 1, "reason": "Error"}}
    assert pick.default_container(two_containers("main", sidecar_state=crashed)) == "sidecar"
    assert pick.default_container(two_containers("sidecar")) == "sidecar"
    assert pick.default_container(two_containers()) == "main"
    pod = inventory.pods[("shop", "db-0")]
    diagnosis = engine.diagnose_pod(inventory, pod, pick_now())
    assert pick.default_container(pod, diagnosis) == "setup-config"  # the init container the finding names


def pick_now():
    from tests.actions.helpers import FIXED_NOW

    return FIXED_NOW


def test_previous_logs_are_offered_when_the_container_restarted_or_waits(inventory):
    kb = pick.find(inventory.pods[KB], "kb")
    web = pick.find(inventory.pods[WEB], "app")
    kafdrop = pick.find(inventory.pods[("myproject", "kafdrop-1-j4969")], "kafdrop")
    assert pick.has_previous(kb) and pick.offers_previous(kb)
    assert not pick.has_previous(web) and not pick.offers_previous(web)
    assert not pick.offers_previous(kafdrop)


def test_why_a_container_has_no_logs(inventory):
    kafdrop = ("myproject", "kafdrop-1-j4969")
    with pytest.raises(LogsUnavailable) as never:
        check_readable(inventory, LogRequest(*kafdrop, "kafdrop"))
    # source: https://github.com/red-hat-storage/ocs-ci/issues/4494
    assert str(never.value) == (
        'container kafdrop has never started (ImagePullBackOff: Back-off pulling image '
        '"obsidiandynamics/kafdrop:latest"), so it has written no logs'
    )
    with pytest.raises(LogsUnavailable, match="app has not restarted: there is no previous run"):
        check_readable(inventory, LogRequest(*WEB, "app", previous=True))
    with pytest.raises(LogsUnavailable, match="not scheduled on a node yet"):
        check_readable(inventory, LogRequest("shop", "es-client-0", "es-client"))
    with pytest.raises(NotFoundError, match='container "ap" not found') as unknown:
        check_readable(inventory, LogRequest(*WEB, "ap"))
    assert unknown.value.suggestions == ["app"]
    check_readable(inventory, LogRequest(*KB, "kb", previous=True))  # restarted: there is a previous run


# ---- odd bytes --------------------------------------------------------------------------------------
def test_non_utf8_bytes_are_replaced_and_split_characters_kept_whole():
    decoder = LineDecoder()
    snowman = "☃".encode()
    assert decoder.feed(b"bad \xff\xfe byte\nhalf " + snowman[:1]) == ["bad \ufffd\ufffd byte"]
    assert decoder.feed(snowman[1:] + b" done\r\n") == ["half ☃ done"]
    assert decoder.feed(b"no newline at the end") == []
    assert decoder.finish() == ["no newline at the end"]


def test_terminal_escapes_are_made_visible():
    decoder = LineDecoder()
    lines = decoder.feed(b"\x1b[31mred\x1b[0m \x1b]0;title\x07 \x1b[2J\x08\n")
    assert lines == ["\\x1b[31mred\\x1b[0m \\x1b]0;title\\x07 \\x1b[2J\\x08"]


def test_an_enormous_line_is_cut_not_kept():
    decoder = LineDecoder()
    for _ in range(160):  # 10 MiB without a newline, in 64 KiB chunks
        assert decoder.feed(b"x" * 65536) == []
    (line,) = decoder.feed(b"\n")
    assert line == "x" * MAX_LINE_CHARS + f"… ({160 * 65536 - MAX_LINE_CHARS} more characters)"


# ---- a bounded buffer --------------------------------------------------------------------------------
def test_a_million_lines_keep_only_the_last_ten_thousand():
    buffer = LogBuffer()
    for start in range(0, 1_000_000, 1000):
        buffer.extend(f"line {n} of a container that logs a lot" for n in range(start, start + 1000))
        assert len(buffer) <= 10_000
    first, lines = buffer.snapshot()
    assert len(lines) == 10_000 and first == 990_000 and buffer.total == 1_000_000
    assert lines[0] == "line 990000 of a container that logs a lot" and lines[-1].startswith("line 999999 ")


def test_memory_stops_growing_once_the_buffer_is_full():
    buffer = LogBuffer()
    batch = [f"line {n} of a container that logs a lot" for n in range(10_000)]
    buffer.extend(batch)  # full
    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        for _ in range(20):  # 200,000 more lines
            buffer.extend(line + "!" for line in batch)
        now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # 200,000 kept lines would take about 19 MB; the 10,000 kept take 1
    assert now - base < 3 * 1024 * 1024
    assert peak - base < 4 * 1024 * 1024


def test_the_buffer_is_bounded_in_characters_too():
    buffer = LogBuffer(max_lines=10_000, max_chars=100_000)
    buffer.extend("y" * 10_000 for _ in range(50))  # each line counts twice: as shown and as read
    assert len(buffer) == 5 and buffer.first == 45


def test_the_buffer_keeps_each_line_as_read_for_a_save():
    """Shown lines are made safe; the bytes read stay as they were (invalid UTF-8, escapes, CR)."""
    from k8sdoctor.actions.logs import RawLines

    data = [b"caf\xe9 \x1b[31mred\r\nsec", b"ond\n", b"no newline at the end"]
    decoder, raw, buffer = LineDecoder(), RawLines(), LogBuffer(max_lines=2)
    for chunk in data:
        buffer.extend(decoder.feed(chunk), raw.feed(chunk))
    buffer.extend(decoder.finish(), raw.finish())
    assert buffer.snapshot() == (1, ["second", "no newline at the end"])
    assert buffer.raw_snapshot() == (1, [b"second", b"no newline at the end"])
    whole = LogBuffer()
    whole.extend(LineDecoder().feed(data[0]), RawLines().feed(data[0]))
    assert whole.snapshot()[1] == ["caf\ufffd \\x1b[31mred"] and whole.raw_snapshot()[1] == [b"caf\xe9 \x1b[31mred\r"]


def test_a_save_name_is_a_plain_file_name():
    from k8sdoctor.actions.logs import save_name

    assert save_name("shop", "web-6d4cf56db6-abcde", "app") == "shop_web-6d4cf56db6-abcde_app.log"
    assert "/" not in save_name("../..", "a/b", "c d") and not save_name("..", "x", "y").startswith(".")


# ---- reading through the API server -----------------------------------------------------------------
def read(client, req: LogRequest) -> list[str]:
    lines: list[str] = []
    stream_logs(client, req, lines.extend)
    return lines


def test_previous_and_current_are_asked_for_as_kubectl_asks(server, client):
    previous = read(client, LogRequest(*KB, "kb", previous=True, tail=3))
    # source: https://github.com/kubeedge/sedna/issues/320
    assert previous == [
        "  File \"/code/lib/sedna/algorithms/optical_flow/__init__.py\", line 19, in <module>",
        "    import cv2",
        "ModuleNotFoundError: No module named 'cv2'",
    ]
    (request,) = server.requests("GET", LOG_PATH.format(KB[1]))
    assert request.query == {"container": "kb", "previous": "true", "tailLines": "3"}
    assert read(client, LogRequest(*WEB, "log-shipper")) == []
    assert server.requests("GET", LOG_PATH.format(WEB[1]))[-1].query == {"container": "log-shipper"}


def test_the_kubelets_reason_becomes_the_no_logs_reason(client):
    with pytest.raises(LogsUnavailable, match='previous terminated container "app" in pod "web-6d4cf56db6-abcde" not found'):
        read(client, LogRequest(*WEB, "app", previous=True))
    with pytest.raises(NotFoundError, match="may have just been deleted"):
        read(client, LogRequest("shop", "gone", "app"))


def test_follow_streams_new_lines_as_they_are_written(server, client):
    received: list[str] = []
    opened: list = []
    stop = threading.Event()
    req = LogRequest(*WEB, "app", timestamps=True)
    reader = threading.Thread(
        target=stream_logs, args=(client, req, received.extend), kwargs={"follow": True, "stop": stop, "on_open": opened.append}
    )
    reader.start()
    wait_for(lambda: len(received) == 3)
    server.append_log(*WEB, "app", ["GET /ready 200", "\x1b[31mboom\x1b[0m \xff"])
    wait_for(lambda: len(received) == 5)
    stop.set()
    opened[0].shutdown()
    reader.join(5)
    assert not reader.is_alive()
    assert received[3].endswith("Z GET /ready 200")
    assert received[4].endswith("Z \\x1b[31mboom\\x1b[0m \xff")
    assert server.requests("GET", LOG_PATH.format(WEB[1]))[-1].query == {"container": "app", "follow": "true", "timestamps": "true"}


def wait_for(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


# ---- snapshots and quoted lines ----------------------------------------------------------------------
def test_logs_from_a_snapshot(inventory):
    lines = snapshot_logs(inventory, LogRequest(*KB, "kb", previous=True, tail=2))
    assert lines == ["    import cv2", "ModuleNotFoundError: No module named 'cv2'"]
    assert snapshot_logs(inventory, LogRequest(*KB, "kb", previous=True, tail=0)) == []
    assert len(snapshot_logs(inventory, LogRequest(*KB, "kb", previous=True, tail=-1))) == 10
    with pytest.raises(LogsUnavailable, match="the snapshot holds no current logs for container kb"):
        snapshot_logs(inventory, LogRequest(*KB, "kb"))


def test_the_lines_a_finding_quoted_are_found_even_after_the_log_grew():
    req = LogRequest("ns", "p", "c", previous=False)
    cite = LogCitation("c", False, 2, 3, "panic: boom", "critical", "crash")
    assert cited_log_lines(100, ["a", "panic: boom", "b"], [cite], req) == {101: cite}
    grown = ["a", "panic: boom", "b", "c", "d"]  # two lines since the diagnosis read three
    assert cited_log_lines(0, grown, [cite], req) == {1: cite}
    assert cited_log_lines(0, grown, [cite], LogRequest("ns", "p", "c", previous=True)) == {}


# ---- kubectl's --since, --since-time and --prefix ---------------------------------------------------------
def test_since_reads_go_durations_and_rounds_as_kubectl():
    from k8sdoctor.actions.logs import parse_since, parse_since_time

    assert [parse_since(t) for t in ("90s", "5m", "1h30m", "1.5h", "1500ms", "499ms", "0", "0s")] == [90, 300, 5400, 5400, 2, 0, None, None]
    for bad in ("5", "five minutes", "1d", "-5m", ""):
        with pytest.raises(UserError, match="--since"):
            parse_since(bad)
    assert parse_since_time("2024-05-01T12:00:00.987654+02:00") == "2024-05-01T10:00:00Z"
    with pytest.raises(UserError, match="not an RFC 3339 time"):
        parse_since_time("yesterday")


def test_a_prefix_goes_before_every_line_and_a_long_line_passes_in_parts():
    from k8sdoctor.actions.logs import LineWriter, kubectl_prefix

    out: list[bytes] = []
    writer = LineWriter(kubectl_prefix("p", "c").encode(), out.append)
    writer.HELD_BYTES = 8
    for chunk in (b"one\ntw", b"o\nthree is long", b"er than eight\nlast"):
        writer.feed(chunk)
    writer.finish()
    assert b"".join(out) == b"[pod/p/c] one\n[pod/p/c] two\n[pod/p/c] three is longer than eight\n[pod/p/c] last"
    assert max(len(piece) for piece in out) < len(b"[pod/p/c] three is longer than eight\n")
