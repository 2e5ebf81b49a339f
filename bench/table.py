"""Rows of results, their ratios against the goals, and the one table the harness prints."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["ENGINES", "Ratio", "Row", "format_table", "na_row"]

#: The columns of measured values, in order.
ENGINES = ("reelgraph", "ffmpeg", "melt", "moviepy")


@dataclass(frozen=True, slots=True)
class Ratio:
    """A ratio of two measurements, and the goal it is held to (if any)."""

    label: str
    value: float | None
    goal: str = ""
    met: bool | None = None

    def text(self) -> str:
        """``rg/ffmpeg 0.81 (goal <= 0.6: MISS)``."""
        if self.value is None:
            return f"{self.label} n/a"
        shown = f"{self.label} {self.value:.2f}"
        if self.goal:
            verdict = "ok" if self.met else "MISS"
            shown += f" (goal {self.goal}: {verdict})"
        return shown


@dataclass(slots=True)
class Row:
    """One line of the table: a workload, a measure, a value per engine, ratios, a note."""

    id: str
    measure: str
    values: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    ratios: list[Ratio] = field(default_factory=list)
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "id": self.id,
            "measure": self.measure,
            "values": self.values,
            "raw": self.raw,
            "ratios": [asdict(r) for r in self.ratios],
            "note": self.note,
        }


def na_row(row_id: str, measure: str, missing: str) -> Row:
    """A row reelgraph cannot run yet: ``n/a (missing: ...)``."""
    return Row(row_id, measure, {"reelgraph": f"n/a (missing: {missing})"})


def format_table(rows: list[Row]) -> str:
    """The table: fixed columns for values, then ratios and notes."""
    head = ["id", "measure", *ENGINES, "ratios (goal)", "note"]
    body = [
        [
            row.id,
            row.measure,
            *(row.values.get(engine, "-") for engine in ENGINES),
            "; ".join(r.text() for r in row.ratios),
            row.note,
        ]
        for row in rows
    ]
    # n/a texts are long: let them run over the other value columns instead of widening them.
    widths = [max(len(head[i]), *(len(line[i]) for line in body if not line[2].startswith("n/a")))
              if body else len(head[i]) for i in range(len(head))]  # fmt: skip
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for line in body:
        if line[2].startswith("n/a"):
            lines.append(f"{line[0].ljust(widths[0])}  {line[1].ljust(widths[1])}  {line[2]}")
            continue
        lines.append("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
    return "\n".join(lines)
