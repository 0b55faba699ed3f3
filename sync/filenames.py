"""File names as they may be shown: a name is outside text, and may hold bytes that a
terminal obeys (an escape sequence that clears the screen or rewrites the line before it)
or that reorder what is read (bidirectional overrides)."""

from __future__ import annotations

import unicodedata

# Unicode's format controls that turn text around (RLO and its kin) or hide in it.
_REORDERING = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A),
                                          0x200E, 0x200F, 0x061C))


def printable(name: str) -> str:
    """`name` with every control character written as an escape (`\\x1b`, `\\u202e`), so
    that it prints as what it is; an ordinary name comes back unchanged. Bytes that were
    not valid in the file system's encoding (surrogate escapes) are shown the same way."""
    if name.isprintable() and not _REORDERING.intersection(name):
        return name
    return "".join(_shown(char) for char in name)


def _shown(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, as os.fsdecode keeps it
        return f"\\x{code - 0xDC00:02x}"
    if char in _REORDERING or unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return char
