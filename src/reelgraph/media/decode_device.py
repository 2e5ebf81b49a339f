"""Where video is decoded: FFmpeg's software decoders, or NVIDIA's NVDEC through CUDA.

A reader asks :func:`open_decoding` for its container. ``"cpu"`` decodes in software (FFmpeg's
frame and slice threads); ``"cuda"`` decodes on the GPU's video engine and fails with
:class:`DecodeDeviceError` where none opens; ``"auto"`` takes the GPU where one opens and
the CPU otherwise. A machine without a usable CUDA device is found out once per process:
later readers go straight to the CPU, and :func:`cuda_unavailable_reason` says why.

The pixels are the same either way. H.264 and HEVC decoding is bit-exact by the standards,
and NVDEC's planes were compared with FFmpeg's software decoder plane for plane (the device
test in ``tests/media/test_decode_device.py``); frames arrive as NV12 or P010 instead of
planar YUV, and swscale makes the same RGB of both (tested here). Codecs and profiles the
video engine lacks (4:2:2 and 4:4:4 H.264, ProRes, FFV1...) decode in software within the
same reader: FFmpeg's own fallback. Exports still default to the CPU, so their bytes never
depend on a machine's GPU; viewers and scrubbing
(:func:`~reelgraph.engine.preview.open_for_preview`) default to ``"auto"``.
"""

from __future__ import annotations

import threading
from typing import Literal, get_args

import av
from av.codec.hwaccel import HWAccel, hwdevices_available
from av.container import InputContainer

from reelgraph.errors import DecodeDeviceError

__all__ = [
    "DECODE_DEVICES",
    "DEVICE_LAYOUTS",
    "DecodeDevice",
    "cuda_unavailable_reason",
    "open_decoding",
]

DecodeDevice = Literal["cpu", "auto", "cuda"]
"""``cpu``: software; ``cuda``: NVDEC, or an error; ``auto``: NVDEC where it opens."""

DECODE_DEVICES: tuple[str, ...] = get_args(DecodeDevice)

DEVICE_LAYOUTS = frozenset({"nv12", "p010le", "p016le", "nv16", "p210le", "p216le", "p410le"})
"""Semi-planar layouts NVDEC's frames arrive in (the planar formats of software decoders
never are these)."""

_lock = threading.Lock()
# None until a reader first tries CUDA; then "" when it opened, else why it did not.
_cuda_state: str | None = None


def cuda_unavailable_reason() -> str | None:
    """Why CUDA decoding is not used in this process (None: untried, or it works)."""
    return _cuda_state or None


def open_decoding(path: str, device: DecodeDevice) -> tuple[InputContainer, bool]:
    """Open ``path`` for decoding on ``device``; also says whether NVDEC decodes it.

    Call inside :func:`~reelgraph.media._funnel.reading`: FFmpeg errors of the file
    itself propagate as they would from a plain open.

    Raises:
        DecodeDeviceError: ``device`` is ``"cuda"`` and no CUDA device opens.
    """
    if device not in DECODE_DEVICES:
        raise DecodeDeviceError(
            f"unknown decode device {device!r} (one of {', '.join(DECODE_DEVICES)})",
            device=device,
        )
    if device == "cpu" or (device == "auto" and _cuda_state):
        return _plain(path), False
    if "cuda" not in hwdevices_available():
        _remember("this FFmpeg build has no CUDA support")
    else:
        accel = HWAccel("cuda", allow_software_fallback=True)
        try:
            container = av.open(path, "r", metadata_errors="ignore", hwaccel=accel)
        except (OSError, av.error.FFmpegError) as error:
            plain = _plain(path)  # a fault of the file itself raises here, device untold
            _remember(f"no CUDA device opened ({type(error).__name__}: {error})")
            if device == "auto":
                return plain, False
            plain.close()
        else:
            _remember("")
            return container, True
    if device == "cuda":
        raise DecodeDeviceError(
            f"CUDA decoding was asked for, but {_cuda_state}",
            device=device,
            reason=_cuda_state,
        )
    return _plain(path), False


def _plain(path: str) -> InputContainer:
    return av.open(path, "r", metadata_errors="ignore")


def _remember(reason: str) -> None:
    global _cuda_state
    with _lock:
        if not _cuda_state:
            _cuda_state = reason
