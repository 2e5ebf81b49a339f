"""Which timeline frame and which samples belong to each output frame."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from reelgraph.time import seconds_to_frame

__all__ = ["OutputClock"]


@dataclass(frozen=True, slots=True)
class OutputClock:
    """Output frame ``i`` shows timeline time ``start / rate + i / output_rate``.

    Its picture is the timeline frame on screen at that time (never past ``end - 1``);
    its samples run from that time to the next output frame's, so audio stays
    sample-locked to video at any output rate.
    """

    start: int
    end: int
    rate: Fraction
    output_rate: Fraction
    sample_rate: int

    @property
    def frame_count(self) -> int:
        """How many output frames cover timeline frames ``[start, end)``."""
        seconds = Fraction(self.end - self.start) / self.rate
        return max(1, int((seconds * self.output_rate).__ceil__()))

    def _seconds(self, index: int) -> Fraction:
        return Fraction(self.start) / self.rate + Fraction(index) / self.output_rate

    def timeline_frame(self, index: int) -> int:
        """The timeline frame shown by output frame ``index``."""
        return min(seconds_to_frame(self._seconds(index), self.rate), self.end - 1)

    def sample_span(self, first: int, stop: int) -> tuple[int, int]:
        """The samples ``[start, end)`` of output frames ``[first, stop)``."""
        samples = Fraction(self.sample_rate)
        return (
            seconds_to_frame(self._seconds(first), samples),
            seconds_to_frame(self._seconds(stop), samples),
        )
