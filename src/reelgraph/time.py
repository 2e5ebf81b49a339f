"""Exact rational time: rates, frame times, ranges and parsing of user-written times.

No float seconds live in the model. A *rate* is a :class:`fractions.Fraction` of frames
(or samples) per second; a timeline position is an integer frame index at the sequence
rate; seconds are Fractions. Floats appear only inside pixel and sample math.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from reelgraph.errors import TimeFormatError

__all__ = [
    "RationalTime",
    "TimeRange",
    "format_timecode",
    "frame_to_seconds",
    "parse_rate",
    "parse_time",
    "parse_time_range",
    "sample_at_frame",
    "seconds_to_frame",
]

# NTSC rates written as decimals mean the exact 1000/1001 rates, never the decimal.
_NTSC = {
    "23.976": Fraction(24000, 1001),
    "23.98": Fraction(24000, 1001),
    "29.97": Fraction(30000, 1001),
    "47.952": Fraction(48000, 1001),
    "59.94": Fraction(60000, 1001),
    "119.88": Fraction(120000, 1001),
}


def parse_rate(value: object) -> Fraction:
    """Read a rate written as ``30``, ``"30000/1001"``, ``"29.97"`` or a Fraction.

    Raises:
        TimeFormatError: the value is not a positive rate.
    """
    try:
        if isinstance(value, bool):
            raise ValueError
        if isinstance(value, Fraction):
            rate = value
        elif isinstance(value, int):
            rate = Fraction(value)
        elif isinstance(value, float):
            rate = _NTSC.get(f"{value:g}", Fraction(value).limit_denominator(1001))
        elif isinstance(value, str):
            text = value.strip()
            rate = _NTSC[text] if text in _NTSC else Fraction(text)
        else:
            raise ValueError
    except (ValueError, ZeroDivisionError):
        raise TimeFormatError(f"not a rate: {value!r}", value=repr(value)) from None
    if rate <= 0:
        raise TimeFormatError(f"a rate must be positive, got {value!r}", value=repr(value))
    return rate


def frame_to_seconds(frame: int, rate: Fraction) -> Fraction:
    """The exact start time in seconds of frame ``frame`` at ``rate``."""
    return Fraction(frame) / rate


def seconds_to_frame(seconds: Fraction, rate: Fraction) -> int:
    """The frame whose display interval contains ``seconds`` (floor)."""
    return int((seconds * rate).__floor__())


def sample_at_frame(frame: int, rate: Fraction, sample_rate: int) -> int:
    """The first audio sample of video frame ``frame``: floor(frame * sample_rate / rate).

    Consecutive frames partition the samples exactly, so audio never drifts from video
    (at 30000/1001 fps and 48 kHz frames alternate 1601 and 1602 samples).
    """
    return int((Fraction(frame) * sample_rate / rate).__floor__())


@dataclass(frozen=True, slots=True)
class RationalTime:
    """A time as an integer count of units at a rational rate (OTIO's vocabulary)."""

    value: int
    rate: Fraction

    def to_seconds(self) -> Fraction:
        """Exact seconds."""
        return Fraction(self.value) / self.rate

    def rescaled_to(self, rate: Fraction) -> RationalTime:
        """The same instant at another rate, floored to a whole unit."""
        return RationalTime(seconds_to_frame(self.to_seconds(), rate), rate)

    def to_frames(self) -> int:
        """The integer value (frames at ``rate``)."""
        return self.value


@dataclass(frozen=True, slots=True)
class TimeRange:
    """A half-open range of frames ``[start, start + duration)``."""

    start: int
    duration: int

    @property
    def end_time_exclusive(self) -> int:
        """The first frame after the range."""
        return self.start + self.duration

    def contains(self, frame: int) -> bool:
        """Whether ``frame`` lies inside the range."""
        return self.start <= frame < self.start + self.duration

    def overlaps(self, other: TimeRange) -> bool:
        """Whether the two ranges share at least one frame."""
        return self.start < other.end_time_exclusive and other.start < self.end_time_exclusive

    def intersection(self, other: TimeRange) -> TimeRange | None:
        """The shared frames, or None."""
        start = max(self.start, other.start)
        end = min(self.end_time_exclusive, other.end_time_exclusive)
        return TimeRange(start, end - start) if end > start else None


_FRAMES = re.compile(r"^(-?\d+)\s*f?$")
_SECONDS = re.compile(r"^(-?\d+(?:\.\d+)?|-?\d+/\d+)\s*s$")
_TIMECODE = re.compile(r"^(\d+):(\d{1,2}):(\d{1,2})([:;])(\d{1,3})$")
_CLOCK = re.compile(r"^(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")


def _nominal_fps(rate: Fraction) -> int:
    return int((rate).__ceil__()) if rate.denominator != 1 else int(rate)


def parse_time(text: str, rate: Fraction) -> int:
    """Read a user-written time as a frame index at ``rate``.

    Accepted: frames (``120``, ``120f``), seconds (``4.5s``, ``1001/1000s``), timecode
    (``00:00:04:15``; ``;`` before the frames means drop-frame at 29.97/59.94) and clock
    time (``00:01:02.5``). Seconds between frames fall to the frame that shows them.

    Raises:
        TimeFormatError: the text is none of these forms.
    """
    value = text.strip()
    if match := _FRAMES.match(value):
        return int(match.group(1))
    if match := _SECONDS.match(value):
        return seconds_to_frame(Fraction(match.group(1)), rate)
    if match := _TIMECODE.match(value):
        hours, minutes, seconds, sep, frames = match.groups()
        nominal = _nominal_fps(rate)
        if int(frames) >= nominal or int(minutes) >= 60 or int(seconds) >= 60:
            raise TimeFormatError(f"timecode field out of range: {text!r}", value=text)
        total = ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * nominal + int(frames)
        if sep == ";":
            total -= _dropped_frames(int(hours) * 60 + int(minutes), nominal)
        return total
    if match := _CLOCK.match(value):
        hours, minutes, seconds = match.groups()
        total_seconds = (int(hours) * 60 + int(minutes)) * 60 + Fraction(seconds)
        return seconds_to_frame(total_seconds, rate)
    raise TimeFormatError(f"not a time: {text!r}", value=text)


def _dropped_frames(total_minutes: int, nominal: int) -> int:
    drop = 2 * (nominal // 30)
    return drop * (total_minutes - total_minutes // 10)


def parse_time_range(text: str, rate: Fraction) -> tuple[int, int]:
    """Read ``START-END`` (end exclusive) as two frame indices; either side may be a time form.

    Raises:
        TimeFormatError: not two times, or end before start.
    """
    parts = _split_range(text)
    if parts is None:
        raise TimeFormatError(f"not a range START-END: {text!r}", value=text)
    start, end = parse_time(parts[0], rate), parse_time(parts[1], rate)
    if end <= start:
        raise TimeFormatError(f"range ends before it starts: {text!r}", value=text)
    return start, end


def _split_range(text: str) -> tuple[str, str] | None:
    # A leading '-' would be a negative number, so split on the first '-' after position 0.
    index = text.find("-", 1)
    if index < 0:
        return None
    return text[:index], text[index + 1 :]


def format_timecode(frame: int, rate: Fraction) -> str:
    """Non-drop timecode ``HH:MM:SS:FF`` of a frame index."""
    nominal = _nominal_fps(rate)
    sign = "-" if frame < 0 else ""
    frame = abs(frame)
    frames = frame % nominal
    seconds = frame // nominal
    return f"{sign}{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}:{frames:02d}"
