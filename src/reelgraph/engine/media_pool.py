"""The engine's open media: readers per source, probe results and the range checks.

:class:`MediaPool` is a World resource. It opens each source once, keeps its reader,
converts decoded pictures into the working format at the edge, and checks before a render
that every clip's source exists and covers the span the clip plays.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from reelgraph.errors import MediaError, NoStreamError, TimeRangeError
from reelgraph.media import (
    AudioReader,
    ImageSequenceReader,
    MediaInfo,
    VideoReader,
    probe,
    read_image,
)
from reelgraph.project.document import ProjectDocument
from reelgraph.render.color import to_working
from reelgraph.timeline.components import (
    Clip,
    ImageSequenceSource,
    MediaSource,
    SequenceSource,
    TrackKind,
)

__all__ = ["MediaPool", "MediaStatus"]

PictureSource = MediaSource | ImageSequenceSource


@dataclass(frozen=True, slots=True)
class MediaStatus:
    """What ``reelgraph info`` reports about one source."""

    source: str
    ok: bool
    detail: str
    code: str = ""


class MediaPool:
    """Open readers keyed by source; every method raises coded media errors only."""

    def __init__(self, document: ProjectDocument) -> None:
        self._document = document
        self._info: dict[str, MediaInfo] = {}
        self._video: dict[Any, Any] = {}
        self._audio: dict[str, AudioReader] = {}
        self._stills: dict[str, np.ndarray] = {}
        self._identities: dict[Any, str] = {}

    def path_of(self, source: MediaSource) -> Path:
        """The absolute path of a media source."""
        return self._document.resolve_media(source.path)

    def info(self, source: MediaSource) -> MediaInfo:
        """Probe results of a media file (cached)."""
        if source.path not in self._info:
            self._info[source.path] = probe(self.path_of(source))
        return self._info[source.path]

    def identity(self, source: PictureSource) -> str:
        """A text that changes whenever the source's content may have changed.

        The resolved path with size and modification time of the file (for image
        sequences: of every numbered file found), computed once per source.
        """
        key = source if isinstance(source, ImageSequenceSource) else source.path
        found = self._identities.get(key)
        if found is None:
            found = _identity_of(self._document, source)
            self._identities[key] = found
        return found

    def size(self, source: PictureSource) -> tuple[int, int]:
        """Width and height of a picture source."""
        reader_info = self._picture_reader(source).info if not self._is_still(source) else None
        if reader_info is not None:
            return (reader_info.width, reader_info.height)
        still = self._still(source)  # type: ignore[arg-type]
        return (still.shape[1], still.shape[0])

    def picture(self, source: PictureSource, seconds: Fraction) -> np.ndarray:
        """The working-format picture ``(H, W, 4)`` shown at ``seconds`` into the source."""
        if self._is_still(source):
            return to_working(self._still(source))  # type: ignore[arg-type]
        return to_working(self._picture_reader(source).frame_at(seconds))

    def audio(self, source: MediaSource, start: int, count: int) -> np.ndarray:
        """``count`` samples from ``start`` at the project rate, ``(channels, count)``."""
        reader = self._audio.get(source.path)
        if reader is None:
            fmt = self._document.format
            reader = AudioReader(self.path_of(source), fmt.sample_rate, fmt.channels)
            self._audio[source.path] = reader
        return reader.read(start, count)

    def _is_still(self, source: PictureSource) -> bool:
        return isinstance(source, MediaSource) and self.info(source).kind == "image"

    def _still(self, source: MediaSource) -> np.ndarray:
        if source.path not in self._stills:
            self._stills[source.path] = read_image(self.path_of(source))
        return self._stills[source.path]

    def _picture_reader(self, source: PictureSource) -> Any:
        key = source if isinstance(source, ImageSequenceSource) else source.path
        reader = self._video.get(key)
        if reader is None:
            if isinstance(source, ImageSequenceSource):
                pattern = str(self._document.resolve_media(source.pattern))
                reader = ImageSequenceReader(pattern, source.start_number, source.rate)
            else:
                info = self.info(source)
                if info.video is None:
                    raise NoStreamError(
                        f"{source.path} has no video stream", path=str(self.path_of(source))
                    )
                reader = VideoReader(self.path_of(source))
            self._video[key] = reader
        return reader

    def check_clips(self, clips: Iterable[Clip], track_kinds: dict[str, TrackKind]) -> None:
        """Open every clip's source and check it covers the span the clip plays.

        Raises:
            MediaError: missing, unreadable or stream-less media (with the clip id).
            TimeRangeError: a clip plays past the end of its source.
        """
        for clip in clips:
            try:
                self._check_clip(clip, track_kinds[clip.track])
            except MediaError as exc:
                exc.with_context(clip=clip.id)
                raise

    def _check_clip(self, clip: Clip, kind: TrackKind) -> None:
        source = clip.source
        if isinstance(source, SequenceSource) or not isinstance(
            source, (MediaSource, ImageSequenceSource)
        ):
            return
        rate = self._document.format.rate
        needed = (Fraction(clip.source_in) + Fraction(clip.duration) * abs(clip.speed)) / rate
        if kind is TrackKind.AUDIO:
            info = self.info(source)  # type: ignore[arg-type]
            if info.audio is None:
                raise NoStreamError(f"{source.path} has no audio stream", path=source.path)  # type: ignore[union-attr]
            available = info.audio.duration
        elif self._is_still(source):
            return
        else:
            reader_info = self._picture_reader(source).info
            available = (
                Fraction(reader_info.frame_count) / reader_info.rate
                if isinstance(source, ImageSequenceSource) and reader_info.frame_count
                else reader_info.duration
            )
        # One frame of slack: container durations are often rounded down by a frame.
        if needed > available + Fraction(1) / rate:
            raise TimeRangeError(
                f"clip {clip.id!r} plays its source up to {float(needed):.3f} s, "
                f"but the source lasts {float(available):.3f} s",
                clip=clip.id,
                needed=float(needed),
                available=float(available),
            )

    def statuses(self) -> list[MediaStatus]:
        """One status per distinct source of the project, in path order."""
        result = []
        paths = sorted(
            {c.source.path for c in self._document.clips if isinstance(c.source, MediaSource)}
        )
        for path in paths:
            try:
                info = self.info(MediaSource(path))
                result.append(MediaStatus(path, True, _describe(info)))
            except MediaError as exc:
                result.append(MediaStatus(path, False, exc.message, exc.code))
        return result

    def close(self) -> None:
        """Close every reader."""
        for reader in [*self._video.values(), *self._audio.values()]:
            reader.close()
        self._video.clear()
        self._audio.clear()


def _identity_of(document: ProjectDocument, source: PictureSource) -> str:
    if isinstance(source, MediaSource):
        paths = [document.resolve_media(source.path)]
        label = str(paths[0].resolve())
    else:
        folder = document.resolve_media(source.pattern).parent
        paths = sorted(folder.glob("*")) if folder.is_dir() else []
        label = f"{document.resolve_media(source.pattern).resolve()}@{source.start_number}/{source.rate}"
    parts = [label]
    for path in paths:
        try:
            stat = path.stat()
            parts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            parts.append(f"{path.name}:missing")
    return "|".join(parts)


def _describe(info: MediaInfo) -> str:
    parts = [info.kind]
    if info.video is not None:
        v = info.video
        assumed = " (assumed)" if v.colorspace_assumed else ""
        parts.append(
            f"{v.width}x{v.height} {v.codec} {v.pix_fmt} @ {v.rate} fps, "
            f"{v.colorspace}{assumed} {v.color_range}"
        )
    if info.audio is not None:
        a = info.audio
        parts.append(f"audio {a.codec} {a.sample_rate} Hz x{a.channels}")
    if info.duration is not None:
        parts.append(f"{float(info.duration):.3f} s")
    return ", ".join(parts)
