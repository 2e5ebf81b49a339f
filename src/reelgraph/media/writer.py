"""Writing a render: one container, an optional video and an optional audio stream.

The same frames and samples give a byte-identical file on every run and every machine:
encoder thread counts are pinned by the settings, codecs and muxer run with ``bitexact``
(no version strings, no creation time, fixed Matroska UIDs), and pixel and sample
conversions are exact. The caller writes to a temporary path and renames it; the format
is therefore passed explicitly, since the temporary name's extension may differ.
"""

from __future__ import annotations

import os
from types import TracebackType

import av
import numpy as np
from av.container import OutputContainer

from reelgraph.errors import EncodeError, OutputWriteError, UnsupportedCodecError
from reelgraph.media._audio_track import AudioTrack
from reelgraph.media._funnel import writing
from reelgraph.media._video_track import VideoTrack
from reelgraph.media.encode_settings import AudioEncodeSettings, VideoEncodeSettings

__all__ = ["MediaWriter"]


def _open_output(path: str, container_format: str | None) -> OutputContainer:
    try:
        # bitexact: no muxer version string, no creation time, fixed Matroska UIDs.
        return av.open(
            path, "w", format=container_format, container_options={"fflags": "+bitexact"}
        )
    except ValueError as exc:  # PyAV's word for an unknown or unguessable format
        if isinstance(exc, av.error.FFmpegError):
            raise
        wanted = container_format or os.path.splitext(path)[1] or "(no extension)"
        raise UnsupportedCodecError(
            f"no container format {wanted!r} for {path}; name one such as mp4, mov, "
            "matroska or wav",
            path=path,
            format=wanted,
        ) from exc


class MediaWriter:
    """Encodes display RGB frames and float samples into one media file.

    Use as a context manager: a clean exit closes (flushes) the file, an exception
    aborts it.

    Args:
        path: The file to write (created or truncated).
        video: Video settings, or None for an audio-only file.
        audio: Audio settings, or None for a video-only file.
        container_format: FFmpeg muxer name (``"mp4"``, ``"mov"``, ``"matroska"``,
            ``"wav"``); None picks it from the extension of ``path``.

    Raises:
        EncodeError: neither video nor audio, or an encoder that refuses the settings.
        UnsupportedCodecError: an unknown container format, or one that cannot hold a
            codec.
        OutputWriteError: the folder does not exist. (Permissions and a full disk show
            at the first write or at :meth:`close`, when FFmpeg opens and fills the file.)
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        video: VideoEncodeSettings | None,
        audio: AudioEncodeSettings | None,
        container_format: str | None = None,
    ) -> None:
        self._path = os.fspath(path)
        if video is None and audio is None:
            raise EncodeError(f"nothing to write into {self._path}", path=self._path)
        # FFmpeg opens the file only when the header is written; fail before any work.
        folder = os.path.dirname(os.path.abspath(self._path))
        if not os.path.isdir(folder):
            raise OutputWriteError(
                f"cannot write {self._path}: the folder {folder} does not exist",
                path=self._path,
            )
        with writing(self._path):
            self._container = _open_output(self._path, container_format)
        self._closed = False
        try:
            with writing(self._path):
                self._video = VideoTrack(self._container, video) if video else None
                self._audio = AudioTrack(self._container, audio) if audio else None
        except BaseException:
            self.abort()
            raise

    def write_video(self, rgb: np.ndarray) -> None:
        """Encode the next video frame.

        Args:
            rgb: ``(H, W, 3)`` ``uint8`` or ``uint16`` (full scale) display-referred RGB
                (BT.709 primaries); ``(H, W, 4)`` keeps alpha for formats that have it.

        Raises:
            EncodeError: no video stream, a wrong frame shape, or the encoder failed.
            OutputWriteError: writing the file failed (full disk).
        """
        if self._video is None:
            raise EncodeError(f"{self._path} has no video stream to write", path=self._path)
        self._check_open()
        with writing(self._path, stream="video"):
            self._mux(self._video.encode(rgb))

    def write_audio(self, samples: np.ndarray) -> None:
        """Encode the next chunk of samples (any length; buffered to the encoder's frames).

        Args:
            samples: ``(channels, n)`` ``float32`` samples.

        Raises:
            EncodeError: no audio stream, a wrong chunk shape, or the encoder failed.
            OutputWriteError: writing the file failed (full disk).
        """
        if self._audio is None:
            raise EncodeError(f"{self._path} has no audio stream to write", path=self._path)
        self._check_open()
        with writing(self._path, stream="audio"):
            self._mux(self._audio.encode(samples))

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError(f"MediaWriter for {self._path} is closed")

    def _mux(self, packets: list[av.Packet]) -> None:
        for packet in packets:
            self._container.mux(packet)

    def close(self) -> None:
        """Flush the encoders, write the trailer and close the file.

        Raises:
            EncodeError: the encoder or muxer failed.
            OutputWriteError: writing the file failed.
        """
        if self._closed:
            return
        try:
            with writing(self._path):
                if self._video is not None:
                    self._mux(self._video.flush())
                if self._audio is not None:
                    self._mux(self._audio.flush())
                self._container.close()
        except BaseException:
            self.abort()
            raise
        self._closed = True

    def abort(self) -> None:
        """Close the file without flushing, ignoring any error (the caller discards it)."""
        if self._closed:
            return
        self._closed = True
        try:
            self._container.close()
        except Exception:
            pass

    def __enter__(self) -> MediaWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()
