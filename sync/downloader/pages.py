"""Export files made of several console pages: reading their keys and merging them.

A page is read exactly as an import reads a file (`sync.csvread`): the same encodings,
the same checks, the same records. A page the importer would reject (broken characters, a
line the csv module cannot parse, a cut-off end) rejects the merge, naming the page and the
line, instead of being decoded leniently into a clean-looking merged file whose damage the
importer could no longer see. Odd values (a price that is no amount, a short line, an empty
key) pass through unchanged, for the importer to skip that one row and say why.

Plain CPU work on files; callers run it off the event loop (`asyncio.to_thread`). The reader
is imported where it is used: it loads the database models, which `publ-sync run` need not
wait for before Chromium starts (start-up time).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sync.errors import SyncError
from sync.exports import ExportFormat
from sync.i18n import t
from sync.storage import write_private

if TYPE_CHECKING:
    from sync.csvread import ExportReader


class MissingKeyColumn(ValueError):
    """The export has no key column (its format changed)."""


def has_headers(path: Path, fmt: ExportFormat, lang: str) -> bool:
    """Whether the file's header row holds every column of `fmt` (a file that a fallback
    locator's button produced must prove it is that export; one that cannot even be read
    as a CSV export proves nothing)."""
    from sync.csvread import ExportReader  # see the module's note on start-up time

    reader = ExportReader(path, fmt, lang)
    try:
        reader.open()
    except SyncError:
        pass
    finally:
        reader.close()
    return set(fmt.headers) <= set(reader.header_cells or [])


def keys(path: Path, fmt: ExportFormat, lang: str, page: int = 1) -> list[str]:
    """The key (e.g. `Order Number`) of every row of page `page`, in file order."""
    header, records = _read_page(path, fmt, lang, page)
    key_at = header.index(fmt.key_header)
    return [key for record in records
            if len(record) > key_at and (key := record[key_at].strip())]


def merge(parts: list[Path], target: Path, fmt: ExportFormat, lang: str) -> int:
    """Merge pages (newest first) into one export at `target`; returns the row count.

    A row whose key appears on two pages keeps the newer page's version (the console
    shifts rows between pages while new orders arrive). The orders' `Number` column is
    only a position, so it is numbered afresh. Every page is read before anything is
    written, so a damaged page leaves no merged file.
    """
    header: list[str] = []
    merged: dict[str | tuple[int, int], list[str]] = {}
    for page, part in enumerate(parts, start=1):
        page_header, records = _read_page(part, fmt, lang, page)
        header = header or page_header
        positions = None if page_header == header else [
            page_header.index(h) if h in page_header else None for h in header]
        key_at = page_header.index(fmt.key_header)
        for index, record in enumerate(records):
            key = record[key_at].strip() if len(record) > key_at else ""
            if key in merged:
                continue
            if positions is not None and len(record) == len(page_header):
                record = [record[i] if i is not None else "" for i in positions]
            # A row without a key is kept (under its place) for the importer to report.
            merged[key or (page, index)] = record
    number_at = [i for i, h in enumerate(header) if h in fmt.ignored]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for position, row in enumerate(merged.values(), start=1):
        for index in number_at:
            if index < len(row):
                row[index] = str(position)
        writer.writerow(row)
    write_private(target, buffer.getvalue().encode("utf-8-sig"))
    return len(merged)


def _read_page(path: Path, fmt: ExportFormat, lang: str,
               page: int) -> tuple[list[str], list[list[str]]]:
    """A page's header and its records (lines of empty cells left out), read by the
    import's own reader; raises `MissingKeyColumn`, or `SyncError` file_invalid naming the
    page and, for a damaged line, the line."""
    shown = t("download.page_file", lang, page=t(f"download.page.{fmt.sync_type.value}", lang),
              number=page)
    from sync.csvread import ExportReader  # see the module's note on start-up time

    reader = ExportReader(path, fmt, lang, shown_name=shown)
    try:
        reader.open()
    except SyncError:
        if reader.header_cells is not None and fmt.key_header not in reader.header_cells:
            raise MissingKeyColumn(fmt.key_header) from None
        raise
    with reader:
        return reader.header_cells or [], list(_records(reader))


def _records(reader: ExportReader) -> Iterator[list[str]]:
    for line, record, is_last in reader.records():
        why = reader.broken_record(record, is_last)
        if why is not None:
            raise reader.invalid("imports.error.damaged_line", line=line, reason=why.reason)
        if isinstance(record, list) and any(record):
            yield record
