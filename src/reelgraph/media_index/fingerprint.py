"""Content fingerprints of media files: a fast one to name content, a full hash to confirm.

:func:`fingerprint_file` reads at most 3 MiB whatever the file's size: the SHA-256 of the
size and of the first, middle and last MiB (the whole file when it is that small). It
names a file's content in cache keys, proxy names and the media index, so a moved or
renamed file keeps its name and its caches. :func:`full_sha256` hashes every byte; it is
slow on camera files and runs as background work, checking its cancel token between
blocks. :class:`FullHash` is the same hash a block at a time, so a scheduler can spread
it over short jobs.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass

from reelgraph.jobs.cancel import CancelToken

__all__ = ["SAMPLE_BYTES", "Fingerprint", "FullHash", "fingerprint_file", "full_sha256"]

SAMPLE_BYTES = 1 << 20
"""Bytes hashed at each of the three sample points."""

_VERSION = b"reelgraph-fingerprint-1\0"
_BLOCK = 4 << 20


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """The fast content name of a file.

    Attributes:
        size: The file's length in bytes.
        digest: Hex SHA-256 of the size and the sampled bytes.
    """

    size: int
    digest: str

    @property
    def text(self) -> str:
        """The form used in keys and the index: ``fp1:<size>:<digest>``."""
        return f"fp1:{self.size}:{self.digest}"

    @property
    def short(self) -> str:
        """A file-name-safe form (size and 32 hex digits), unique in practice."""
        return f"{self.size:x}-{self.digest[:32]}"

    @classmethod
    def from_text(cls, text: str) -> Fingerprint:
        """Parse :attr:`text`.

        Raises:
            ValueError: not a fingerprint's text.
        """
        tag, size, digest = text.split(":")
        if tag != "fp1" or len(digest) != 64:
            raise ValueError(f"not a fingerprint: {text!r}")
        int(digest, 16)
        return cls(int(size), digest)


def _sample_offsets(size: int) -> list[int]:
    if size <= 3 * SAMPLE_BYTES:
        return [0]
    return [0, size // 2 - SAMPLE_BYTES // 2, size - SAMPLE_BYTES]


def fingerprint_file(path: str | os.PathLike[str]) -> Fingerprint:
    """The fingerprint of the file at ``path`` (at most 3 MiB read).

    Raises:
        OSError: the file cannot be read (``FileNotFoundError`` when it is missing).
    """
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        digest = hashlib.sha256(_VERSION + size.to_bytes(8, "little"))
        whole = size <= 3 * SAMPLE_BYTES
        for offset in _sample_offsets(size):
            handle.seek(offset)
            digest.update(handle.read(size if whole else SAMPLE_BYTES))
    return Fingerprint(size, digest.hexdigest())


class FullHash:
    """The SHA-256 of every byte of a file, read one 4 MiB block per :meth:`step`.

    The file is opened for each block, so a hash spread over several jobs holds no file
    open between them.

    Args:
        path: The file.

    Raises:
        OSError: the file cannot be read (``FileNotFoundError`` when it is missing).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = path
        self.bytes_total = os.stat(path).st_size
        """The file's length when the hash began."""
        self.bytes_done = 0
        self.finished = False
        self._digest = hashlib.sha256()

    def step(self) -> bool:
        """Hash the next block; False once every byte is hashed.

        Raises:
            OSError: the file cannot be read.
        """
        if self.finished:
            return False
        with open(self.path, "rb") as handle:
            handle.seek(self.bytes_done)
            block = handle.read(_BLOCK)
        if not block:
            self.finished = True
            return False
        self._digest.update(block)
        self.bytes_done += len(block)
        return True

    def hexdigest(self) -> str:
        """The hex SHA-256 of the bytes hashed so far (of the whole file once finished)."""
        return self._digest.hexdigest()


def full_sha256(
    path: str | os.PathLike[str],
    *,
    token: CancelToken | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> str:
    """The SHA-256 of every byte of the file, checking ``token`` between 4 MiB blocks.

    Args:
        path: The file.
        token: Cancels the hash at the next block (raises its coded error).
        progress: Called with ``(bytes done, total bytes)`` after each block.

    Raises:
        OSError: the file cannot be read.
        JobCancelledError: ``token`` was cancelled.
    """
    full = FullHash(path)
    while True:
        if token is not None:
            token.check()
        if not full.step():
            return full.hexdigest()
        if progress is not None:
            progress(full.bytes_done, full.bytes_total)
