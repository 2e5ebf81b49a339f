"""Bad files become coded errors with the path attached, never a foreign traceback."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from reelgraph.errors import DecodeError, MediaNotFoundError, NoStreamError, ReelgraphError
from reelgraph.media import AudioReader, VideoReader, probe, read_image

OPENERS: dict[str, Callable[[Path], Any]] = {
    "probe": probe,
    "VideoReader": VideoReader,
    "AudioReader": lambda path: AudioReader(path, 48000),
    "read_image": read_image,
}


@pytest.mark.parametrize("opener", OPENERS)
def test_a_missing_file_is_media_not_found(tmp_path: Path, opener: str) -> None:
    missing = tmp_path / "nowhere.mp4"
    with pytest.raises(MediaNotFoundError) as caught:
        OPENERS[opener](missing)
    assert caught.value.code == "media.not_found"
    assert caught.value.params["path"] == str(missing)
    assert isinstance(caught.value, FileNotFoundError)


@pytest.mark.parametrize("opener", ["probe", "VideoReader", "AudioReader"])
def test_garbage_with_an_mp4_extension_is_a_decode_error(garbage_mp4: Path, opener: str) -> None:
    with pytest.raises(DecodeError) as caught:
        OPENERS[opener](garbage_mp4)
    assert caught.value.code == "media.decode"
    assert caught.value.params["path"] == str(garbage_mp4)
    assert caught.value.__cause__ is not None


@pytest.mark.parametrize("opener", ["probe", "VideoReader"])
def test_a_truncated_mp4_is_a_decode_error(truncated_mp4: Path, opener: str) -> None:
    with pytest.raises(DecodeError) as caught:
        OPENERS[opener](truncated_mp4)
    assert caught.value.code == "media.decode"


def test_corrupt_data_mid_file_is_a_decode_error_with_the_time(corrupt_mp4: Path) -> None:
    with VideoReader(corrupt_mp4) as reader:
        with pytest.raises(DecodeError) as caught:
            for index in range(30):
                reader.frame_at(Fraction(index, 25))
    assert caught.value.params["path"] == str(corrupt_mp4)
    assert "time" in caught.value.params
    assert "at" in caught.value.message


def test_a_file_without_video_or_audio_has_no_stream(subtitles_only: Path) -> None:
    with pytest.raises(NoStreamError) as caught:
        probe(subtitles_only)
    assert caught.value.code == "media.no_stream"


def test_an_audio_only_file_has_no_video_stream(click_wav: Path) -> None:
    with pytest.raises(NoStreamError):
        VideoReader(click_wav)


def test_a_directory_is_a_decode_error(tmp_path: Path) -> None:
    with pytest.raises(ReelgraphError) as caught:
        probe(tmp_path)
    assert caught.value.code == "media.decode"
