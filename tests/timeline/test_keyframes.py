import pytest

from reelgraph.timeline.keyframes import Animated, Interp, Keyframe, evaluate, evaluate_pair


def ramp(interp: Interp) -> Animated:
    return Animated((Keyframe(0, 0.0, interp), Keyframe(10, 10.0)))


def test_linear_keys_interpolate_and_hold_outside_their_range():
    assert evaluate(ramp(Interp.LINEAR), 2.5) == 2.5
    assert evaluate(ramp(Interp.LINEAR), -5) == 0.0
    assert evaluate(ramp(Interp.LINEAR), 50) == 10.0


def test_hold_keeps_the_value_until_the_next_key():
    assert evaluate(ramp(Interp.HOLD), 9.99) == 0.0
    assert evaluate(ramp(Interp.HOLD), 10) == 10.0


@pytest.mark.parametrize("interp", [Interp.EASE_IN, Interp.EASE_OUT, Interp.EASE_IN_OUT])
def test_eased_segments_meet_their_keys_and_stay_between_them(interp):
    values = [evaluate(ramp(interp), f / 4) for f in range(41)]
    assert values[0] == 0.0 and values[-1] == 10.0
    assert all(0.0 <= v <= 10.0 for v in values)
    assert values == sorted(values)


def test_ease_in_starts_slow_and_ease_out_starts_fast():
    assert evaluate(ramp(Interp.EASE_IN), 2) < 2 < evaluate(ramp(Interp.EASE_OUT), 2)


def test_vector_keys_interpolate_per_component():
    position = Animated((Keyframe(0, (0.0, 100.0)), Keyframe(4, (40.0, 0.0))))
    assert evaluate_pair(position, 1) == (10.0, 75.0)
    assert evaluate_pair(2.0, 7) == (2.0, 2.0)


def test_many_keys_find_their_segment():
    wave = Animated(tuple(Keyframe(i * 10, float(i % 2)) for i in range(50)))
    assert evaluate(wave, 15) == 0.5
    assert evaluate(wave, 490) == 1.0
