"""The one funnel where foreign errors (PyAV, the OS) become reelgraph's media errors.

Every call into ``av`` or the file system made by :mod:`reelgraph.media` runs inside
:func:`reading` or :func:`writing`, so each foreign exception is translated exactly once,
with the path (and the time or frame, where known) attached, and chained with
``raise ... from exc`` so the log keeps the original.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import av
from av.container import OutputContainer

from reelgraph.errors import (
    DecodeError,
    EncodeError,
    MediaNotFoundError,
    ReelgraphError,
    UnsupportedCodecError,
    output_error_for,
)

__all__ = ["add_stream", "reading", "reason_of", "writing"]


def reason_of(exc: BaseException) -> str:
    """A short human reason for a foreign exception (FFmpeg's text without the errno)."""
    strerror = getattr(exc, "strerror", None)
    if isinstance(strerror, str) and strerror:
        return strerror
    return str(exc) or type(exc).__name__


def _where(context: dict[str, Any]) -> str:
    if "time" in context:
        return f" at {context['time']} s"
    if "frame" in context:
        return f" at frame {context['frame']}"
    return ""


@contextmanager
def reading(path: str, **context: Any) -> Iterator[None]:
    """Translate errors raised while opening, demuxing or decoding ``path``.

    Args:
        path: The media file being read; attached to the error as ``path``.
        **context: Further facts (``time``, ``frame``) attached to the error.

    Raises:
        MediaNotFoundError: the file does not exist.
        DecodeError: anything else FFmpeg or the OS refused (corrupt, truncated, not media,
            unreadable).
    """
    try:
        yield
    except ReelgraphError:
        raise
    except FileNotFoundError as exc:  # av.error.FileNotFoundError is one too
        raise MediaNotFoundError(f"media file not found: {path}", path=path, **context) from exc
    except (av.error.FFmpegError, OSError, EOFError) as exc:
        raise DecodeError(
            f"cannot decode {path}{_where(context)}: {reason_of(exc)}", path=path, **context
        ) from exc


@contextmanager
def writing(path: str, **context: Any) -> Iterator[None]:
    """Translate errors raised while opening, encoding or muxing into ``path``.

    Args:
        path: The output file; attached to the error as ``path``.
        **context: Further facts (``frame``, ``stream``) attached to the error.

    Raises:
        OutputWriteError: the OS refused the file (missing folder, permissions, full disk).
        EncodeError: the encoder or muxer failed.
    """
    try:
        yield
    except ReelgraphError:
        raise
    except OSError as exc:  # av's errno errors (PermissionError, ENOSPC...) are OSErrors too
        # The errno picks the code: output.disk_full, output.not_writable, else write_failed.
        raise output_error_for(path, exc, detail=reason_of(exc)).with_context(**context) from exc
    except (av.error.FFmpegError, EOFError) as exc:
        raise EncodeError(
            f"cannot encode {path}{_where(context)}: {reason_of(exc)}", path=path, **context
        ) from exc


def add_stream(
    container: OutputContainer, encoder: str, codec: str, **kwargs: Any
) -> av.stream.Stream:
    """Add an encoder's stream to ``container``.

    Raises:
        UnsupportedCodecError: the container format cannot hold the codec (PyAV says so
            with a plain ``ValueError``, the only one translated here).
    """
    try:
        return container.add_stream(encoder, **kwargs)
    except ValueError as exc:
        fmt = container.format.name
        raise UnsupportedCodecError(
            f"the {fmt} format cannot hold {codec}: {exc}", codec=codec, format=fmt
        ) from exc
