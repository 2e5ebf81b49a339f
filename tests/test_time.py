from fractions import Fraction

import pytest

from reelgraph.errors import TimeFormatError
from reelgraph.time import (
    TimeRange,
    format_timecode,
    parse_rate,
    parse_time,
    parse_time_range,
    sample_at_frame,
)

NTSC = Fraction(30000, 1001)


def test_decimal_ntsc_rates_mean_the_exact_thousand_and_one_rates():
    assert parse_rate("29.97") == NTSC
    assert parse_rate(23.976) == Fraction(24000, 1001)
    assert parse_rate("30000/1001") == NTSC
    assert parse_rate(25) == 25


@pytest.mark.parametrize("bad", ["0", "-24", "abc", None, True, "1/0"])
def test_a_bad_rate_is_a_coded_error(bad):
    with pytest.raises(TimeFormatError) as info:
        parse_rate(bad)
    assert info.value.code == "time.invalid"


def test_times_are_read_as_frames_seconds_timecode_or_clock():
    assert parse_time("120", Fraction(30)) == 120
    assert parse_time("120f", Fraction(30)) == 120
    assert parse_time("4.5s", Fraction(30)) == 135
    assert parse_time("00:00:04:15", Fraction(30)) == 135
    assert parse_time("00:00:04.5", Fraction(30)) == 135
    assert parse_time("1001/1000s", NTSC) == 30


def test_drop_frame_timecode_skips_the_dropped_numbers():
    assert parse_time("00:01:00;02", NTSC) == 1800
    assert parse_time("00:10:00;00", NTSC) == 17982


def test_a_malformed_time_names_the_text():
    with pytest.raises(TimeFormatError, match="not a time"):
        parse_time("soon", Fraction(30))
    with pytest.raises(TimeFormatError):
        parse_time("00:00:01:45", Fraction(30))


def test_ranges_are_end_exclusive_and_must_not_be_empty():
    assert parse_time_range("0-90", Fraction(30)) == (0, 90)
    assert parse_time_range("1s-2s", Fraction(30)) == (30, 60)
    with pytest.raises(TimeFormatError):
        parse_time_range("90-30", Fraction(30))


def test_audio_samples_partition_frames_without_drift_at_ntsc_rates():
    counts = {
        sample_at_frame(f + 1, NTSC, 48000) - sample_at_frame(f, NTSC, 48000) for f in range(3000)
    }
    assert counts == {1601, 1602}
    assert sample_at_frame(30000, NTSC, 48000) == 1001 * 48000


def test_time_ranges_know_overlap_and_intersection():
    a, b = TimeRange(0, 10), TimeRange(5, 10)
    assert a.overlaps(b) and a.intersection(b) == TimeRange(5, 5)
    assert not a.overlaps(TimeRange(10, 2))
    assert a.end_time_exclusive == 10


def test_timecode_formats_frames():
    assert format_timecode(135, Fraction(30)) == "00:00:04:15"
