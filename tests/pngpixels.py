"""Pixels of a PNG, decoded with zlib and struct only (Pillow is not a dependency).

Enough for what Chromium writes: 8-bit RGB or RGBA, not interlaced, any filter type.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {2: 3, 6: 4}  # colour type -> bytes per pixel at 8 bits


@dataclass
class Image:
    width: int
    height: int
    channels: int
    rows: list[bytes]  # unfiltered scanlines

    def pixel(self, x: int, y: int) -> tuple[int, ...]:
        """The RGB colour at (x, y); alpha, when present, is left out."""
        start = x * self.channels
        return tuple(self.rows[y][start:start + 3])

    def colours(self, left: float, top: float, right: float, bottom: float
                ) -> set[tuple[int, ...]]:
        """Every colour of the pixels touched by a box (page coordinates, CSS pixels at
        device scale 1), clipped to the image."""
        x0, y0 = max(0, int(left)), max(0, int(top))
        x1 = min(self.width, -int(-right // 1))  # ceil
        y1 = min(self.height, -int(-bottom // 1))
        found: set[tuple[int, ...]] = set()
        for y in range(y0, y1):
            row = self.rows[y]
            for x in range(x0, x1):
                start = x * self.channels
                found.add(tuple(row[start:start + 3]))
        return found


def decode(data: bytes) -> Image:
    """The scanlines of a PNG file's bytes."""
    if not data.startswith(SIGNATURE):
        raise ValueError("not a PNG")
    position, idat = len(SIGNATURE), bytearray()
    width = height = channels = 0
    while position < len(data):
        (length,) = struct.unpack(">I", data[position:position + 4])
        kind = data[position + 4:position + 8]
        chunk = data[position + 8:position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            if depth != 8 or colour not in CHANNELS or interlace:
                raise ValueError(f"unsupported PNG: depth {depth}, colour type {colour}")
            channels = CHANNELS[colour]
        elif kind == b"IDAT":
            idat += chunk
        elif kind == b"IEND":
            break
    raw = zlib.decompress(bytes(idat))
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        offset = y * (stride + 1)
        kind, line = raw[offset], bytearray(raw[offset + 1:offset + 1 + stride])
        _unfilter(kind, line, previous, channels)
        rows.append(bytes(line))
        previous = line
    return Image(width, height, channels, rows)


def _unfilter(kind: int, line: bytearray, previous: bytearray, bpp: int) -> None:
    if kind == 0:
        return
    if kind == 2:  # Up: whole-line addition, the common case, done fast
        line[:] = bytes((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        return
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        up = previous[i]
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + (left + up) // 2) & 0xFF
        elif kind == 4:
            corner = previous[i - bpp] if i >= bpp else 0
            estimate = left + up - corner
            pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
            best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
            line[i] = (line[i] + best) & 0xFF
        else:
            raise ValueError(f"bad PNG filter {kind}")
