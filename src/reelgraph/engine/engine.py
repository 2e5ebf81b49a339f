"""The engine: a World holding one project, and the schedule that renders it tick by tick.

One tick renders one output frame: the driver points the playhead (and the audio span)
at it and runs the schedule. Nothing here reads the wall clock or the machine's core
count, so the same project and settings give the same pixels and samples everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from reelgraph.cache import FrameCache
from reelgraph.ecs import World
from reelgraph.engine.edit_systems import EditRequest, install_editing, perform_request
from reelgraph.engine.media_pool import MediaPool
from reelgraph.engine.proxy_upkeep import ProxyUpkeep
from reelgraph.engine.read_ahead import ReadAhead, UpcomingFrame
from reelgraph.engine.resources import (
    ColorProfile,
    CompositedFrame,
    FrameStatus,
    MixedAudio,
    RenderBackend,
    RenderTarget,
    Timebase,
)
from reelgraph.engine.systems import AudioSpan, build_schedule, frame_output_key
from reelgraph.graph.watchdog import Watchdog
from reelgraph.jobs.system import JobSystem
from reelgraph.media.decode_device import DecodeDevice
from reelgraph.plugins.host import PluginHost, plugins_for_document
from reelgraph.project.document import ProjectDocument
from reelgraph.proxies.media_cache import MediaCache
from reelgraph.proxies.quality import PreviewQuality, Quality
from reelgraph.render.backend import Backend
from reelgraph.render.color import to_working
from reelgraph.render.cpu import CpuBackend
from reelgraph.timeline.components import Playhead, TrackKind
from reelgraph.timeline.edits import Edit, EditResult
from reelgraph.timeline.history import History
from reelgraph.timeline.index import TimelineIndex
from reelgraph.timeline.spawn import index_from_world, spawn_timeline
from reelgraph.trace.instruments import Instruments

__all__ = ["Engine", "RenderedTick"]


@dataclass(frozen=True, slots=True)
class RenderedTick:
    """What one tick produced: the working-format picture and its samples.

    On a frame-cache hit there is no working picture, only the cached display ``pixels``.
    """

    image: np.ndarray | None
    audio: np.ndarray | None
    pixels: np.ndarray | None = None


class Engine:
    """A project loaded into a World, ready to render frames of its main sequence."""

    def __init__(
        self,
        document: ProjectDocument,
        *,
        width: int | None = None,
        height: int | None = None,
        backend: Backend | None = None,
        with_audio: bool = True,
        cache: FrameCache | None = None,
        instruments: Instruments | None = None,
        plugins: PluginHost | None = None,
        watchdog: Watchdog | None = None,
        media_cache: MediaCache | None = None,
        quality: Quality | None = None,
        reader_cache_frames: int | None = None,
        decode_device: DecodeDevice = "cpu",
    ) -> None:
        """Load ``document`` into a new World.

        ``quality`` serves frames from proxies where they satisfy it (the
        :class:`PreviewQuality` resource; None: originals only, as exports use);
        ``media_cache`` holds the media index and proxies (default: the user's cache).
        ``reader_cache_frames`` bounds the converted frames each video reader keeps
        (None: the readers' default, made for viewers; exports pass a few, see
        :class:`MediaPool`). ``decode_device`` says where video is decoded: ``cpu`` (the
        default, as exports use), ``auto`` (NVDEC where a CUDA device opens, as previews
        use) or ``cuda`` (see :mod:`reelgraph.media.decode_device`); the pixels are the same.

        ``watchdog`` runs the graph's nodes under time limits and checks, with its error
        policy (also the plugins' policy when the engine finds them itself); its
        incidents are the World's ``Incidents`` resource. By default it is set up from
        the environment (:meth:`Watchdog.from_environment`: policy ``fail``, no limits).

        ``plugins`` runs the project's plugin nodes; without it, the plugins the project
        uses (if any) are found and registered here (entry points and
        ``REELGRAPH_PLUGIN_PATH``; failing nodes stop the render), and closed with the
        engine.
        """
        self.document = document
        fmt = document.format
        self.world = World()
        self.world.insert_resource(fmt)
        self.world.insert_resource(Timebase(fmt.rate, fmt.sample_rate, fmt.channels))
        self.world.insert_resource(ColorProfile())
        self.world.insert_resource(RenderTarget(width or fmt.width, height or fmt.height))
        self.world.insert_resource(RenderBackend(backend or CpuBackend()))
        self.world.insert_resource(
            MediaPool(
                document,
                cache=media_cache,
                reader_cache_frames=reader_cache_frames,
                decode_device=decode_device,
            )
        )
        if quality is not None:
            self.world.insert_resource(PreviewQuality(quality))
        self.world.insert_resource(ReadAhead())
        if watchdog is None:
            watchdog = Watchdog.from_environment()
        if watchdog.canvas is None:
            watchdog.canvas = (height or fmt.height, width or fmt.width)
        self.watchdog = watchdog
        self.world.insert_resource(watchdog)
        self.world.insert_resource(watchdog.incidents)
        if cache is not None:
            self.world.insert_resource(cache)
        spawn_timeline(self.world, document)
        install_editing(self.world, document)
        self._playhead = self.world.spawn(Playhead(document.main, 0))
        self.schedule = build_schedule(with_audio=with_audio)
        if plugins is None:
            plugins = plugins_for_document(document, on_error=watchdog.policy.value)
        self.plugins = plugins
        if self.plugins is not None:
            self.world.insert_resource(self.plugins)
            if self.plugins.registry.install(self.world, self.schedule):
                self.schedule.build()
        if instruments is not None:
            instruments.install(self)

    @property
    def media(self) -> MediaPool:
        """The engine's open media."""
        return self.world.resource(MediaPool)

    @property
    def index(self) -> TimelineIndex:
        """The timeline index (built on first use)."""
        index = self.world.get_resource(TimelineIndex)
        if index is None:
            index = index_from_world(self.world)
            self.world.insert_resource(index)
        return index

    @property
    def document(self) -> ProjectDocument:
        """The project as edited so far (the History resource's document)."""
        history = self.world.get_resource(History) if hasattr(self, "world") else None
        return self._document if history is None else history.document

    @document.setter
    def document(self, document: ProjectDocument) -> None:
        self._document = document

    @property
    def history(self) -> History:
        """The undo/redo history of the engine's edits."""
        return self.world.resource(History)

    def apply(self, edit: Edit) -> EditResult:
        """Apply ``edit`` now, as the Ingest set would (one undoable step).

        Raises:
            TimelineError: the edit was refused; the project is unchanged.
        """
        return self._perform(EditRequest("apply", edit))

    def undo(self) -> EditResult:
        """Undo the last edit (raises ``edit.refused`` when there is none)."""
        return self._perform(EditRequest("undo"))

    def redo(self) -> EditResult:
        """Redo the last undone edit (raises ``edit.refused`` when there is none)."""
        return self._perform(EditRequest("redo"))

    def _perform(self, request: EditRequest) -> EditResult:
        result = perform_request(self.world, request)
        self.world.flush()
        return result

    def duration(self) -> int:
        """Frames in the main sequence."""
        return self.index.duration(self.document.main)

    def check_media(self) -> None:
        """Open every source and check the clips' spans (coded errors on failure)."""
        kinds: dict[str, TrackKind] = {t.id: t.kind for t in self.document.tracks}
        self.media.check_clips(self.document.clips, kinds)

    def tick(
        self,
        frame: int,
        audio_span: tuple[int, int] | None = None,
        upcoming: int | None = None,
        quality: Quality | None = None,
    ) -> RenderedTick:
        """Render timeline ``frame`` (and the samples ``audio_span``, default the frame's).

        ``upcoming`` announces the frame the next tick will render, so its sources decode
        in the background meanwhile (see :mod:`reelgraph.engine.read_ahead`).

        ``quality`` is what this request needs (a viewer at zoom ``z`` asks for
        ``Quality.from_zoom(z)``): the smallest proxy that satisfies it serves the frame,
        the original while none is ready. None keeps the engine's own setting.
        """
        if quality is not None:
            previous = self.world.get_resource(PreviewQuality)
            self.world.insert_resource(PreviewQuality(quality))
            try:
                return self.tick(frame, audio_span, upcoming)
            finally:
                if previous is None:
                    self.world.remove_resource(PreviewQuality)
                else:
                    self.world.insert_resource(previous)
        self.world.add(self._playhead, Playhead(self.document.main, frame))
        if upcoming is None:
            self.world.remove_resource(UpcomingFrame)
        else:
            self.world.insert_resource(UpcomingFrame(upcoming))
        if audio_span is None:
            self.world.remove_resource(AudioSpan)
        else:
            self.world.insert_resource(AudioSpan(*audio_span))
        jobs = self.world.get_resource(JobSystem)
        if jobs is None:
            self.schedule.run(self.world)
        else:
            with jobs.foreground():  # background work (proxy builds) holds back meanwhile
                self.schedule.run(self.world)
        audio = self.world.get_resource(MixedAudio)
        samples = None if audio is None else audio.samples
        status = self.world.resource(FrameStatus)
        if status.pixels is not None:
            return RenderedTick(None, samples, status.pixels)
        return RenderedTick(self.world.resource(CompositedFrame).image, samples)

    def frame_key(self, frame: int) -> str:
        """The content key of timeline ``frame``'s picture (builds its graph, decodes nothing)."""
        return frame_output_key(self.world, Playhead(self.document.main, frame))

    def render_frame(self, frame: int, quality: Quality | None = None) -> np.ndarray:
        """The working-format picture ``(H, W, 4)`` of timeline ``frame`` (never cached),
        at the request's ``quality`` (see :meth:`tick`)."""
        cache = self.world.remove_resource(FrameCache)
        try:
            tick = self.tick(frame, quality=quality)
        finally:
            if cache is not None:
                self.world.insert_resource(cache)
        if tick.image is not None:
            return tick.image
        # A frame shown as it is came as its decoded pixels: the same working picture.
        assert tick.pixels is not None
        return to_working(tick.pixels)

    def close(self) -> None:
        """Cancel proxy builds, stop the decode thread, close the media and the plugins."""
        upkeep = self.world.get_resource(ProxyUpkeep)
        if upkeep is not None:
            upkeep.close()
        read_ahead = self.world.get_resource(ReadAhead)
        if read_ahead is not None:
            read_ahead.close()
        self.media.close()
        if self.plugins is not None:
            self.plugins.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
