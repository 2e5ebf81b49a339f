"""The engine's open media: readers per source, probe results and the range checks.

:class:`MediaPool` is a World resource. It keeps the readers of the recently used sources
open (a bounded number, :mod:`reelgraph.engine.open_readers`), converts decoded pictures
into the working format at the edge, and checks before a render that every clip's source
exists and covers the span the clip plays.

Media files are known by content (:mod:`reelgraph.media_index`): a source's identity in
cache keys is its content fingerprint, probe results come from the index when the
content was probed before, and a missing file is relinked to a file elsewhere with the
same content. A frame request may be served from a proxy (:mod:`reelgraph.proxies`):
:meth:`MediaPool.proxy_for` picks the level when the graph is built and
:meth:`MediaPool.picture` serves it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from reelgraph.engine.open_readers import DEFAULT_OPEN_READERS, OpenReaders
from reelgraph.errors import MediaError, NoStreamError, TimeRangeError
from reelgraph.media import (
    AudioReader,
    ImageSequenceReader,
    MediaInfo,
    VideoReader,
    probe,
    read_image,
)
from reelgraph.media.decode_device import DecodeDevice
from reelgraph.media.probe_json import PROBE_VERSION, info_from_json, info_to_json
from reelgraph.media_index.fingerprint import Fingerprint
from reelgraph.media_index.locator import SourceLocator
from reelgraph.project.document import ProjectDocument
from reelgraph.proxies.media_cache import MediaCache
from reelgraph.proxies.quality import ProxyLevel, Quality
from reelgraph.proxies.reduce import reduce_picture
from reelgraph.proxies.switch import ProxySwitch
from reelgraph.render.color import to_working
from reelgraph.timeline.components import (
    Clip,
    ImageSequenceSource,
    MediaSource,
    SequenceSource,
    TrackKind,
)

__all__ = ["MediaPool", "MediaStatus", "ProxyBuilder", "reader_key"]

PictureSource = MediaSource | ImageSequenceSource


class ProxyBuilder(Protocol):
    """Queues proxy builds (:class:`reelgraph.proxies.scheduler.ProxyScheduler`)."""

    def build(self, path: Path, fingerprint: Fingerprint, levels: Sequence[ProxyLevel]) -> Any:
        """Queue the build of ``levels`` of the original at ``path``; a task handle."""
        ...


@dataclass(frozen=True, slots=True)
class MediaStatus:
    """What ``reelgraph info`` reports about one source."""

    source: str
    ok: bool
    detail: str
    code: str = ""
    relinked: str = ""
    """The file used instead of the missing path (found by content), if any."""


class MediaPool:
    """Open readers keyed by source; every method raises coded media errors only.

    Args:
        document: The project.
        cache: The media index and proxies (default: those of the user's cache folder).
        reader_cache_frames: Converted frames each video reader keeps (None: the
            reader's default, sized for viewers that step back and scrub). A forward pass
            (an export) needs only a few; readers of sources that a clip plays in reverse
            keep the default window all the same, since reverse playback steps back
            through it.
        max_open_readers: Video readers, and audio readers, kept open at once; the least
            recently used is closed first (and reopened when wanted again).
    """

    def __init__(
        self,
        document: ProjectDocument,
        *,
        cache: MediaCache | None = None,
        reader_cache_frames: int | None = None,
        max_open_readers: int = DEFAULT_OPEN_READERS,
        decode_device: DecodeDevice = "cpu",
    ) -> None:
        self._document = document
        self._reader_cache_frames = reader_cache_frames
        self.decode_device: DecodeDevice = decode_device
        """Where video readers decode (``cpu``, ``auto``, ``cuda``): same pixels on each."""
        self.generation = 0
        """Bumped by :meth:`refresh`, so graphs keyed on old identities are not reused."""
        self.media_cache = cache if cache is not None else MediaCache()
        self._locator = SourceLocator(self.media_cache.index, document.base_dir)
        self.proxies = ProxySwitch(self.media_cache.proxies)
        self._builder: ProxyBuilder | None = None
        self.proxy_builds: dict[str, Any] = {}
        """Proxy builds started for requests (by content fingerprint text): their tasks."""
        self._info: dict[str, MediaInfo] = {}
        self._video: OpenReaders[Any] = OpenReaders(max_open_readers)
        self._audio: OpenReaders[AudioReader] = OpenReaders(max_open_readers)
        self._reader_infos: dict[Any, Any] = {}
        self._stills: dict[str, np.ndarray] = {}
        self._identities: dict[Any, str] = {}

    def path_of(self, source: MediaSource) -> Path:
        """The absolute path of a media source (the file it was relinked to, if moved)."""
        return self._locator.locate(self._document.resolve_media(source.path))

    def fingerprint(self, source: MediaSource) -> Fingerprint | None:
        """The content fingerprint of a media source (None when it cannot be read)."""
        return self._locator.fingerprint(self._document.resolve_media(source.path))

    def info(self, source: MediaSource) -> MediaInfo:
        """Probe results of a media file (cached here, and by content in the index)."""
        if source.path not in self._info:
            self._info[source.path] = self._probe(source)
        return self._info[source.path]

    def _probe(self, source: MediaSource) -> MediaInfo:
        path = self.path_of(source)
        fingerprint = self.fingerprint(source)
        index = self.media_cache.index
        if fingerprint is not None:
            cached = index.probe_of(fingerprint, PROBE_VERSION)
            if cached is not None:
                try:
                    return info_from_json(cached, str(path))
                except (KeyError, TypeError, ValueError):
                    pass  # another layout: probe again
        info = probe(path)
        if fingerprint is not None:
            index.record_probe(fingerprint, PROBE_VERSION, info_to_json(info))
        return info

    def identity(self, source: PictureSource) -> str:
        """A text that changes whenever the source's content may have changed.

        A media file's content fingerprint, so cache keys follow the content across
        renames and moves (a missing file: its path); for image sequences the folder's
        files with their sizes and modification times. Computed once per source per run
        (:meth:`refresh` looks again).
        """
        key = source if isinstance(source, ImageSequenceSource) else source.path
        found = self._identities.get(key)
        if found is None:
            fingerprint = (
                None if isinstance(source, ImageSequenceSource) else self.fingerprint(source)
            )
            found = (
                fingerprint.text
                if fingerprint is not None
                else _identity_of(self._document, source)
            )
            self._identities[key] = found
        return found

    def proxy_for(self, source: PictureSource, quality: Quality) -> tuple[str, int]:
        """The proxy level (name, scale) that serves ``source`` at ``quality``, or ``("", 1)``.

        Only video files have proxies; a missing proxy means the original is served.
        """
        if quality is Quality.ORIGINAL or not isinstance(source, MediaSource):
            return ("", 1)
        fingerprint = self.fingerprint(source)
        if fingerprint is None:
            return ("", 1)
        try:
            if self.info(source).kind != "video":
                return ("", 1)
        except MediaError:
            return ("", 1)
        level = self.proxies.choose(fingerprint, quality)
        if level is None and self._builder is not None:
            self._request_build(source, fingerprint)
        return ("", 1) if level is None else (level.value, level.scale)

    def build_missing_proxies(self, builder: ProxyBuilder | None) -> None:
        """Have ``builder`` (a ``ProxyScheduler``) build the proxies a request finds missing.

        Each content is queued once per run, at background priority; until its proxies
        are written the originals are served.
        """
        self._builder = builder

    def request_proxies(self, source: MediaSource) -> Any:
        """Queue the build of the source's missing proxy levels now; its task, or None.

        Nothing is queued without a builder (see :meth:`build_missing_proxies`), for
        sources that are no readable video file, when every level exists, or when the
        content's build was queued before in this run.
        """
        if self._builder is None:
            return None
        fingerprint = self.readable_fingerprint(source, ("video",))
        return None if fingerprint is None else self._request_build(source, fingerprint)

    def readable_fingerprint(self, source: MediaSource, kinds: Sequence[str]) -> Fingerprint | None:
        """The content fingerprint of a readable source of one of ``kinds`` (``video``,
        ``audio``, ``image``); None for a missing, unreadable or other kind of file."""
        try:
            fingerprint = self.fingerprint(source)
            if fingerprint is None or self.info(source).kind not in kinds:
                return None
        except MediaError:
            return None
        return fingerprint

    def _request_build(self, source: MediaSource, fingerprint: Fingerprint) -> Any:
        if self._builder is None or fingerprint.text in self.proxy_builds:
            return None
        missing = [
            level for level in ProxyLevel if not self.media_cache.proxies.has(fingerprint, level)
        ]
        if not missing:
            return None
        task = self._builder.build(self.path_of(source), fingerprint, missing)
        self.proxy_builds[fingerprint.text] = task
        return task

    def is_opaque(self, source: PictureSource) -> bool:
        """Whether every picture of the source is fully opaque (no alpha channel, or an
        image whose alpha is 255 everywhere)."""
        if self._is_still(source):
            still = self._still(source)  # type: ignore[arg-type]
            if still.shape[2] == 3:
                return True
            full = 65535 if still.dtype == np.uint16 else 255
            return bool((still[..., 3] == full).all())
        return not self._picture_info(source).has_alpha

    def size(self, source: PictureSource) -> tuple[int, int]:
        """Width and height of a picture source."""
        reader_info = self._picture_info(source) if not self._is_still(source) else None
        if reader_info is not None:
            return (reader_info.width, reader_info.height)
        still = self._still(source)  # type: ignore[arg-type]
        return (still.shape[1], still.shape[0])

    def picture(
        self, source: PictureSource, seconds: Fraction, proxy: str = "", lane: int = 0
    ) -> np.ndarray:
        """The working-format picture ``(H, W, 4)`` shown at ``seconds`` into the source.

        With ``proxy`` (a level name from :meth:`proxy_for`) the picture is that level's
        frame, ``ceil(H / scale) x ceil(W / scale)``; should the proxy have gone (deleted,
        found corrupt) the original frame is reduced to the same size instead.

        ``lane`` picks one of several decoders of the same file: a frame that shows one
        file at two times (a picture-in-picture of the clip below, a nested copy) reads
        each time with its own decoder, so each keeps decoding forward instead of one
        seeking back and forth every frame.
        """
        return to_working(self.display_picture(source, seconds, proxy, lane))

    def display_picture(
        self, source: PictureSource, seconds: Fraction, proxy: str = "", lane: int = 0
    ) -> np.ndarray:
        """The same picture as :meth:`picture`, display-referred as decoded: ``(H, W, 3|4)``
        ``uint8``/``uint16`` with straight alpha, read-only (readers and caches share it)."""
        if proxy and isinstance(source, MediaSource):
            level = ProxyLevel(proxy)
            fingerprint = self.fingerprint(source)
            frame = None if fingerprint is None else self.proxies.frame(fingerprint, level, seconds)
            if frame is None:
                original = self._picture_reader(source, lane).frame_at(seconds)
                frame = reduce_picture(original, level.scale)
            return frame
        if self._is_still(source):
            return self._still(source)  # type: ignore[arg-type]
        return self._picture_reader(source, lane).frame_at(seconds)  # type: ignore[no-any-return]

    def audio(self, source: MediaSource, start: int, count: int) -> np.ndarray:
        """``count`` samples from ``start`` at the project rate, ``(channels, count)``."""
        fmt = self._document.format
        reader = self._audio.get(
            source.path, lambda: AudioReader(self.path_of(source), fmt.sample_rate, fmt.channels)
        )
        return reader.read(start, count)

    def _is_still(self, source: PictureSource) -> bool:
        return isinstance(source, MediaSource) and self.info(source).kind == "image"

    def _still(self, source: MediaSource) -> np.ndarray:
        if source.path not in self._stills:
            self._stills[source.path] = read_image(self.path_of(source))
        return self._stills[source.path]

    def _picture_reader(self, source: PictureSource, lane: int = 0) -> Any:
        """The source's reader of ``lane``, to decode with: only the decoding thread calls
        this, since opening one may close the least recently used (see
        :class:`OpenReaders`)."""
        key = reader_key(source) if lane == 0 else (reader_key(source), lane)
        return self._video.get(key, lambda: self._open_reader(source))

    def _picture_info(self, source: PictureSource) -> Any:
        """The video stream info of a picture source (a reader is opened only once)."""
        key = reader_key(source)
        info = self._reader_infos.get(key)
        if info is None:
            reader = self._video.peek(key)
            if reader is None:
                reader = self._open_reader(source)
                if not self._video.offer(key, reader):
                    reader.close()
            info = self._reader_infos[key] = reader.info
        return info

    def _open_reader(self, source: PictureSource) -> Any:
        if isinstance(source, ImageSequenceSource):
            pattern = str(self._document.resolve_media(source.pattern))
            return ImageSequenceReader(pattern, source.start_number, source.rate)
        if self.info(source).video is None:
            raise NoStreamError(
                f"{source.path} has no video stream", path=str(self.path_of(source))
            )
        return VideoReader(self.path_of(source), **self._reader_options(source))

    def _reader_options(self, source: MediaSource) -> dict[str, Any]:
        frames = self.reader_cache_frames(source)
        options: dict[str, Any] = {"decode_device": self.decode_device}
        if frames is not None:
            options["cache_frames"] = frames
        return options

    def reader_cache_frames(self, source: MediaSource) -> int | None:
        """Converted frames a video reader of ``source`` keeps (None: the reader's default)."""
        if self._reader_cache_frames is None or any(
            clip.speed < 0 and isinstance(clip.source, MediaSource) and clip.source == source
            for clip in self._document.clips
        ):
            return None
        return self._reader_cache_frames

    @property
    def open_readers(self) -> dict[str, int]:
        """Readers open now, by kind (``video``, ``audio``): diagnostics."""
        return {"video": len(self._video), "audio": len(self._audio)}

    @property
    def decoders(self) -> dict[str, int]:
        """Video readers open now by where they decode (``cpu``, ``cuda``): diagnostics."""
        return dict(Counter(getattr(reader, "decoder", "cpu") for reader in self._video.values()))

    @property
    def decoder_seeks(self) -> int:
        """Seeks made so far by the video readers open now: diagnostics."""
        return sum(getattr(reader, "seek_count", 0) for reader in self._video.values())

    @property
    def readers_opened(self) -> int:
        """Readers opened so far, reopened ones included: diagnostics."""
        return self._video.opened + self._audio.opened

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
            reader_info = self._picture_info(source)
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
                relink = self._locator.relinks.get(self._document.resolve_media(path))
                moved = "" if relink is None else str(relink.found)
                detail = _describe(info) + (f" (relinked: found at {moved})" if moved else "")
                result.append(MediaStatus(path, True, detail, relinked=moved))
            except MediaError as exc:
                result.append(MediaStatus(path, False, exc.message, exc.code))
        self.media_cache.save()
        return result

    def refresh(self) -> None:
        """Forget what is known about the files (call between ticks after media changed).

        Identities, probes and relinks are looked up again and readers reopened, so a
        file changed on disk gets new cache keys and no longer matches its old proxies.
        """
        self.close()
        self.generation += 1
        self._locator.forget()
        self._info.clear()
        self._reader_infos.clear()
        self._stills.clear()
        self._identities.clear()

    def close(self) -> None:
        """Close every reader (and save what the media index learned)."""
        self._video.close()
        self._audio.close()
        self.media_cache.save()


def reader_key(source: PictureSource) -> Any:
    """What the readers of a picture source are known by: its file (its pattern for an
    image sequence), so clips of one file share a reader."""
    return source if isinstance(source, ImageSequenceSource) else source.path


def _identity_of(document: ProjectDocument, source: PictureSource) -> str:
    if isinstance(source, MediaSource):
        paths = [document.resolve_media(source.path)]
        label = str(paths[0].resolve())
    else:
        folder = document.resolve_media(source.pattern).parent
        paths = sorted(folder.glob("*")) if folder.is_dir() else []
        pattern = document.resolve_media(source.pattern).resolve()
        label = f"{pattern}@{source.start_number}/{source.rate}"
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
