"""Re-exports reuse unchanged segments and give the bytes of a fresh export."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from reelgraph.export.job import export_project
from reelgraph.export.presets import resolve_settings
from reelgraph.project.load import load_project

from .conftest import small_project


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def export(folder: Path, data: dict, out: Path, cache: Path | None, preset: str | None = None):
    path = folder / "p.json"
    path.write_text(json.dumps(data))
    document = load_project(path)
    settings = resolve_settings(str(out), preset, {}, {"segment_frames": 10})
    return export_project(document, out, settings, cache_dir=cache)


def trimmed(data: dict) -> dict:
    changed = json.loads(json.dumps(data))
    box = changed["sequences"][0]["tracks"][1]["clips"][0]
    box["duration"] -= 5  # the overlay ends 5 frames earlier: only the last segment changes
    return changed


@pytest.mark.parametrize("preset", [None, "prores"])
def test_a_re_export_after_a_small_edit_reencodes_only_changed_segments(
    export_media, tmp_path, preset
):
    cache = tmp_path / "cache"
    name = "out.mov" if preset else "out.mp4"
    first = export(export_media, small_project(), tmp_path / f"first-{name}", cache, preset)
    assert first.stats["segments_encoded"] == 5 and first.stats["segments_reused"] == 0
    again = export(
        export_media, trimmed(small_project()), tmp_path / f"again-{name}", cache, preset
    )
    assert again.stats["segments_encoded"] == 1 and again.stats["segments_reused"] == 4
    fresh = export(export_media, trimmed(small_project()), tmp_path / f"fresh-{name}", None, preset)
    assert sha256(tmp_path / f"again-{name}") == sha256(tmp_path / f"fresh-{name}")
    assert again.frame_hashes == fresh.frame_hashes


def test_an_unchanged_re_export_reuses_every_segment_and_the_frame_cache(export_media, tmp_path):
    cache = tmp_path / "cache"
    export(export_media, small_project(), tmp_path / "a.mp4", cache)
    again = export(export_media, small_project(), tmp_path / "b.mp4", cache)
    assert again.stats["segments_encoded"] == 0
    assert sha256(tmp_path / "a.mp4") == sha256(tmp_path / "b.mp4")


def test_corrupt_cache_entries_never_change_the_output(export_media, tmp_path):
    cache = tmp_path / "cache"
    export(export_media, small_project(), tmp_path / "a.mp4", cache)
    for path in (
        sorted((cache / "segments").glob("*/*.seg"))[:2]
        + sorted((cache / "frames").glob("*/*.rgc"))[:10]
    ):
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x5A
        path.write_bytes(bytes(data))
    again = export(export_media, small_project(), tmp_path / "b.mp4", cache)
    assert again.stats["segments_encoded"] == 2
    assert sha256(tmp_path / "a.mp4") == sha256(tmp_path / "b.mp4")


def test_the_frame_cache_skips_compositing_for_frames_it_has(export_media, tmp_path):
    cache = tmp_path / "cache"
    export(export_media, small_project(), tmp_path / "a.mp4", cache)
    for segment in (cache / "segments").glob("*/*"):
        segment.unlink()
    again = export(export_media, small_project(), tmp_path / "b.mp4", cache)
    assert again.stats["segments_encoded"] == 5
    assert again.stats["disk_hits"] == 50 and again.stats["disk_misses"] == 0
    assert sha256(tmp_path / "a.mp4") == sha256(tmp_path / "b.mp4")


def test_a_parallel_export_writes_the_same_bytes_as_one_process(export_media, tmp_path):
    path = export_media / "p.json"
    path.write_text(json.dumps(small_project()))
    document = load_project(path)
    settings = resolve_settings("x.mp4", None, {}, {"segment_frames": 10})
    one = export_project(document, tmp_path / "one.mp4", settings)
    two = export_project(document, tmp_path / "two.mp4", settings, workers=2)
    assert sha256(tmp_path / "one.mp4") == sha256(tmp_path / "two.mp4")
    assert one.frame_hashes == two.frame_hashes and two.stats["segments_encoded"] == 5


def test_work_is_split_into_contiguous_shares_of_similar_size():
    from reelgraph.export.parallel import split_work

    assert split_work([10] * 5, 2) == [[0, 1, 2], [3, 4]]
    assert split_work([10] * 4, 2) == [[0, 1], [2, 3]]
    assert split_work([10], 3) == [[0]]
    assert [i for run in split_work([1] * 7, 3) for i in run] == list(range(7))
