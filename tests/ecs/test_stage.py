"""The fixed stage order and how stage names are read."""

from __future__ import annotations

import pytest

from reelgraph.ecs import Stage
from reelgraph.errors import ScheduleError, UnknownSystemSetError


def test_stages_are_listed_in_tick_order() -> None:
    assert [stage.name for stage in Stage] == [
        "INGEST",
        "DECODE",
        "GRAPH_EVAL",
        "COMPOSITE",
        "OUTPUT",
        "PERSIST",
    ]
    assert sorted(Stage, reverse=True) == list(reversed(Stage))
    assert Stage.INGEST < Stage.PERSIST


@pytest.mark.parametrize(
    "text", ["graph_eval", "GraphEval", "GRAPH_EVAL", "graph-eval", "Graph Eval", "grapheval"]
)
def test_a_stage_name_is_read_in_any_case_or_word_style(text: str) -> None:
    assert Stage.parse(text) is Stage.GRAPH_EVAL


def test_parsing_a_member_returns_it() -> None:
    assert Stage.parse(Stage.OUTPUT) is Stage.OUTPUT


@pytest.mark.parametrize("value", ["render", "", 2, None])
def test_an_unknown_stage_is_an_unknown_set_error(value: object) -> None:
    with pytest.raises(UnknownSystemSetError) as caught:
        Stage.parse(value)  # type: ignore[arg-type]
    assert isinstance(caught.value, ScheduleError)
    assert caught.value.code == "schedule.unknown_set"
    assert "INGEST" in str(caught.value)
