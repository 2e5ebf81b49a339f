"""PNG stills with deterministic bytes: FFmpeg's PNG encoder, no time or metadata chunks."""

from __future__ import annotations

import os
from fractions import Fraction

import av
import numpy as np
from av.video.reformatter import VideoReformatter

from reelgraph.errors import EncodeError, output_error_for
from reelgraph.media._funnel import reason_of, writing

__all__ = ["write_png"]

_FORMATS = {
    (3, np.dtype(np.uint8)): ("rgb24", "rgb24"),
    (4, np.dtype(np.uint8)): ("rgba", "rgba"),
    # PNG stores 16-bit samples big-endian.
    (3, np.dtype(np.uint16)): ("rgb48le", "rgb48be"),
    (4, np.dtype(np.uint16)): ("rgba64le", "rgba64be"),
}


def _encode_png(rgb: np.ndarray, path: str) -> bytes:
    channels = rgb.shape[2] if rgb.ndim == 3 else 0
    formats = _FORMATS.get((channels, rgb.dtype))
    if formats is None:
        raise EncodeError(
            f"cannot write {rgb.shape} {rgb.dtype} pixels as PNG; give (H, W, 3|4) uint8 or uint16",
            path=path,
        )
    source_fmt, png_fmt = formats
    frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format=source_fmt)
    if png_fmt != source_fmt:
        frame = VideoReformatter().reformat(frame, format=png_fmt, threads=1)
    ctx = av.CodecContext.create("png", "w")
    ctx.width, ctx.height, ctx.pix_fmt = frame.width, frame.height, png_fmt
    ctx.time_base = Fraction(1, 1)
    ctx.options = {"flags": "+bitexact", "threads": "1"}
    frame.pts = 0
    packets = list(ctx.encode(frame)) + list(ctx.encode(None))
    return b"".join(bytes(p) for p in packets)


def write_png(path: str | os.PathLike[str], rgb: np.ndarray) -> None:
    """Write pixels as a PNG file; the same pixels always give the same bytes.

    Args:
        path: The file to write (created or replaced).
        rgb: ``(H, W, 3)`` RGB or ``(H, W, 4)`` RGBA (straight alpha), ``uint8`` or
            ``uint16``.

    Raises:
        EncodeError: the array's shape or type cannot be written.
        OutputWriteError: the file cannot be written (missing folder, permissions, full
            disk).
    """
    path_str = os.fspath(path)
    with writing(path_str):
        data = _encode_png(rgb, path_str)
    try:
        with open(path_str, "wb") as file:
            file.write(data)
    except OSError as exc:
        raise output_error_for(path_str, exc, detail=reason_of(exc)) from exc
