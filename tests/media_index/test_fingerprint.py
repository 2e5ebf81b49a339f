"""Fingerprints name content: cheap to take, blind to names, sensitive to sampled bytes."""

from __future__ import annotations

import hashlib

import pytest

from reelgraph.errors import JobCancelledError
from reelgraph.jobs import CancelToken
from reelgraph.media_index import SAMPLE_BYTES, Fingerprint, fingerprint_file, full_sha256


def _write(path, size: int, seed: int = 0):
    path.write_bytes(bytes((i * 31 + seed) % 251 for i in range(size)))
    return path


def test_the_same_content_under_another_name_has_the_same_fingerprint(tmp_path):
    a = _write(tmp_path / "a.mov", 5000)
    b = tmp_path / "renamed.mp4"
    b.write_bytes(a.read_bytes())
    assert fingerprint_file(a) == fingerprint_file(b)


def test_one_changed_byte_changes_a_small_files_fingerprint(tmp_path):
    path = _write(tmp_path / "a.mov", 5000)
    before = fingerprint_file(path)
    data = bytearray(path.read_bytes())
    data[2500] ^= 1
    path.write_bytes(bytes(data))
    assert fingerprint_file(path) != before


def test_a_large_file_is_sampled_at_its_start_middle_and_end(tmp_path):
    size = 4 * SAMPLE_BYTES
    path = tmp_path / "big.bin"
    path.write_bytes(bytes(size))
    before = fingerprint_file(path)
    for offset, changes in (
        (10, True),
        (size // 2, True),
        (size - 10, True),
        (SAMPLE_BYTES + 10, False),
    ):
        data = bytearray(path.read_bytes())
        data[offset] = 7
        path.write_bytes(bytes(data))
        assert (fingerprint_file(path) != before) is changes
        path.write_bytes(bytes(size))


def test_the_text_form_round_trips_and_rejects_other_text():
    fingerprint = Fingerprint(1234, "ab" * 32)
    assert Fingerprint.from_text(fingerprint.text) == fingerprint
    assert fingerprint.short.startswith("4d2-")
    with pytest.raises(ValueError):
        Fingerprint.from_text("sha:12:zz")


def test_the_full_hash_is_the_files_sha256_and_stops_when_cancelled(tmp_path):
    path = _write(tmp_path / "a.bin", 10000)
    assert full_sha256(path) == hashlib.sha256(path.read_bytes()).hexdigest()
    token = CancelToken("hash")
    token.cancel()
    with pytest.raises(JobCancelledError):
        full_sha256(path, token=token)
