"""Export files made of several console pages: reading their keys and merging them.

Plain CPU work on files; callers run it off the event loop (`asyncio.to_thread`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sync.exports import ExportFormat
from sync.storage import write_private

ENCODINGS = ("utf-8-sig", "cp949")


class MissingKeyColumn(ValueError):
    """The export has no key column (its format changed)."""


def read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV export (UTF-8 with BOM, or Korean Excel's CP949)."""
    raw = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = raw.decode("utf-8", errors="replace")
    records = [row for row in csv.reader(io.StringIO(text, newline="")) if any(row)]
    if not records:
        return [], []
    return [h.strip() for h in records[0]], records[1:]


def has_headers(path: Path, fmt: ExportFormat) -> bool:
    """Whether the file's header row holds every column of `fmt` (a file that a fallback
    locator's button produced must prove it is that export)."""
    header, _ = read_table(path)
    return set(fmt.headers) <= set(header)


def keys(path: Path, key_header: str) -> list[str]:
    """The key (e.g. `Order Number`) of every row, in file order."""
    header, rows = read_table(path)
    if not header:
        return []
    if key_header not in header:
        raise MissingKeyColumn(key_header)
    index = header.index(key_header)
    return [row[index].strip() for row in rows if len(row) > index and row[index].strip()]


def merge(parts: list[Path], target: Path, fmt: ExportFormat) -> int:
    """Merge pages (newest first) into one export at `target`; returns the row count.

    A row whose key appears on two pages keeps the newer page's version (the console
    shifts rows between pages while new orders arrive). The orders' `Number` column is
    only a position, so it is numbered afresh.
    """
    header: list[str] = []
    merged: dict[str, list[str]] = {}
    for part in parts:
        part_header, rows = read_table(part)
        if not part_header:
            continue
        if fmt.key_header not in part_header:
            raise MissingKeyColumn(fmt.key_header)
        if not header:
            header = part_header
        positions = [part_header.index(h) if h in part_header else None for h in header]
        key_at = part_header.index(fmt.key_header)
        for row in rows:
            key = row[key_at].strip() if len(row) > key_at else ""
            if not key or key in merged:
                continue
            merged[key] = [row[i] if i is not None and i < len(row) else "" for i in positions]
    number_at = [i for i, h in enumerate(header) if h in fmt.ignored]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for position, row in enumerate(merged.values(), start=1):
        for index in number_at:
            row[index] = str(position)
        writer.writerow(row)
    write_private(target, buffer.getvalue().encode("utf-8-sig"))
    return len(merged)
