"""Finding font files by path, file name or alias, without fontconfig.

A ``font`` parameter is one of:

* a path to a ``.ttf``/``.otf``/``.ttc`` file (relative ones resolve against the project;
  one that does not exist there is looked up by its file name);
* a file name or stem found in the font folders (``DejaVuSans-Bold.ttf``, ``ipag``);
* an alias: ``sans``, ``sans-bold``, ``serif``, ``mono``, ``cjk``, ``cjk-bold``, each a
  list of common files tried in order (DejaVu, Noto, Liberation; IPA and Noto CJK);
* ``auto``: ``sans-bold``, or ``cjk-bold`` when the text holds CJK characters.

Font folders: ``REELGRAPH_FONT_PATH`` (``os.pathsep``-separated), then the user's and the
system's (``~/.local/share/fonts``, ``~/.fonts``, ``/usr/local/share/fonts``,
``/usr/share/fonts``), searched recursively once per process.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

__all__ = ["ALIASES", "FontNotFoundError", "find_cjk_font", "find_font", "has_cjk"]

_SUFFIXES = (".ttf", ".otf", ".ttc")
ALIASES: dict[str, tuple[str, ...]] = {
    "sans": ("DejaVuSans.ttf", "NotoSans-Regular.ttf", "LiberationSans-Regular.ttf"),
    "sans-bold": ("DejaVuSans-Bold.ttf", "NotoSans-Bold.ttf", "LiberationSans-Bold.ttf"),
    "serif": ("DejaVuSerif.ttf", "NotoSerif-Regular.ttf", "LiberationSerif-Regular.ttf"),
    "mono": ("DejaVuSansMono.ttf", "NotoSansMono-Regular.ttf", "LiberationMono-Regular.ttf"),
    "cjk": (
        "NotoSansCJK-Regular.ttc",
        "NotoSansCJKjp-Regular.otf",
        "ipagp.ttf",
        "ipag.ttf",
        "fonts-japanese-gothic.ttf",
        "DroidSansFallbackFull.ttf",
    ),
    "cjk-bold": (
        "NotoSansCJK-Bold.ttc",
        "NotoSansCJKjp-Bold.otf",
        "ipagp.ttf",
        "ipag.ttf",
        "fonts-japanese-gothic.ttf",
    ),
}
# Ranges that hold CJK ideographs, kana, hangul and full-width forms.
_CJK_RANGES = (
    (0x2E80, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
    (0x20000, 0x2FA1F),
)


class FontNotFoundError(FileNotFoundError):
    """No font file matches the name or alias asked for."""


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a character that needs a CJK font."""
    return any(low <= ord(ch) <= high for ch in text for low, high in _CJK_RANGES)


def _folders() -> list[Path]:
    extra = [Path(p) for p in os.environ.get("REELGRAPH_FONT_PATH", "").split(os.pathsep) if p]
    home = Path.home()
    system = [
        home / ".local/share/fonts",
        home / ".fonts",
        Path("/usr/local/share/fonts"),
        Path("/usr/share/fonts"),
    ]
    return extra + system


@functools.lru_cache(maxsize=4)
def _index(folders: tuple[Path, ...]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() in _SUFFIXES and path.is_file():
                found.setdefault(path.name.lower(), path)
                found.setdefault(path.stem.lower(), path)
    return found


def find_font(name: str, text: str = "") -> Path:
    """The font file for a ``font`` parameter (see the module's docstring).

    Raises:
        FontNotFoundError: nothing matches; the message says what was tried.
    """
    path = Path(name)
    if path.suffix.lower() in _SUFFIXES and path.is_file():
        return path
    # The engine resolves the parameter against the project's folder, so an alias or a
    # bare file name may arrive as a path: its last part is what names the font.
    key = path.name
    if key == "auto":
        key = "cjk-bold" if has_cjk(text) else "sans-bold"
    index = _index(tuple(_folders()))
    tried = ALIASES.get(key, (key,))
    for candidate in tried:
        match = index.get(candidate.lower())
        if match is not None:
            return match
    raise FontNotFoundError(
        f"no font file for {name!r} (tried {', '.join(tried)} in "
        f"{', '.join(str(f) for f in _folders())})"
    )


def find_cjk_font() -> Path | None:
    """A font with Japanese glyphs, or None when none is installed."""
    try:
        return find_font("cjk")
    except FontNotFoundError:
        return None
