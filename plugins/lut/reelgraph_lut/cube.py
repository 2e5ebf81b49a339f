"""The ``.cube`` LUT format (Adobe/Iridas, with Resolve's 1D shaper extension).

A file is lines of keywords and data; ``#`` starts a comment; blank lines are ignored.

* ``TITLE "text"``
* ``LUT_1D_SIZE n`` (2..65536) and/or ``LUT_3D_SIZE n`` (2..256)
* ``DOMAIN_MIN r g b`` / ``DOMAIN_MAX r g b``: the input range (default 0 0 0 / 1 1 1)
* ``LUT_1D_INPUT_RANGE lo hi`` / ``LUT_3D_INPUT_RANGE lo hi`` (Resolve): per-table ranges
* data: ``r g b`` per line. A 3D table lists red fastest, then green, then blue. When a
  file holds both tables, the 1D table (a shaper applied first) comes first.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

__all__ = ["CubeError", "CubeLut", "parse_cube", "read_cube", "write_cube"]

_MAX_1D = 65536
_MAX_3D = 256


class CubeError(ValueError):
    """A ``.cube`` file is malformed; the message names the line."""


@dataclass(frozen=True)
class CubeLut:
    """A parsed ``.cube`` file.

    Attributes:
        title: the TITLE, or "".
        table_1d: ``(n, 3)`` float64 shaper applied first, or None.
        table_3d: ``(n, n, n, 3)`` float64 indexed ``[r, g, b]``, or None.
        domain_1d: ``(min, max)`` per channel of the 1D table's input, ``(2, 3)``.
        domain_3d: the same for the 3D table.
    """

    title: str
    table_1d: NDArray[np.float64] | None
    table_3d: NDArray[np.float64] | None
    domain_1d: NDArray[np.float64] = field(default_factory=lambda: _unit_domain())
    domain_3d: NDArray[np.float64] = field(default_factory=lambda: _unit_domain())


def _unit_domain() -> NDArray[np.float64]:
    return np.array([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]])


def read_cube(path: str | Path) -> CubeLut:
    """Read a ``.cube`` file.

    Raises:
        CubeError: the file is malformed.
        OSError: the file cannot be read.
    """
    return parse_cube(Path(path).read_text(encoding="utf-8-sig"), source=str(path))


def _numbers(parts: list[str], count: int, where: str) -> list[float]:
    if len(parts) != count:
        raise CubeError(f"{where}: expected {count} number(s), got {len(parts)}")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise CubeError(f"{where}: not a number in {' '.join(parts)!r}") from None
    if not all(math.isfinite(v) for v in values):
        raise CubeError(f"{where}: values must be finite")
    return values


def _size(parts: list[str], limit: int, where: str) -> int:
    if len(parts) != 1 or not parts[0].isdigit():
        raise CubeError(f"{where}: expected one whole number")
    size = int(parts[0])
    if not 2 <= size <= limit:
        raise CubeError(f"{where}: size {size} is outside 2..{limit}")
    return size


def parse_cube(text: str, *, source: str = ".cube") -> CubeLut:
    """Parse the text of a ``.cube`` file.

    Raises:
        CubeError: unknown keywords, bad numbers, no table, or a data count that does
            not match the sizes; the message names the line.
    """
    title = ""
    size_1d = size_3d = 0
    domain_min, domain_max = [0.0] * 3, [1.0] * 3
    range_1d: list[float] | None = None
    range_3d: list[float] | None = None
    data: list[list[float]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        where = f"{source}:{number}"
        keyword, _, rest = line.partition(" ")
        parts = rest.split()
        if keyword == "TITLE":
            match = re.fullmatch(r'\s*"(.*)"\s*', rest)
            title = match.group(1) if match else rest.strip()
        elif keyword == "LUT_1D_SIZE":
            size_1d = _size(parts, _MAX_1D, where)
        elif keyword == "LUT_3D_SIZE":
            size_3d = _size(parts, _MAX_3D, where)
        elif keyword == "DOMAIN_MIN":
            domain_min = _numbers(parts, 3, where)
        elif keyword == "DOMAIN_MAX":
            domain_max = _numbers(parts, 3, where)
        elif keyword == "LUT_1D_INPUT_RANGE":
            range_1d = _numbers(parts, 2, where)
        elif keyword == "LUT_3D_INPUT_RANGE":
            range_3d = _numbers(parts, 2, where)
        elif re.match(r"[-+.\d]", keyword):
            data.append(_numbers(line.split(), 3, where))
        else:
            raise CubeError(f"{where}: unknown keyword {keyword!r}")
    return _build(title, size_1d, size_3d, domain_min, domain_max, range_1d, range_3d, data, source)


def _build(
    title: str,
    size_1d: int,
    size_3d: int,
    domain_min: list[float],
    domain_max: list[float],
    range_1d: list[float] | None,
    range_3d: list[float] | None,
    data: list[list[float]],
    source: str,
) -> CubeLut:
    if not size_1d and not size_3d:
        raise CubeError(f"{source}: no LUT_1D_SIZE or LUT_3D_SIZE")
    expected = size_1d + size_3d**3
    if len(data) != expected:
        raise CubeError(f"{source}: {len(data)} data lines, expected {expected}")
    if any(hi <= lo for lo, hi in zip(domain_min, domain_max, strict=True)):
        raise CubeError(f"{source}: DOMAIN_MAX must be above DOMAIN_MIN")
    values = np.asarray(data, dtype=np.float64)
    domain = np.array([domain_min, domain_max])

    def ranged(pair: list[float] | None) -> NDArray[np.float64]:
        if pair is None:
            return domain
        if pair[1] <= pair[0]:
            raise CubeError(f"{source}: an input range's maximum must be above its minimum")
        return np.array([[pair[0]] * 3, [pair[1]] * 3])

    table_1d = values[:size_1d] if size_1d else None
    table_3d = None
    if size_3d:
        # Red varies fastest: the flat list is [b][g][r]; store it [r][g][b].
        table_3d = values[size_1d:].reshape(size_3d, size_3d, size_3d, 3).transpose(2, 1, 0, 3)
        table_3d = np.ascontiguousarray(table_3d)
    return CubeLut(title, table_1d, table_3d, ranged(range_1d), ranged(range_3d))


def write_cube(
    path: str | Path,
    table_3d: NDArray[np.floating],
    *,
    title: str = "",
    domain: tuple[float, float] = (0.0, 1.0),
) -> None:
    """Write an ``(n, n, n, 3)`` ``[r, g, b]``-indexed table as a 3D ``.cube`` file."""
    size = table_3d.shape[0]
    lines = [f'TITLE "{title}"'] if title else []
    lines.append(f"LUT_3D_SIZE {size}")
    if domain != (0.0, 1.0):
        lines.append(f"DOMAIN_MIN {domain[0]:g} {domain[0]:g} {domain[0]:g}")
        lines.append(f"DOMAIN_MAX {domain[1]:g} {domain[1]:g} {domain[1]:g}")
    flat = np.asarray(table_3d, dtype=np.float64).transpose(2, 1, 0, 3).reshape(-1, 3)
    lines += [f"{r:.9g} {g:.9g} {b:.9g}" for r, g, b in flat]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
