"""Decoding on the GPU's video engine (NVDEC) or the CPU gives the same pixels.

Without a CUDA device (CI): ``auto`` falls back to the CPU once, says why, and ``cuda``
is a coded error. With one (the device machine; ``REELGRAPH_EXPECT_CUDA=1`` makes its
absence a failure there): readers decode on NVDEC and every frame, after seeks,
skipped B-frames and sequential steps, equals the CPU's, for 8-bit H.264 and 10-bit
HEVC; a 4:2:2 H.264 file, which NVDEC lacks, decodes in software inside the same reader.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from reelgraph.cli.main import main as reelgraph
from reelgraph.engine.engine import Engine
from reelgraph.engine.preview import open_for_preview
from reelgraph.errors import DecodeDeviceError, DecodeError
from reelgraph.media import MediaWriter, VideoEncodeSettings, VideoReader, probe
from reelgraph.media import decode_device as devices
from reelgraph.media._to_rgb import RgbConverter
from reelgraph.project.load import load_project
from reelgraph.proxies import MediaCache
from reelgraph.testing import clip, media, project, track

EXPECT_CUDA = os.environ.get("REELGRAPH_EXPECT_CUDA") == "1"
FRAMES, RATE = 72, Fraction(24)


@pytest.fixture(autouse=True)
def _fresh_device_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test finds out about CUDA afresh (the module remembers it per process)."""
    monkeypatch.setattr(devices, "_cuda_state", None)
    yield


def _moving_picture(index: int, width: int, height: int) -> np.ndarray:
    """Gradients that move, plus seeded noise: real motion vectors and residuals."""
    y, x = np.mgrid[0:height, 0:width]
    rng = np.random.default_rng(index)
    r = (x * 2 + index * 5) % 256
    g = (y * 3 + index * 3) % 256
    b = ((x + y) // 2 + index * 7) % 256
    noise = rng.integers(0, 24, size=(height, width, 1))
    rgb = np.stack([r, g, b], axis=-1) + noise
    return np.clip(rgb, 0, 255).astype(np.uint8)


def _encode(path: Path, codec: str, pix_fmt: str, width: int = 320, height: int = 180) -> Path:
    settings = VideoEncodeSettings(
        codec=codec,
        width=width,
        height=height,
        rate=RATE,
        pix_fmt=pix_fmt,
        crf=20,
        preset="medium",  # B-frames, B-pyramid: references a skip must respect
        gop=24,
    )
    writer = MediaWriter(str(path), settings, None)
    for index in range(FRAMES):
        writer.write_video(_moving_picture(index, width, height))
    writer.close()
    return path


@pytest.fixture(scope="module")
def h264(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _encode(tmp_path_factory.mktemp("nvdec") / "h264.mp4", "h264", "yuv420p")


@pytest.fixture(scope="module")
def hevc10(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _encode(tmp_path_factory.mktemp("nvdec") / "hevc10.mp4", "h265", "yuv420p10le")


@pytest.fixture(scope="module")
def h264_422(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _encode(tmp_path_factory.mktemp("nvdec") / "h264-422.mp4", "h264", "yuv422p")


def _walk(path: Path, device: devices.DecodeDevice) -> tuple[list[np.ndarray], str]:
    """Random jumps (seeks, in-GOP skips), backward steps and a sequential run."""
    rng = random.Random(5)
    times = [rng.randrange(FRAMES) for _ in range(24)] + [40, 39, 38] + list(range(50, 60))
    with VideoReader(path, decode_device=device, cache_frames=0) as reader:
        frames = [reader.frame_at(Fraction(t) / RATE).copy() for t in times]
        return frames, reader.decoder


@pytest.mark.parametrize("clip", ["h264", "hevc10", "h264_422"])
def test_auto_gives_the_cpu_pixels(clip: str, request: pytest.FixtureRequest) -> None:
    path = request.getfixturevalue(clip)
    on_cpu, where_cpu = _walk(path, "cpu")
    on_auto, where_auto = _walk(path, "auto")
    assert where_cpu == "cpu"
    assert len(on_auto) == len(on_cpu)
    for index, (a, b) in enumerate(zip(on_cpu, on_auto, strict=True)):
        assert a.dtype == b.dtype and a.shape == b.shape
        assert np.array_equal(a, b), f"{clip}: request {index} differs between CPU and {where_auto}"
    if devices.cuda_unavailable_reason() is None:  # CUDA opened: NVDEC decodes what it can
        assert where_auto == ("cpu" if clip == "h264_422" else "cuda")
    else:
        assert where_auto == "cpu"
        assert not EXPECT_CUDA, devices.cuda_unavailable_reason()


def test_auto_without_a_device_falls_back_once_and_says_why(h264: Path) -> None:
    if EXPECT_CUDA:
        pytest.skip("this machine has a CUDA device")
    with VideoReader(h264, decode_device="auto") as reader:
        assert reader.decoder == "cpu"
    reason = devices.cuda_unavailable_reason()
    if reason is None:
        pytest.skip("a CUDA device opened here")
    assert "CUDA" in reason
    # Later readers go straight to the CPU: the reason stays what it was.
    with VideoReader(h264, decode_device="auto") as reader:
        assert reader.decoder == "cpu"
    assert devices.cuda_unavailable_reason() == reason


def test_cuda_without_a_device_is_a_coded_error(h264: Path) -> None:
    with VideoReader(h264, decode_device="auto") as reader:
        on_gpu = reader.decoder == "cuda"
    if on_gpu:
        with VideoReader(h264, decode_device="cuda") as reader:
            assert reader.decoder == "cuda"
        return
    with pytest.raises(DecodeDeviceError) as caught:
        VideoReader(h264, decode_device="cuda")
    assert caught.value.code == "media.decode_device"
    assert caught.value.params["reason"]


def test_a_bad_file_is_a_decode_error_and_leaves_the_device_untold(tmp_path: Path) -> None:
    bad = tmp_path / "not-video.mp4"
    bad.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 8)
    with pytest.raises(DecodeError):
        VideoReader(bad, decode_device="auto")
    # The file's fault says nothing about the GPU (a later reader still tries it).
    reason = devices.cuda_unavailable_reason()
    assert reason is None or "CUDA" in reason


def test_an_unknown_device_is_refused(h264: Path) -> None:
    with pytest.raises(DecodeDeviceError):
        VideoReader(h264, decode_device="vulkan")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("planar", "semi_planar"), [("yuv420p", "nv12"), ("yuv420p10le", "p010le")]
)
def test_nvdec_layouts_convert_to_the_same_rgb(h264: Path, planar: str, semi_planar: str) -> None:
    """NVDEC hands NV12 / P010; swscale must make exactly the planar formats' RGB."""
    info = probe(h264).video
    assert info is not None
    depth = 10 if planar.endswith("10le") else 8
    convert = RgbConverter(dataclasses.replace(info, pix_fmt=planar, bit_depth=depth))
    rng = np.random.default_rng(3)
    for _ in range(4):
        frame = av.VideoFrame(96, 54, planar)
        for plane in frame.planes:
            if depth == 8:
                values = rng.integers(16, 236, size=plane.buffer_size, dtype=np.uint8)
            else:
                count = plane.buffer_size // 2
                values = rng.integers(64, 941, size=count, dtype=np.uint16)
            plane.update(values.tobytes())
        repacked = frame.reformat(format=semi_planar)
        assert repacked.format.name == semi_planar
        back = repacked.reformat(format=planar)
        assert all(bytes(a) == bytes(b) for a, b in zip(frame.planes, back.planes, strict=True))
        assert np.array_equal(convert(frame), convert(repacked))


def _project_file(path: Path, tmp_path: Path) -> Path:
    body = project(
        [track("V1", "video", [clip("c1", 0, 48, media(str(path)))])],
        width=320,
        height=180,
        rate=24,
    )
    file = tmp_path / "p.json"
    file.write_text(json.dumps(body))
    return file


def test_engines_decode_where_told(h264: Path, tmp_path: Path) -> None:
    document = load_project(_project_file(h264, tmp_path))
    cache = MediaCache(tmp_path / "media-cache")
    with Engine(document, with_audio=False, media_cache=cache) as export_like:
        assert export_like.media.decode_device == "cpu"
        cpu_frame = np.array(export_like.render_frame(30))
    preview = open_for_preview(document, proxies=False, with_audio=False, media_cache=cache)
    with preview:
        assert preview.media.decode_device == "auto"
        auto_frame = np.array(preview.render_frame(30))
        assert sum(preview.media.decoders.values()) >= 1
    assert np.array_equal(cpu_frame, auto_frame)


def test_render_with_cuda_on_a_machine_without_one_is_a_coded_failure(
    h264: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if EXPECT_CUDA:
        pytest.skip("this machine has a CUDA device")
    file = _project_file(h264, tmp_path)
    output = tmp_path / "f.png"
    status = reelgraph(
        ["frame", str(file), "--at", "3", "-o", str(output), "--decode-device", "cuda", "--json"]
    )
    if status == 0:
        pytest.skip("a CUDA device opened here")
    out = capsys.readouterr()
    report = json.loads(out.out or out.err)
    assert report["error"]["code"] == "media.decode_device"
