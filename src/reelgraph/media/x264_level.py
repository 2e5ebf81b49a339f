"""The instruction-set level x264 is pinned to, so its bytes don't follow the machine.

x264 chooses its SIMD functions from the CPU it finds, and they don't all round alike: the
same encode made with x264's SSE2 functions and with its AVX functions gives different
bytes (seen here), and x264 has further AVX-512 versions of float code (macroblock-tree
propagation). It also adds vendor speed hints to what it detects. Exports therefore name
one level, the highest of SSE2 ... AVX2 the CPU has, never AVX-512 and without hints, so
every machine of a level runs the same functions: every AVX2 machine, Intel or AMD, with
AVX-512 or without, makes the same bytes. On an AVX2 machine without AVX-512 the bytes
are those x264 makes unpinned.
"""

from __future__ import annotations

import functools
import platform
from pathlib import Path

__all__ = ["pinned_x264_level", "x264_level_for"]

# x264's level names are cumulative (each implies the ones below); the CPU flags (as
# /proc/cpuinfo spells them) each level's functions use, including all below.
_SSE2 = {"sse", "sse2"}
_SSSE3 = _SSE2 | {"pni", "ssse3"}
_SSE42 = _SSSE3 | {"sse4_1", "sse4_2"}
_AVX = _SSE42 | {"avx"}
_AVX2 = _AVX | {"avx2", "fma", "bmi1", "bmi2", "abm"}
_LEVELS = (("AVX2", _AVX2), ("AVX", _AVX), ("SSE4.2", _SSE42), ("SSSE3", _SSSE3), ("SSE2", _SSE2))


def x264_level_for(cpu_flags: set[str]) -> str | None:
    """The highest level all of whose flags are in ``cpu_flags`` (None: not even SSE2)."""
    for name, needs in _LEVELS:
        if needs <= cpu_flags:
            return name
    return None


@functools.cache
def pinned_x264_level() -> str | None:
    """This machine's level (None where it can't be read: x264 then detects by itself)."""
    if platform.machine().lower() not in ("x86_64", "amd64", "i686", "x86"):
        return None
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("flags"):
            return x264_level_for(set(line.partition(":")[2].split()))
    return None
