"""In-process measurements the command line cannot make, run as child processes.

``python -m bench.drivers grade|scrub|scrub-proxies|pyav-scrub|open ARGS...`` prints one
JSON object.
Each runs in a fresh interpreter, so imports, caches and memory never leak between
measurements, and the harness reads the child's peak RSS.
"""

from __future__ import annotations

import json
import random
import sys
import time
from fractions import Fraction
from typing import Any

import numpy as np

__all__ = ["main", "requests"]


def requests(total: int, count: int, seed: int) -> list[int]:
    """The scrub's frame requests: ``count`` random frames of ``[0, total)``, seeded."""
    rng = random.Random(seed)
    return [rng.randrange(total) for _ in range(count)]


class _NullSink:
    """A frame sink that drops what it gets (the viewer's place in a scrub)."""

    def write(self, index: int, pixels: np.ndarray, audio: np.ndarray | None) -> None:
        pass

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass


def grade(project: str, frames: str) -> dict[str, Any]:
    """Decode and grade ``frames`` frames; no encode, nothing written."""
    from reelgraph.engine.engine import Engine
    from reelgraph.project.load import load_project

    started = time.perf_counter()
    count = int(frames)
    with Engine(load_project(project), with_audio=False) as engine:
        engine.check_media()
        opened = time.perf_counter()
        for frame in range(count):
            engine.tick(frame)
    done = time.perf_counter()
    return {
        "frames": count,
        "open_s": opened - started,
        "loop_s": done - opened,
        "fps": count / (done - started),
    }


def _warm_up(document: Any, **options: Any) -> None:
    """Render the last frame once with a throwaway engine of the same settings.

    Compiled kernels (numba) and lazily imported code are made ready before anything is
    timed, while the measured engine starts with its own fresh readers and caches.
    """
    from reelgraph.engine.engine import Engine
    from reelgraph.engine.sinks import OutputSinks

    with Engine(document, with_audio=False, **options) as engine:
        engine.check_media()
        engine.world.insert_resource(OutputSinks([_NullSink()]))
        engine.tick(engine.duration() - 1)


def scrub(project: str, count: str, seed: str, decode_device: str = "cpu") -> dict[str, Any]:
    """Latency of random frame requests: cold (no cache), then cached (second visit).

    Cold: a fresh engine without a frame cache (its readers still keep what they decode).
    ``decode_device`` ``auto``: cold only, decoding on NVDEC where a CUDA device opens;
    ``decoders`` says where the readers decoded, ``cuda_unavailable`` why not on the GPU.
    """
    from reelgraph.cache import FrameCache
    from reelgraph.engine.engine import Engine
    from reelgraph.engine.sinks import OutputSinks
    from reelgraph.media.decode_device import cuda_unavailable_reason
    from reelgraph.project.load import load_project

    document = load_project(project)
    _warm_up(document, decode_device=decode_device)
    result: dict[str, Any] = {}
    modes = ("cold", "cached") if decode_device == "cpu" else ("cold",)
    for mode in modes:
        cache = FrameCache(memory_bytes=4 << 30) if mode == "cached" else None
        with Engine(document, with_audio=False, cache=cache, decode_device=decode_device) as engine:
            engine.check_media()
            engine.world.insert_resource(OutputSinks([_NullSink()]))
            wanted = requests(engine.duration(), int(count), int(seed))
            if cache is not None:
                for frame in wanted:  # first visit fills the cache
                    engine.tick(frame)
            latencies = []
            for frame in wanted:
                started = time.perf_counter()
                engine.tick(frame)
                latencies.append(time.perf_counter() - started)
            result["decoders"] = engine.media.decoders
        result[mode] = latencies
    result["cuda_unavailable"] = cuda_unavailable_reason()
    return result


def scrub_proxies(project: str, count: str, seed: str, cache_dir: str) -> dict[str, Any]:
    """Latency of random frame requests served from proxies (built first, untimed here).

    ``half``: a half-size viewer (the canvas at half size, ``Quality.HALF``: the raw
    memory-mapped half proxy); ``full``: the full canvas from the full-size JPEG proxy.
    """
    from reelgraph.cli.main import main as reelgraph
    from reelgraph.engine.engine import Engine
    from reelgraph.engine.sinks import OutputSinks
    from reelgraph.project.load import load_project
    from reelgraph.proxies import MediaCache, Quality

    started = time.perf_counter()
    status = reelgraph(["proxies", project, "build", "--cache-dir", cache_dir, "--no-progress"])
    result: dict[str, Any] = {"build_s": time.perf_counter() - started, "build_status": status}
    document = load_project(project)
    fmt = document.format
    for mode, quality, scale in (("half", Quality.HALF, 2), ("full", Quality.FULL, 1)):
        width, height = fmt.width // scale // 2 * 2, fmt.height // scale // 2 * 2
        options = {"width": width, "height": height, "quality": quality}
        _warm_up(document, media_cache=MediaCache(cache_dir), **options)
        with Engine(
            document, with_audio=False, media_cache=MediaCache(cache_dir), **options
        ) as engine:
            engine.check_media()
            engine.world.insert_resource(OutputSinks([_NullSink()]))
            wanted = requests(engine.duration(), int(count), int(seed))
            latencies = []
            for frame in wanted:
                began = time.perf_counter()
                engine.tick(frame)
                latencies.append(time.perf_counter() - began)
            result[mode] = latencies
            result[f"{mode}_served_from_proxies"] = engine.media.proxies.served
    return result


def reader_scrub(source: str, source_frames: str, timeline_frames: str, count: str,
                 seed: str) -> dict[str, Any]:  # fmt: skip
    """The same requests to reelgraph's VideoReader alone: decoding, without compositing."""
    from reelgraph.media import VideoReader

    per_source = int(source_frames)
    wanted = requests(int(timeline_frames), int(count), int(seed))
    latencies = []
    with VideoReader(source) as warm:  # as the engine drivers warm up: a throwaway reader
        warm.frame_at(Fraction(per_source - 1) / warm.info.rate)
    with VideoReader(source) as reader:
        rate = reader.info.rate
        for frame in wanted:
            started = time.perf_counter()
            reader.frame_at(Fraction(frame % per_source) / rate)
            latencies.append(time.perf_counter() - started)
    return {"reader": latencies}


def pyav_scrub(source: str, source_frames: str, timeline_frames: str, count: str,
               seed: str) -> dict[str, Any]:  # fmt: skip
    """The naive anchor: PyAV seek to the keyframe before, decode up to the frame, to RGB."""
    import av

    per_source = int(source_frames)
    wanted = requests(int(timeline_frames), int(count), int(seed))
    latencies = []
    with av.open(source) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        rate = stream.average_rate or Fraction(30)

        def show(frame: int) -> None:
            target = Fraction(frame % per_source) / rate
            pts = int(target / stream.time_base)
            container.seek(pts, stream=stream, backward=True, any_frame=False)
            for decoded in container.decode(stream):
                if decoded.pts is not None and decoded.pts >= pts:
                    decoded.to_ndarray(format="rgb24")
                    break

        show(per_source - 1)  # warm-up (opens the decoder); every request seeks anyway
        for frame in wanted:
            started = time.perf_counter()
            show(frame)
            latencies.append(time.perf_counter() - started)
    return {"pyav": latencies}


def open_project(project: str) -> dict[str, Any]:
    """How long until a project is ready to render: load, engine, index, media checks."""
    marks = [time.perf_counter()]
    from reelgraph.engine.engine import Engine
    from reelgraph.project.load import load_project

    marks.append(time.perf_counter())
    document = load_project(project)
    marks.append(time.perf_counter())
    engine = Engine(document)
    marks.append(time.perf_counter())
    frames = engine.duration()
    marks.append(time.perf_counter())
    engine.check_media()
    marks.append(time.perf_counter())
    engine.close()
    steps = ("import_s", "load_s", "engine_s", "index_s", "check_media_s")
    timings = {name: marks[i + 1] - marks[i] for i, name in enumerate(steps)}
    clips = len(document.clips)
    return {**timings, "open_s": marks[4] - marks[1], "frames": frames, "clips": clips}


_COMMANDS = {
    "grade": grade,
    "scrub": scrub,
    "scrub-proxies": scrub_proxies,
    "reader-scrub": reader_scrub,
    "pyav-scrub": pyav_scrub,
    "open": open_project,
}


def main(argv: list[str]) -> int:
    """Run one driver; print its JSON."""
    result = _COMMANDS[argv[0]](*argv[1:])
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
