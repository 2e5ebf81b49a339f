"""The tracer: spans on an injected clock, totals, Chrome trace validity, zero cost off."""

from __future__ import annotations

import json
import threading

from reelgraph.trace import NULL_TRACER, Tracer, validate_chrome_trace


class StepClock:
    """A nanosecond clock that moves 1 ms each time it is read."""

    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        self.now += 1_000_000
        return self.now


def test_spans_nest_and_carry_their_durations_in_microseconds():
    tracer = Tracer(clock_ns=StepClock())
    with tracer.span("tick", "tick"):
        with tracer.span("decode", "decode", source="a.mp4"):
            pass
    inner, outer = tracer.events()
    assert (inner["name"], inner["ph"], inner["dur"]) == ("decode", "X", 1000.0)
    assert inner["args"] == {"source": "a.mp4"}
    assert outer["name"] == "tick" and outer["dur"] == 3000.0
    assert outer["ts"] <= inner["ts"] and inner["ts"] + inner["dur"] <= outer["ts"] + outer["dur"]


def test_span_totals_add_up_per_category_and_name():
    tracer = Tracer(clock_ns=StepClock())
    for _ in range(3):
        with tracer.span("transform", "node"):
            pass
    stats = tracer.stats("node")[("node", "transform")]
    assert (stats.count, stats.total, stats.max) == (3, 0.003, 0.001)


def test_a_span_left_by_an_exception_is_recorded_with_the_error_name():
    tracer = Tracer(clock_ns=StepClock())
    try:
        with tracer.span("encode", "encode"):
            raise OSError("disk full")
    except OSError:
        pass
    assert tracer.events()[0]["args"] == {"error": "OSError"}


def test_a_stats_only_tracer_keeps_no_events():
    tracer = Tracer(keep_events=False, clock_ns=StepClock())
    with tracer.span("blend", "node"):
        pass
    tracer.counter("queue", {"normal": 1})
    assert tracer.events() == []
    assert tracer.stats()[("node", "blend")].count == 1


def test_the_written_document_is_valid_chrome_trace_json_naming_its_threads(tmp_path):
    tracer = Tracer()
    with tracer.span("main", "tick"):
        pass
    worker = threading.Thread(target=lambda: tracer.instant("hello", "job"), name="worker-1")
    worker.start()
    worker.join()
    tracer.async_begin("wait", "job.wait", 7)
    tracer.async_end("wait", "job.wait", 7)
    tracer.counter("queue frame", {"video_frame": 3})
    path = tracer.write(tmp_path / "trace.json", project="p.json")
    document = json.loads(path.read_text())
    assert validate_chrome_trace(document) == []
    names = {e["args"]["name"] for e in document["traceEvents"] if e["name"] == "thread_name"}
    assert "worker-1" in names
    assert document["otherData"]["project"] == "p.json"
    assert document["displayTimeUnit"] == "ms"


def test_validation_names_what_is_broken():
    assert validate_chrome_trace([]) != []
    problems = validate_chrome_trace(
        {
            "traceEvents": [
                {"name": "x", "ph": "X", "ts": 0, "pid": 1, "tid": 1},
                {"name": "w", "ph": "e", "cat": "c", "id": "1", "ts": 0, "pid": 1, "tid": 1},
            ]
        }
    )
    assert any("dur" in p for p in problems)
    assert any("without a begin" in p for p in problems)


def test_the_null_tracer_records_nothing_and_hands_out_one_shared_span():
    assert NULL_TRACER.enabled is False
    assert NULL_TRACER.span("a", "b") is NULL_TRACER.span("c", "d")
    with NULL_TRACER.span("a", "b"):
        pass
    assert NULL_TRACER.stats() == {}
