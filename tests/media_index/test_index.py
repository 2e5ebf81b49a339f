"""The media index: cheap identities, cached probes, atomic merging saves."""

from __future__ import annotations

import json
import os
from fractions import Fraction

from reelgraph.media import probe
from reelgraph.media.probe_json import PROBE_VERSION, info_from_json, info_to_json
from reelgraph.media_index import MediaIndex, fingerprint_file
from reelgraph.testing.generated_media import write_numbered_clip


def test_an_unchanged_file_is_identified_from_the_index_without_reading_it(tmp_path):
    path = tmp_path / "a.bin"
    path.write_bytes(b"one" * 100)
    index = MediaIndex(tmp_path / "index.json")
    first = index.identify(path)
    stat = path.stat()
    # Same size and modification time: the index answers, so the new bytes go unseen.
    path.write_bytes(b"two" * 100)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert index.identify(path) == first
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    assert index.identify(path) == fingerprint_file(path) != first


def test_what_the_index_learns_survives_a_save_and_a_new_process(tmp_path):
    path = tmp_path / "a.bin"
    path.write_bytes(b"x" * 1000)
    index = MediaIndex(tmp_path / "index.json")
    fingerprint = index.identify(path)
    index.record_full_hash(fingerprint, "f" * 64)
    index.save()
    again = MediaIndex(tmp_path / "index.json")
    assert again.last_fingerprint(path) == fingerprint
    assert again.paths_of(fingerprint) == [path]
    assert again.full_hash(fingerprint) == "f" * 64
    assert not again.dirty


def test_two_indexes_saving_to_one_file_keep_each_others_entries(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).write_bytes(name.encode() * 50)
    first, second = MediaIndex(tmp_path / "i.json"), MediaIndex(tmp_path / "i.json")
    fa, fb = first.identify(tmp_path / "a"), second.identify(tmp_path / "b")
    first.save()
    second.save()
    merged = MediaIndex(tmp_path / "i.json")
    assert merged.fingerprints() == sorted([fa, fb], key=lambda f: f.text)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_an_unreadable_index_file_is_an_empty_index(tmp_path):
    path = tmp_path / "i.json"
    for body in (
        "{not json",
        json.dumps({"schema": "Other.1"}),
        json.dumps({"schema": "MediaIndex.1", "media": {"x": 3}}),
    ):
        path.write_text(body)
        assert MediaIndex(path).fingerprints() == []


def test_a_contradicting_full_hash_is_reported(tmp_path):
    path = tmp_path / "a.bin"
    path.write_bytes(b"z" * 10)
    index = MediaIndex(tmp_path / "i.json")
    fingerprint = index.identify(path)
    assert index.record_full_hash(fingerprint, "1" * 64)
    assert index.record_full_hash(fingerprint, "1" * 64)
    assert not index.record_full_hash(fingerprint, "2" * 64)


def test_probe_results_are_cached_by_content_and_come_back_exact(tmp_path):
    clip = write_numbered_clip(tmp_path / "n.mp4", 4, rate=Fraction(30000, 1001))
    info = probe(clip)
    index = MediaIndex(tmp_path / "i.json")
    fingerprint = index.identify(clip)
    index.record_probe(fingerprint, PROBE_VERSION, info_to_json(info))
    index.save()
    cached = MediaIndex(tmp_path / "i.json").probe_of(fingerprint, PROBE_VERSION)
    assert cached is not None
    assert info_from_json(cached, str(clip)) == info
    assert MediaIndex(tmp_path / "i.json").probe_of(fingerprint, "another prober") is None
