"""read_image and ImageSequenceReader."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from reelgraph.errors import DecodeError, MediaNotFoundError
from reelgraph.media import ImageSequenceReader, read_image, write_png

from .helpers import ORANGE, grey_of, index_of


def test_read_image_returns_rgb_uint8(tmp_path: Path) -> None:
    pixels = np.random.default_rng(1).integers(0, 256, (48, 64, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(tmp_path / "a.png")
    assert np.array_equal(read_image(tmp_path / "a.png"), pixels)


def test_read_image_keeps_straight_alpha(tmp_path: Path) -> None:
    pixels = np.zeros((48, 64, 4), dtype=np.uint8)
    pixels[...] = (*ORANGE, 77)
    Image.fromarray(pixels, "RGBA").save(tmp_path / "a.png")
    image = read_image(tmp_path / "a.png")
    assert image.shape == (48, 64, 4)
    assert image[0, 0].tolist() == [*ORANGE, 77]


def test_read_image_keeps_sixteen_bits(tmp_path: Path) -> None:
    pixels = np.random.default_rng(2).integers(0, 65536, (48, 64, 3), dtype=np.uint16)
    write_png(tmp_path / "deep.png", pixels)
    image = read_image(tmp_path / "deep.png")
    assert image.dtype == np.uint16
    assert np.array_equal(image, pixels)


def test_read_image_converts_jpeg_with_its_declared_matrix(tmp_path: Path) -> None:
    pixels = np.zeros((48, 64, 3), dtype=np.uint8)
    pixels[...] = ORANGE
    Image.fromarray(pixels).save(tmp_path / "a.jpg", quality=95)
    assert np.abs(read_image(tmp_path / "a.jpg")[10, 10].astype(int) - ORANGE).max() <= 3


def test_read_image_of_garbage_is_a_decode_error(tmp_path: Path) -> None:
    (tmp_path / "bad.png").write_bytes(b"not a png at all" * 10)
    with pytest.raises(DecodeError) as caught:
        read_image(tmp_path / "bad.png")
    assert caught.value.code == "media.decode"


@pytest.fixture
def sequence(tmp_path: Path) -> str:
    for number in range(5, 10):
        pixels = np.full((24, 32, 3), grey_of(number - 5), dtype=np.uint8)
        Image.fromarray(pixels).save(tmp_path / f"img_{number:04d}.png")
    Image.fromarray(np.zeros((24, 32, 3), np.uint8)).save(tmp_path / "img_0011.png")  # a gap
    return str(tmp_path / "img_%04d.png")


def test_an_image_sequence_counts_consecutive_files(sequence: str) -> None:
    reader = ImageSequenceReader(sequence, 5, Fraction(24))
    assert reader.info.frame_count == 5
    assert reader.info.rate == 24
    assert reader.info.duration == Fraction(5, 24)
    assert (reader.info.width, reader.info.height) == (32, 24)
    reader.close()


def test_an_image_sequence_maps_time_to_files_and_clamps(sequence: str) -> None:
    reader = ImageSequenceReader(sequence, 5, Fraction(24))
    assert [index_of(reader.frame_at(Fraction(n, 24))) for n in range(5)] == list(range(5))
    assert index_of(reader.frame_at(Fraction(1, 48))) == 0
    assert index_of(reader.frame_at(Fraction(10))) == 4
    assert index_of(reader.frame_at(Fraction(-1))) == 0
    reader.close()


def test_an_image_sequence_without_its_first_file_is_not_found(sequence: str) -> None:
    with pytest.raises(MediaNotFoundError) as caught:
        ImageSequenceReader(sequence, 1, Fraction(24))
    assert caught.value.code == "media.not_found"
    assert isinstance(caught.value, FileNotFoundError)


def test_an_image_sequence_refuses_a_file_of_another_size(tmp_path: Path) -> None:
    Image.fromarray(np.zeros((24, 32, 3), np.uint8)).save(tmp_path / "f1.png")
    Image.fromarray(np.zeros((12, 32, 3), np.uint8)).save(tmp_path / "f2.png")
    reader = ImageSequenceReader(str(tmp_path / "f%d.png"), 1, Fraction(1))
    with pytest.raises(DecodeError):
        reader.frame_at(Fraction(1))
