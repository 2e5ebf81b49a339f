"""Chrome trace-event JSON: build, write and check the documents the tracer saves.

The format (the "JSON Object Format" of the Trace Event Format) is a document
``{"traceEvents": [...], "displayTimeUnit": "ms", "otherData": {...}}``; every event
has ``name``, ``cat``, ``ph`` (phase), ``ts`` (microseconds), ``pid`` and ``tid``.
We write complete spans (``X``, with ``dur``), instants (``i``), counters (``C``), async
intervals (``b``/``e`` with ``id``) and metadata naming the process and threads (``M``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reelgraph.project.atomic import write_text_atomic

__all__ = ["chrome_trace_document", "validate_chrome_trace", "write_chrome_trace"]

_PHASES = frozenset({"X", "B", "E", "i", "I", "C", "b", "e", "n", "M"})


def chrome_trace_document(
    events: list[dict[str, Any]],
    *,
    pid: int,
    threads: list[tuple[int, str]],
    metadata: dict[str, Any] | None = None,
    process_name: str = "reelgraph",
) -> dict[str, Any]:
    """A trace document: metadata events naming process and threads, then ``events``."""
    named: list[dict[str, Any]] = [
        {"name": "process_name", "ph": "M", "pid": pid, "tid": 0, "args": {"name": process_name}}
    ]
    for tid, name in threads:
        named.append(
            {"name": "thread_name", "ph": "M", "pid": pid, "tid": tid, "args": {"name": name}}
        )
        named.append(
            {
                "name": "thread_sort_index",
                "ph": "M",
                "pid": pid,
                "tid": tid,
                "args": {"sort_index": tid},
            }
        )
    return {
        "traceEvents": named + events,
        "displayTimeUnit": "ms",
        "otherData": {"producer": "reelgraph", **(metadata or {})},
    }


def write_chrome_trace(path: Path, document: dict[str, Any]) -> Path:
    """Write ``document`` as compact JSON, atomically; returns ``path``.

    Raises:
        OutputWriteError: The file cannot be written.
    """
    write_text_atomic(path, json.dumps(document, separators=(",", ":")) + "\n")
    return path


def validate_chrome_trace(document: Any) -> list[str]:
    """The ways ``document`` breaks the trace-event format (empty when it is valid)."""
    if not isinstance(document, dict) or not isinstance(document.get("traceEvents"), list):
        return ["the document must be an object with a 'traceEvents' list"]
    problems: list[str] = []
    open_async: dict[tuple[str, str, str], int] = {}
    for index, event in enumerate(document["traceEvents"]):
        problems.extend(f"event {index}: {p}" for p in _event_problems(event))
        if isinstance(event, dict) and event.get("ph") in ("b", "e"):
            key = (str(event.get("cat")), str(event.get("name")), str(event.get("id")))
            open_async[key] = open_async.get(key, 0) + (1 if event["ph"] == "b" else -1)
            if open_async[key] < 0:
                problems.append(f"event {index}: async end {key} without a begin")
    return problems


def _event_problems(event: Any) -> list[str]:
    if not isinstance(event, dict):
        return ["not an object"]
    problems = []
    phase = event.get("ph")
    if phase not in _PHASES:
        problems.append(f"unknown phase {phase!r}")
    if not isinstance(event.get("name"), str):
        problems.append("no name")
    for key in ("pid", "tid"):
        if not isinstance(event.get(key), int):
            problems.append(f"{key} is not an integer")
    if phase != "M" and not isinstance(event.get("ts"), int | float):
        problems.append("ts is not a number")
    if phase == "X" and not (isinstance(event.get("dur"), int | float) and event["dur"] >= 0):
        problems.append("a complete event needs a non-negative dur")
    if phase in ("b", "e") and ("id" not in event or "cat" not in event):
        problems.append("an async event needs id and cat")
    if phase == "C" and not all(
        isinstance(v, int | float) for v in (event.get("args") or {}).values()
    ):
        problems.append("counter values must be numbers")
    return problems
