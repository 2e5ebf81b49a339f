"""Recycled image buffers: reused only when nobody can see them, and never change a pixel."""

from __future__ import annotations

import numpy as np

from reelgraph.render import BlendMode, CpuBackend
from reelgraph.render.buffer_pool import POOL, BufferPool

SHAPE = (6, 5, 4)


def test_an_unshared_image_is_kept_and_handed_out_again() -> None:
    pool = BufferPool()
    image = np.empty(SHAPE, dtype=np.float32)
    address = image.ctypes.data
    assert pool.give_back(image)
    del image
    again = pool.take(SHAPE)
    assert again.ctypes.data == address and again.flags.writeable
    assert pool.reused == 1


def test_an_image_someone_else_holds_is_never_kept() -> None:
    pool = BufferPool()
    image = np.empty(SHAPE, dtype=np.float32)
    cache = [image]
    assert not pool.give_back(image)
    view = cache.pop()[1:]
    assert not pool.give_back(image)  # the view still reads it
    assert not pool.give_back(view)  # views never own a buffer
    assert pool.take(SHAPE) is not image


def test_at_most_per_shape_buffers_are_kept() -> None:
    pool = BufferPool(per_shape=2)
    kept = [pool.give_back(np.empty(SHAPE, dtype=np.float32)) for _ in range(3)]
    assert kept == [True, True, False]


def test_a_backend_recycles_what_its_caller_gives_up() -> None:
    cpu = CpuBackend()
    base = cpu.from_array(np.full(SHAPE, 0.25, dtype=np.float32))
    blended = cpu.blend(base, base, BlendMode.NORMAL, 0.5)
    returned = POOL.returned
    cpu.recycle(blended)
    del blended
    assert POOL.returned == returned + 1
    # A recycled buffer is overwritten completely by the next operation that takes it.
    again = cpu.to_array(cpu.blend(base, base, BlendMode.NORMAL, 0.5))
    assert np.array_equal(again, np.full(SHAPE, 0.25 * 0.5 + 0.25 * (1 - 0.125), np.float32))


def test_a_render_reuses_buffers_and_gives_the_pixels_of_a_render_without_reuse(
    tmp_path,
) -> None:
    from reelgraph.export.job import render_to_memory
    from reelgraph.project.load import load_project_data
    from reelgraph.testing import clip, color, media, project, track, transform, transition
    from reelgraph.testing.generated_media import write_numbered_clip

    write_numbered_clip(tmp_path / "a.mov", 12)
    data = project(
        [
            track(
                "V1",
                "video",
                [clip("a", 0, 8, media("a.mov")), clip("b", 5, 7, color("#3366cc"))],
                [transition("a", "b")],
            ),
            track(
                "V2",
                "video",
                [clip("pip", 0, 12, media("a.mov"), transform=transform(scale=0.4), opacity=0.7)],
            ),
        ]
    )

    def frames() -> list[bytes]:
        collected = render_to_memory(load_project_data(data, tmp_path))
        return [pixels.tobytes() for pixels in collected.frames]

    reused = POOL.reused
    pooled = frames()
    assert POOL.reused > reused
    per_shape, POOL.per_shape = POOL.per_shape, 0
    POOL.clear()
    try:
        assert frames() == pooled
    finally:
        POOL.per_shape = per_shape
