"""Building the proxies of one original: one decoding pass, every missing level at once.

A :class:`ProxyBuild` walks the original's frames in order (no seeks: long-GOP sources
decode at full speed) and hands each to one writer per level, reduced to the level's
size and to 8 bits. It advances one frame per :meth:`ProxyBuild.step`, so a scheduler
can run it in short slices, check cancellation between frames and let other work in.
Frame ``i`` of every level is frame ``i`` of the original, with the original's time.
While it runs, a progress note (:mod:`.progress`) says how far it is, for other processes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from reelgraph.media.frame_walk import FrameWalk
from reelgraph.media_index.fingerprint import Fingerprint
from reelgraph.proxies.library import ProxyLibrary
from reelgraph.proxies.progress import BuildProgress, clear_progress, write_progress
from reelgraph.proxies.quality import ProxyLevel, proxy_size
from reelgraph.proxies.reduce import reduce_picture
from reelgraph.proxies.store import ProxyMeta, ProxyWriter

__all__ = ["ProxyBuild"]

# The progress note is rewritten every this many frames (and when the build starts).
_NOTE_EVERY = 8


class ProxyBuild:
    """Writes the ``levels`` proxies of the original at ``path``, a frame per step.

    Args:
        library: Where the proxies go.
        path: The original media file.
        fingerprint: Its content fingerprint (names the proxies).
        levels: The levels to build.
    """

    def __init__(
        self,
        library: ProxyLibrary,
        path: Path,
        fingerprint: Fingerprint,
        levels: Sequence[ProxyLevel],
    ) -> None:
        self.library = library
        self.path = path
        self.fingerprint = fingerprint
        self.levels = tuple(levels)
        self.frames_done = 0
        self.frames_total: int | None = None
        """The original's frame count as probed (None until opened, or when unknown)."""
        self._walk: FrameWalk | None = None
        self._writers: list[tuple[ProxyLevel, ProxyWriter]] = []
        self.finished = False

    def _open(self) -> FrameWalk:
        walk = FrameWalk(self.path)
        info = walk.info
        self.frames_total = info.frame_count
        channels = 4 if info.has_alpha else 3
        try:
            for level in self.levels:
                width, height = proxy_size(info.width, info.height, level)
                meta = ProxyMeta(
                    source=self.fingerprint.text,
                    level=level.value,
                    width=width,
                    height=height,
                    channels=channels,
                    codec=self.library.codec_for(level, channels),
                    source_width=info.width,
                    source_height=info.height,
                    time_base=f"{walk.time_base.numerator}/{walk.time_base.denominator}",
                )
                self._writers.append(
                    (level, ProxyWriter(self.library.path(self.fingerprint, level), meta))
                )
        except BaseException:
            walk.close()
            self.abort()
            raise
        self._walk = walk
        self._note_progress()
        return walk

    def _note_progress(self) -> None:
        progress = BuildProgress(
            os.getpid(),
            tuple(level.value for level in self.levels),
            self.frames_done,
            self.frames_total,
        )
        write_progress(self.library.folder(self.fingerprint), progress)

    def step(self) -> bool:
        """Write the next frame to every level; False once the last one is written.

        Raises:
            MediaError: the original cannot be read (the partial files are removed).
            OSError: a proxy cannot be written (the partial files are removed).
        """
        if self.finished:
            return False
        try:
            walk = self._walk or self._open()
            try:
                ticks, picture = next(walk)
            except StopIteration:
                self._finish()
                return False
            for level, writer in self._writers:
                writer.add(ticks, reduce_picture(picture, level.scale))
        except BaseException:
            self.abort()
            raise
        self.frames_done += 1
        if self.frames_done % _NOTE_EVERY == 0:
            self._note_progress()
        return True

    def _finish(self) -> None:
        for _, writer in self._writers:
            writer.finish()
        self._close_walk()
        self.finished = True

    def _close_walk(self) -> None:
        if self._walk is not None:
            self._walk.close()
            self._walk = None
        clear_progress(self.library.folder(self.fingerprint), os.getpid())

    def abort(self) -> None:
        """Stop: delete the partial files; finished proxies of other builds are untouched."""
        for _, writer in self._writers:
            writer.abort()
        self._writers.clear()
        self._close_walk()
        self.finished = True
