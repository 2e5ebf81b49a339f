"""Encode settings validate codec, pixel format and numbers when built."""

from __future__ import annotations

from fractions import Fraction

import av
import pytest

from reelgraph.errors import EncodeError, UnsupportedCodecError
from reelgraph.media import AudioEncodeSettings, VideoEncodeSettings
from reelgraph.media.encode_settings import VIDEO_ENCODERS, VIDEO_PIX_FMTS


def test_defaults_describe_a_h264_yuv420p_export() -> None:
    settings = VideoEncodeSettings("h264", 64, 48, Fraction(25))
    assert (settings.pix_fmt, settings.crf, settings.threads, settings.encoder) == (
        "yuv420p",
        20,
        2,
        "libx264",
    )
    assert AudioEncodeSettings("aac").encoder == "aac"


def test_every_listed_pixel_format_is_taken_by_the_bundled_encoder() -> None:
    for codec, encoder in VIDEO_ENCODERS.items():
        supported = {f.name for f in av.Codec(encoder, "w").video_formats}
        assert set(VIDEO_PIX_FMTS[codec]) <= supported, codec


def test_an_unknown_video_codec_names_the_allowed_ones() -> None:
    with pytest.raises(UnsupportedCodecError) as caught:
        VideoEncodeSettings("vp9", 64, 48, Fraction(25))
    assert caught.value.code == "media.unsupported_codec"
    assert "h264" in caught.value.message and "prores" in caught.value.message


def test_prores_refuses_yuv420p_and_names_its_formats() -> None:
    with pytest.raises(UnsupportedCodecError) as caught:
        VideoEncodeSettings("prores", 64, 48, Fraction(25), pix_fmt="yuv420p")
    assert "yuv422p10le" in caught.value.message
    assert caught.value.params["pix_fmt"] == "yuv420p"


def test_a_prores_profile_must_match_its_chroma() -> None:
    with pytest.raises(UnsupportedCodecError):
        VideoEncodeSettings("prores", 64, 48, Fraction(25), pix_fmt="yuv444p10le", prores_profile=2)
    VideoEncodeSettings("prores", 64, 48, Fraction(25), pix_fmt="yuv444p10le", prores_profile=4)


def test_an_unknown_audio_codec_is_unsupported() -> None:
    with pytest.raises(UnsupportedCodecError) as caught:
        AudioEncodeSettings("mp3")
    assert "aac" in caught.value.message


@pytest.mark.parametrize(
    "changes",
    [{"width": 63}, {"height": 0}, {"rate": Fraction(0)}, {"threads": 0}, {"crf": 60}, {"gop": 0}],
)
def test_numbers_out_of_range_are_refused(changes: dict[str, object]) -> None:
    values: dict[str, object] = {
        "codec": "h264",
        "width": 64,
        "height": 48,
        "rate": Fraction(25),
        **changes,
    }
    with pytest.raises(EncodeError):
        VideoEncodeSettings(**values)  # type: ignore[arg-type]


def test_odd_sizes_are_fine_without_chroma_subsampling() -> None:
    VideoEncodeSettings("ffv1", 63, 47, Fraction(25), pix_fmt="yuv444p")


def test_settings_are_frozen_values() -> None:
    settings = AudioEncodeSettings("flac")
    with pytest.raises(AttributeError):
        settings.codec = "aac"  # type: ignore[misc]
    assert settings == AudioEncodeSettings("flac")
