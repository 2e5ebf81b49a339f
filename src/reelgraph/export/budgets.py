"""How much decoded and finished picture data an export keeps in memory.

An export walks the timeline forward once, so caches that serve a viewer (stepping back,
scrubbing to a frame seen before) only hold memory there: a converted source frame is
read again only by a repeat (slow motion, a lower source rate, the read-ahead's frame
asked for again), and a finished frame only when the same picture comes back (a gap, a
held still), which the last few frames cover. These budgets keep peak memory flat in the
length of the timeline and small beside the working set of compositing (a float32 RGBA
1080p picture is 33 MB). They change how often work is repeated, never the output.
"""

from __future__ import annotations

from pathlib import Path

from reelgraph.cache import FrameCache

__all__ = [
    "EXPORT_FRAME_CACHE_BYTES",
    "EXPORT_READER_CACHE_FRAMES",
    "export_frame_cache",
    "export_frame_cache_bytes",
]

#: Converted frames each video reader keeps during an export (a reader of a source that
#: some clip plays in reverse keeps its usual window: it steps back through it).
EXPORT_READER_CACHE_FRAMES = 4

#: Bytes of finished frames the memory tier of an export's frame cache holds (ten 1080p
#: frames at 8 bits; always room for two frames, however big).
EXPORT_FRAME_CACHE_BYTES = 64 << 20


def export_frame_cache_bytes(width: int, height: int, bit_depth: int = 8) -> int:
    """The memory tier's budget for display pixels ``(height, width, 3)`` at ``bit_depth``."""
    frame = width * height * 3 * (2 if bit_depth > 8 else 1)
    return max(2 * frame, EXPORT_FRAME_CACHE_BYTES)


def export_frame_cache(
    size: tuple[int, int], bit_depth: int = 8, disk_root: Path | None = None
) -> FrameCache:
    """An export's frame cache: a small memory tier, and the disk store at ``disk_root``."""
    memory = export_frame_cache_bytes(size[0], size[1], bit_depth)
    return FrameCache(memory_bytes=memory, disk_root=disk_root)
