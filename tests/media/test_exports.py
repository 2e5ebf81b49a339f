"""The media package's public names are exactly these."""

from __future__ import annotations

import reelgraph.media as media

EXPECTED = {
    "AudioEncodeSettings",
    "AudioReader",
    "AudioStreamInfo",
    "ImageSequenceReader",
    "MediaInfo",
    "MediaWriter",
    "VideoEncodeSettings",
    "VideoReader",
    "VideoStreamInfo",
    "probe",
    "read_image",
    "write_png",
}


def test_the_public_names_are_exactly_the_documented_ones() -> None:
    assert set(media.__all__) == EXPECTED
    for name in EXPECTED:
        assert getattr(media, name) is not None


def test_value_types_are_frozen_slotted_dataclasses() -> None:
    for cls in (
        media.VideoStreamInfo,
        media.AudioStreamInfo,
        media.MediaInfo,
        media.VideoEncodeSettings,
        media.AudioEncodeSettings,
    ):
        params = cls.__dataclass_params__  # type: ignore[attr-defined]
        assert params.frozen
        assert hasattr(cls, "__slots__")
