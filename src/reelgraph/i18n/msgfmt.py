"""A tiny ``msgfmt``: read GNU ``.po`` catalogs and write standard GNU ``.mo`` files.

The catalogs under ``reelgraph/i18n/locale`` are written by hand as ``.po`` files and
committed together with their compiled ``.mo`` files (a few kilobytes), so an installed
reelgraph needs no build step and no GNU gettext tools. After editing a ``.po`` file run::

    python -m reelgraph.i18n.msgfmt

which recompiles every catalog; a test fails while a committed ``.mo`` differs from what
its ``.po`` compiles to. The output is deterministic (entries sorted by ``msgid``, no hash
table), and :func:`gettext.translation` reads it like any ``.mo`` that GNU ``msgfmt``
writes. Supported ``.po`` syntax: comments, ``msgctxt``-free ``msgid``/``msgstr`` pairs,
multi-line strings and C escapes; ``#, fuzzy`` entries are left out, as GNU msgfmt does.
"""

from __future__ import annotations

import ast
import struct
import sys
from collections.abc import Iterable
from pathlib import Path

__all__ = ["LOCALE_DIR", "compile_catalogs", "mo_bytes", "parse_po", "po_files"]

#: Where the catalogs live: ``LOCALE_DIR / <lang> / "LC_MESSAGES" / "reelgraph.po"``.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_MAGIC = 0x950412DE


def _string(token: str, where: str) -> str:
    if not (token.startswith('"') and token.endswith('"')) or len(token) < 2:
        raise ValueError(f"{where}: expected a quoted string, got {token!r}")
    try:
        # A .po string is a C string literal; its escapes are a subset of Python's.
        value = ast.literal_eval(token)
    except (SyntaxError, ValueError) as exc:
        raise ValueError(f"{where}: bad string {token!r}: {exc}") from None
    if not isinstance(value, str):
        raise ValueError(f"{where}: bad string {token!r}")
    return value


def parse_po(text: str, name: str = "<po>") -> dict[str, str]:
    """The translations of a ``.po`` file: ``msgid -> msgstr`` (the header under ``""``).

    Raises:
        ValueError: a malformed line, or a ``msgid`` given twice.
    """
    entries: dict[str, str] = {}
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    current: list[str] | None = None
    fuzzy = False

    def finish() -> None:
        nonlocal msgid, msgstr, fuzzy
        if msgid is not None:
            if msgstr is None:
                raise ValueError(f"{name}: msgid {''.join(msgid)!r} has no msgstr")
            key = "".join(msgid)
            if key in entries:
                raise ValueError(f"{name}: msgid {key!r} is given twice")
            if not fuzzy or key == "":
                entries[key] = "".join(msgstr)
        msgid, msgstr, fuzzy = None, None, False

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        where = f"{name}:{number}"
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                finish()
                fuzzy = True
            continue
        if line.startswith("msgid "):
            pending_fuzzy = fuzzy and msgid is None
            finish()
            fuzzy = pending_fuzzy
            msgid = [_string(line[6:].strip(), where)]
            current = msgid
        elif line.startswith("msgstr "):
            if msgid is None or msgstr is not None:
                raise ValueError(f"{where}: msgstr without its msgid")
            msgstr = [_string(line[7:].strip(), where)]
            current = msgstr
        elif line.startswith('"') and current is not None:
            current.append(_string(line, where))
        else:
            raise ValueError(f"{where}: cannot read {line!r}")
    finish()
    return entries


def mo_bytes(entries: dict[str, str]) -> bytes:
    """A GNU ``.mo`` file (little-endian, revision 0, no hash table) holding ``entries``."""
    keys = sorted(entries)
    ids = [key.encode("utf-8") for key in keys]
    strs = [entries[key].encode("utf-8") for key in keys]
    count = len(keys)
    header_size = 7 * 4
    ids_table = header_size
    strs_table = ids_table + count * 8
    data_start = strs_table + count * 8
    offsets: list[tuple[int, int]] = []
    blob = bytearray()
    for item in [*ids, *strs]:
        offsets.append((len(item), data_start + len(blob)))
        blob += item + b"\0"
    out = bytearray(struct.pack("<7I", _MAGIC, 0, count, ids_table, strs_table, 0, data_start))
    for length, offset in offsets:
        out += struct.pack("<2I", length, offset)
    return bytes(out + blob)


def po_files(root: Path = LOCALE_DIR) -> list[Path]:
    """Every ``reelgraph.po`` under ``root``, sorted."""
    return sorted(root.glob("*/LC_MESSAGES/reelgraph.po"))


def compile_catalogs(root: Path = LOCALE_DIR) -> list[Path]:
    """Compile every ``.po`` under ``root`` into the ``.mo`` beside it; returns the ``.mo``s."""
    written = []
    for po in po_files(root):
        mo = po.with_suffix(".mo")
        mo.write_bytes(mo_bytes(parse_po(po.read_text(encoding="utf-8"), str(po))))
        written.append(mo)
    return written


def main(argv: Iterable[str] | None = None) -> int:
    """``python -m reelgraph.i18n.msgfmt``: recompile the package's catalogs."""
    for path in compile_catalogs():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
