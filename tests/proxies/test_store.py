"""The .rgproxy file: frames round-trip, half-written and damaged files never open."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reelgraph.errors import MediaError, ProxyCorruptError
from reelgraph.proxies.store import ProxyFile, ProxyMeta, ProxyWriter


def _meta(codec: str = "raw", channels: int = 3) -> ProxyMeta:
    return ProxyMeta("fp1:1:" + "0" * 64, "half", 16, 8, channels, codec, 32, 16, "1/30")


def _frames(count: int, channels: int = 3) -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    return [rng.integers(0, 256, (8, 16, channels), dtype=np.uint8) for _ in range(count)]


def _write(path: Path, frames: list[np.ndarray], meta: ProxyMeta) -> Path:
    writer = ProxyWriter(path, meta)
    for index, frame in enumerate(frames):
        writer.add(index * 2, frame)
    return writer.finish()


def test_raw_frames_come_back_exactly_as_read_only_views(tmp_path):
    frames = _frames(5, channels=4)
    proxy = ProxyFile(_write(tmp_path / "p.rgproxy", frames, _meta(channels=4)))
    assert len(proxy) == 5 and proxy.pts == [0, 2, 4, 6, 8]
    for index, frame in enumerate(frames):
        got = proxy.frame(index)
        assert np.array_equal(got, frame)
        assert not got.flags.writeable
    proxy.verify()
    proxy.close()


def test_jpeg_frames_come_back_within_a_small_tolerance(tmp_path):
    smooth = [np.full((8, 16, 3), (40 * i, 100, 200 - 30 * i), dtype=np.uint8) for i in range(4)]
    proxy = ProxyFile(_write(tmp_path / "p.rgproxy", smooth, _meta("jpeg")))
    for index, frame in enumerate(smooth):
        diff = np.abs(proxy.frame(index).astype(int) - frame.astype(int))
        assert diff.max() <= 3


def test_a_half_written_proxy_never_appears_under_its_final_name(tmp_path):
    path = tmp_path / "p.rgproxy"
    writer = ProxyWriter(path, _meta())
    writer.add(0, _frames(1)[0])
    assert not path.exists()
    writer.abort()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("cut", [1, 40, 200])
def test_a_truncated_proxy_is_detected_as_corrupt(tmp_path, cut):
    path = _write(tmp_path / "p.rgproxy", _frames(3), _meta())
    data = path.read_bytes()
    path.write_bytes(data[:-cut])
    with pytest.raises(ProxyCorruptError) as caught:
        ProxyFile(path)
    assert isinstance(caught.value, MediaError)
    assert caught.value.code == "media.proxy_corrupt"


def test_a_damaged_frame_is_detected_by_its_checksum_when_read(tmp_path):
    path = _write(tmp_path / "p.rgproxy", _frames(3), _meta())
    proxy = ProxyFile(path)
    offset = proxy._table[1][0]  # the second frame's payload
    proxy.close()
    data = bytearray(path.read_bytes())
    data[offset + 5] ^= 0xFF
    path.write_bytes(bytes(data))
    damaged = ProxyFile(path)
    damaged.frame(0)
    with pytest.raises(ProxyCorruptError):
        damaged.frame(1)
    with pytest.raises(ProxyCorruptError):
        damaged.verify()


def test_a_damaged_header_fails_the_trailer_checksum(tmp_path):
    path = _write(tmp_path / "p.rgproxy", _frames(2), _meta())
    data = bytearray(path.read_bytes())
    data[20] ^= 0x01  # inside the header JSON
    path.write_bytes(bytes(data))
    with pytest.raises(ProxyCorruptError):
        ProxyFile(path)


def test_frames_of_the_wrong_shape_are_refused(tmp_path):
    writer = ProxyWriter(tmp_path / "p.rgproxy", _meta())
    with pytest.raises(ValueError):
        writer.add(0, np.zeros((8, 16, 4), dtype=np.uint8))
    writer.abort()
