"""The stages of one tick: the fixed, ordered system sets every system belongs to.

A tick runs the stages in the order of their values, always the same, whatever order the
systems were added in. Plugins name a stage either by the enum member or by its name as a
string (``"graph_eval"``, ``"GraphEval"`` and ``"GRAPH_EVAL"`` all mean
:attr:`Stage.GRAPH_EVAL`).
"""

from __future__ import annotations

import enum

from reelgraph.errors import UnknownSystemSetError

__all__ = ["Stage"]


def _normalized(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum())


class Stage(enum.IntEnum):
    """One system set of the tick; members are listed (and run) in tick order."""

    INGEST = 0
    DECODE = 1
    GRAPH_EVAL = 2
    COMPOSITE = 3
    OUTPUT = 4
    PERSIST = 5

    @classmethod
    def parse(cls, value: Stage | str) -> Stage:
        """Read a stage given as a member or as its name in any case or word style.

        Args:
            value: A :class:`Stage`, or a name such as ``"graph_eval"``, ``"GraphEval"``
                or ``"GRAPH-EVAL"``. Case, underscores, hyphens and spaces are ignored.

        Returns:
            The stage named.

        Raises:
            UnknownSystemSetError: ``value`` names no stage (code ``schedule.unknown_set``).
        """
        if isinstance(value, Stage):
            return value
        if isinstance(value, str):
            wanted = _normalized(value)
            for member in cls:
                if _normalized(member.name) == wanted:
                    return member
        known = ", ".join(member.name for member in cls)
        raise UnknownSystemSetError(
            f"unknown system set {value!r}; the stages are {known}",
            set=value,
            known=known,
        )
