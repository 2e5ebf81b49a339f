"""Segmented encoding: encode stretches of frames into separate files, join them unchanged.

Each segment is its own encoder run written to a Matroska file, so it starts with a key
frame and refers to nothing outside itself (a closed GOP). :class:`SegmentJoiner` copies
the segments' packets, without decoding or re-encoding, into the final container, placing
each packet by the frame index it had in its segment plus the segment's first frame, and
encodes the one audio stream alongside. A fresh export and a re-export that reuses some
segments therefore write the same bytes.
"""

from __future__ import annotations

import os
from fractions import Fraction

import av
import numpy as np

from reelgraph.errors import DecodeError
from reelgraph.media._audio_track import AudioTrack
from reelgraph.media._funnel import reading, writing
from reelgraph.media.encode_settings import AudioEncodeSettings
from reelgraph.media.writer import _open_output

__all__ = ["SegmentJoiner", "segment_container"]


def segment_container(codec: str) -> str:
    """The container a segment of ``codec`` is stored in.

    QuickTime keeps exact decode timestamps (B-frame reordering survives the round trip);
    FFV1, intra-only, goes to Matroska, which QuickTime cannot hold it in.
    """
    return "matroska" if codec == "ffv1" else "mov"


def _frame_index(ts: int, time_base: Fraction, origin: int, rate: Fraction) -> int:
    # Containers may keep coarser ticks: rounding to the nearest frame undoes that exactly.
    return round((ts - origin) * time_base * rate)


class SegmentJoiner:
    """Writes the final file from segment files and one stream of samples.

    Args:
        path: The output file.
        container_format: The FFmpeg muxer (``"mp4"``, ``"mov"``, ``"matroska"``).
        rate: The video frame rate (packets are timed in ``1/rate``).
        audio: Audio settings, or None for a silent file.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        container_format: str,
        rate: Fraction,
        audio: AudioEncodeSettings | None,
    ) -> None:
        self._path = os.fspath(path)
        self._rate = Fraction(rate)
        with writing(self._path):
            self._container = _open_output(self._path, container_format)
        self._video: av.stream.Stream | None = None
        self._audio_settings = audio
        self._audio: AudioTrack | None = None
        self._closed = False

    def add_segment(self, segment: str | os.PathLike[str], first_frame: int) -> None:
        """Copy a segment's packets, its frame 0 landing on output frame ``first_frame``.

        Raises:
            DecodeError: the segment cannot be read.
            EncodeError, OutputWriteError: the output refused the packets.
        """
        name = os.fspath(segment)
        with reading(name), av.open(name) as source:
            stream = source.streams.video[0]
            if self._video is None:
                self._start(stream)
            packets = [p for p in source.demux(stream) if p.size]
            if not packets:
                raise DecodeError(f"segment {name} holds no frames", path=name)
            time_base = Fraction(stream.time_base)
            origin = min(p.pts for p in packets if p.pts is not None)
            for packet in packets:
                self._copy(packet, time_base, origin, first_frame)

    def _start(self, template: av.stream.Stream) -> None:
        with writing(self._path):
            self._video = self._container.add_stream_from_template(template)
            self._video.time_base = 1 / self._rate
            if self._audio_settings is not None:
                self._audio = AudioTrack(self._container, self._audio_settings)

    def _copy(self, packet: av.Packet, time_base: Fraction, origin: int, first: int) -> None:
        if packet.pts is None:
            raise DecodeError(f"segment packet without timestamps in {self._path}")
        pts = first + _frame_index(packet.pts, time_base, origin, self._rate)
        # Intra-only codecs decode in display order; Matroska may omit their dts.
        dts = (
            pts
            if packet.dts is None
            else (first + _frame_index(packet.dts, time_base, origin, self._rate))
        )
        out = av.Packet(bytes(packet))
        out.pts, out.dts = pts, dts
        out.duration = 1
        out.time_base = 1 / self._rate
        out.is_keyframe = packet.is_keyframe
        out.stream = self._video
        with writing(self._path, stream="video"):
            self._container.mux(out)

    def write_audio(self, samples: np.ndarray) -> None:
        """Encode the next chunk of the single audio stream (after the first segment)."""
        if self._audio is None:
            return
        with writing(self._path, stream="audio"):
            for packet in self._audio.encode(samples):
                self._container.mux(packet)

    def close(self) -> None:
        """Flush the audio encoder and write the trailer."""
        if self._closed:
            return
        with writing(self._path):
            if self._audio is not None:
                for packet in self._audio.flush():
                    self._container.mux(packet)
            self._container.close()
        self._closed = True

    def abort(self) -> None:
        """Close without caring (the caller discards the file)."""
        if self._closed:
            return
        self._closed = True
        try:
            self._container.close()
        except Exception:
            pass
