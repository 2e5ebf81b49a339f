"""write_png: lossless, deterministic bytes, translated errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from reelgraph.errors import EncodeError, OutputWriteError
from reelgraph.media import read_image, write_png


@pytest.mark.parametrize(
    ("channels", "dtype"), [(3, np.uint8), (4, np.uint8), (3, np.uint16), (4, np.uint16)]
)
def test_png_round_trips_exactly(tmp_path: Path, channels: int, dtype: type) -> None:
    top = 256 if dtype is np.uint8 else 65536
    pixels = np.random.default_rng(5).integers(0, top, (24, 32, channels)).astype(dtype)
    write_png(tmp_path / "a.png", pixels)
    assert np.array_equal(read_image(tmp_path / "a.png"), pixels)


def test_eight_bit_pngs_read_the_same_in_pillow(tmp_path: Path) -> None:
    pixels = np.random.default_rng(6).integers(0, 256, (24, 32, 4), dtype=np.uint8)
    write_png(tmp_path / "a.png", pixels)
    assert np.array_equal(np.asarray(Image.open(tmp_path / "a.png")), pixels)


def test_the_same_pixels_give_the_same_bytes(tmp_path: Path) -> None:
    pixels = np.random.default_rng(8).integers(0, 256, (24, 32, 3), dtype=np.uint8)
    write_png(tmp_path / "a.png", pixels)
    write_png(tmp_path / "b.png", pixels)
    data = (tmp_path / "a.png").read_bytes()
    assert data == (tmp_path / "b.png").read_bytes()
    assert b"tIME" not in data and b"tEXt" not in data


def test_a_missing_folder_is_an_output_write_error(tmp_path: Path) -> None:
    with pytest.raises(OutputWriteError) as caught:
        write_png(tmp_path / "nope" / "a.png", np.zeros((2, 2, 3), np.uint8))
    assert caught.value.code == "output.write_failed"


def test_arrays_that_are_not_images_are_refused(tmp_path: Path) -> None:
    with pytest.raises(EncodeError):
        write_png(tmp_path / "a.png", np.zeros((2, 2), np.float32))
