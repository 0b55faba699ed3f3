"""Reading one publ CSV export into typed rows, streaming, with every bad line accounted for.

The console sends UTF-8 with a BOM; a file re-saved by Korean Excel arrives as CP949. Both
are read; anything else is `file_invalid`. Values become what the tables store: prices as
integer won (`12,900원` → 12900), console times (naive Korea time) as aware UTC datetimes,
empty cells as None, anything else as stripped text. A row whose key, price or date cannot
be read, whose key repeats within the file, or that a cut-off download left half written is
skipped and reported with its line number (header = line 1; a quoted line break counts).

Everything here blocks: the importer runs it in a worker thread, one chunk at a time, so
that a million-row file never sits in memory and never stalls the event loop.
"""

from __future__ import annotations

import codecs
import csv
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import IO, Any

from sqlalchemy import BigInteger, Table

from sync.errors import ErrorKind, SyncError
from sync.exports import ExportFormat
from sync.i18n import t
from sync.models import Base, UTCDateTime
from sync.report import SkippedRow

# Korea has kept UTC+9 without daylight saving since 1988; a fixed offset is exact for
# every timestamp the console can show and far cheaper than a zone lookup per row.
KST_OFFSET = timedelta(hours=9)
SCAN_BLOCK = 1 << 20
FALLBACK_ENCODING = "cp949"
XLSX_MAGIC = b"PK\x03\x04"
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
DATE_LENGTHS = frozenset({10, 16, 19})  # 2024-12-27 / 2024-12-27 15:30 / 2024-12-27 15:30:45
SHOWN_VALUE_CHARS = 40
# Excel shows long numbers as `2.02412E+13` and saves them that way: the digits are gone.
EXCEL_EXPONENT = re.compile(r"\d(\.\d+)?E\+\d+")


class ValueKind(Enum):
    TEXT = "text"
    PRICE = "price"
    DATE = "date"


@dataclass
class ParsedChunk:
    """Rows ready to store, as tuples in `ExportReader.columns` order plus `extra` last,
    and the lines skipped."""

    rows: list[tuple[Any, ...]] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)


def parse_won(text: str) -> int | None:
    """`1,000원` → 1000, `500` → 500, `₩12,900` → 12900; None when it is not an amount."""
    digits = text.replace(",", "").replace("원", "").replace("₩", "").strip()
    unsigned = digits[1:] if digits[:1] == "-" else digits
    if not unsigned.isascii() or not unsigned.isdigit():
        return None
    return int(digits)


def parse_kst(text: str) -> datetime | None:
    """A console time (`2024-12-27 15:30:45`, `… 15:30`, or a bare date), which is naive
    Korea time, as an aware UTC datetime; None when it is not one of those."""
    moment = kst_to_naive_utc(text)
    return None if moment is None else moment.replace(tzinfo=UTC)


def kst_to_naive_utc(text: str) -> datetime | None:
    """`parse_kst` without the zone attached: attaching one costs more than the parsing,
    and the database stores naive UTC anyway."""
    if len(text) not in DATE_LENGTHS or text[4:5] != "-":
        return None
    try:
        local = datetime.fromisoformat(text)
    except ValueError:
        return None
    if local.tzinfo is not None:
        return None
    return local - KST_OFFSET


def value_kinds(table: Table, columns: list[str]) -> list[ValueKind]:
    """How each database column's text is read, from the column's type in `sync.models`."""
    kinds = []
    for name in columns:
        column_type = table.c[name].type
        if isinstance(column_type, UTCDateTime):
            kinds.append(ValueKind.DATE)
        elif isinstance(column_type, BigInteger):
            kinds.append(ValueKind.PRICE)
        else:
            kinds.append(ValueKind.TEXT)
    return kinds


class ExportReader:
    """One export file, opened and checked; `chunks()` then yields its rows.

    Opening raises `SyncError(file_invalid)` for an empty file, an unreadable encoding, a
    missing header or a missing required column; after that, problems only skip rows.
    """

    def __init__(self, path: Path, fmt: ExportFormat, lang: str, *,
                 encode_time: Callable[[datetime], Any] | None = None,
                 encode_extra: Callable[[dict[str, str]], Any] | None = None) -> None:
        self.path = path
        # How times and the `extra` dict leave the reader; the importer passes the
        # database's own encodings so that rows need no second pass. `encode_time` gets a
        # naive UTC datetime; without one, rows carry aware UTC datetimes.
        self.encode_time = encode_time or _aware_utc
        self.encode_extra = encode_extra or _unchanged
        self.fmt = fmt
        self.lang = lang
        self.table: Table = Base.metadata.tables[fmt.sync_type.value]
        self.columns: list[str] = list(fmt.columns.values())
        self.key_column = fmt.columns[fmt.key_header]
        self.extra_headers: list[str] = []
        self.encoding = ""
        self._stream: IO[str] | None = None
        self._reader: Any = None
        self._ends_cleanly = True
        self._field_count = 0

    # --- opening ------------------------------------------------------------------------

    def open(self) -> ExportReader:
        """Detect the encoding, read the header, check the columns."""
        self.encoding, cut_bytes = self._detect_encoding()
        # A download cut inside a multi-byte character leaves an undecodable tail; the
        # whole file was validated above, so ignoring errors can only drop that tail.
        errors = "ignore" if cut_bytes else "strict"
        self._stream = self.path.open(encoding=self.encoding, errors=errors, newline="")
        self._ends_cleanly = not cut_bytes and self._last_byte() in (b"\n", b"\r")
        self._reader = csv.reader(self._stream, strict=True)
        try:
            header: list[str] = next(self._reader, [])
        except (csv.Error, UnicodeDecodeError) as error:
            self.close()
            raise self._invalid("imports.error.unreadable", reason=str(error)) from error
        self._check_header([cell.strip().lstrip("\ufeff") for cell in header])
        return self

    def _detect_encoding(self) -> tuple[str, int]:
        """The file's encoding and how many bytes at its very end are a cut-off character."""
        size = self.path.stat().st_size
        with self.path.open("rb") as handle:
            head = handle.read(4)
        if size == 0 or head == codecs.BOM_UTF8 and size == len(codecs.BOM_UTF8):
            raise self._invalid("imports.error.empty_file")
        if head.startswith(XLSX_MAGIC):
            raise self._invalid("imports.error.xlsx")
        if head.startswith(UTF16_BOMS):
            raise self._invalid("imports.error.encoding")
        candidates = ["utf-8-sig"] if head.startswith(codecs.BOM_UTF8) else [
            "utf-8", FALLBACK_ENCODING]
        for encoding in candidates:
            cut_bytes = self._scan(encoding)
            if cut_bytes is not None:
                return encoding, cut_bytes
        raise self._invalid("imports.error.encoding")

    def _scan(self, encoding: str) -> int | None:
        """Decode the whole file: None when it is not in `encoding`, else the number of
        trailing bytes that only a cut-off download explains (0 for a whole file)."""
        decoder = codecs.getincrementaldecoder(encoding)()
        with self.path.open("rb") as handle:
            try:
                while block := handle.read(SCAN_BLOCK):
                    decoder.decode(block)
            except UnicodeDecodeError:
                return None
        pending, _flags = decoder.getstate()
        return len(pending)

    def _last_byte(self) -> bytes:
        with self.path.open("rb") as handle:
            handle.seek(-1, 2)
            return handle.read(1)

    def _check_header(self, header: list[str]) -> None:
        named = [name for name in header if name]
        if not named:
            self.close()
            raise self._invalid("imports.error.no_header")
        repeated = sorted({name for name in named if named.count(name) > 1})
        if repeated:
            self.close()
            raise self._invalid("imports.error.duplicate_headers", columns=", ".join(repeated))
        missing = [name for name in self.fmt.columns if name not in header]
        if missing:
            self.close()
            raise self._invalid("imports.error.missing_columns", missing=", ".join(missing),
                                found=", ".join(named))
        known = set(self.fmt.columns) | set(self.fmt.ignored)
        self.extra_headers = [name for name in named if name not in known]
        self._field_count = len(header)
        self._picks = operator.itemgetter(*(header.index(name) for name in self.fmt.columns))
        self._extra_at = [(name, header.index(name)) for name in self.extra_headers]

    def _invalid(self, key: str, **fields: object) -> SyncError:
        type_name = t(f"type.{self.fmt.sync_type.value}", self.lang)
        message = t(key, self.lang, type=type_name, file=self.path.name, **fields)
        return SyncError(ErrorKind.FILE_INVALID, message, f"{self.path.name}: {key} {fields}")

    # --- reading ------------------------------------------------------------------------

    def chunks(self, size: int) -> Iterator[ParsedChunk]:
        """The file's rows, `size` at a time, each chunk with the lines it skipped.

        One record is held back so that the last one can be recognised: in a cut-off
        download only the last record is broken."""
        convert = self._row_converter()
        key_at = self.columns.index(self.key_column)
        # Every key so far, to catch repeats. A million order numbers as text would take
        # ~100 MB; plain digit strings are kept as ints (half the size, still exact: a
        # canonical number string and its int map one to one; leading zeros stay text).
        seen: set[str | int] = set()
        chunk = ParsedChunk()

        def accept(line: int, record: list[str] | csv.Error, is_last: bool) -> None:
            """File one record into the current chunk: as a row, or as a skipped line."""
            if isinstance(record, csv.Error):
                chunk.skipped.append(SkippedRow(line, self._reason_for_error(record, is_last)))
                return
            if not record:
                return  # an empty line carries nothing
            if is_last and not self._ends_cleanly:
                # Every export ends its last line with a line break; without one, even a
                # row that parses may have lost characters (`15:30:45` cut to `15:30`).
                chunk.skipped.append(SkippedRow(line, t("imports.skip.cut_off", self.lang)))
                return
            row = convert(record)
            if isinstance(row, str):
                if any(record):  # a line of empty cells (Excel leaves these) carries nothing
                    chunk.skipped.append(SkippedRow(line, row))
                return
            key = row[key_at]
            compact = int(key) if key.isdigit() and key.isascii() and key[0] != "0" else key
            if compact in seen:
                chunk.skipped.append(SkippedRow(line, t(
                    "imports.skip.duplicate_key", self.lang, column=self.fmt.key_header,
                    value=key)))
                return
            seen.add(compact)
            chunk.rows.append(row)

        reader = self._reader
        line = reader.line_num + 1
        held: list[str] | csv.Error | None = None
        held_line = line
        while True:
            try:
                record: list[str] | csv.Error = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                record = error
            if held is not None:
                accept(held_line, held, False)
                if len(chunk.rows) >= size:
                    yield chunk
                    chunk = ParsedChunk()
            held, held_line = record, line
            line = reader.line_num + 1
        if held is not None:
            accept(held_line, held, True)
        if chunk.rows or chunk.skipped:
            yield chunk

    def _reason_for_error(self, error: csv.Error, is_last: bool) -> str:
        if is_last and ("unexpected end of data" in str(error) or not self._ends_cleanly):
            return t("imports.skip.cut_off", self.lang)
        return t("imports.skip.malformed", self.lang, reason=str(error))

    def _row_converter(self) -> Callable[[list[str]], tuple[Any, ...] | str]:
        """A function turning one CSV record into a row tuple, or the reason (a `str`)
        it has to be skipped. This runs once per row of a million-row file, so the common
        case is kept inline and cheap."""
        lang = self.lang
        field_count = self._field_count
        picks = self._picks
        extra_at = self._extra_at
        kinds = value_kinds(self.table, self.columns)
        headers = list(self.fmt.columns)
        price_at = [(i, headers[i]) for i, kind in enumerate(kinds) if kind is ValueKind.PRICE]
        date_at = [(i, headers[i]) for i, kind in enumerate(kinds) if kind is ValueKind.DATE]
        key_at = self.columns.index(self.key_column)
        key_header = self.fmt.key_header
        encode_time = self.encode_time
        encode_extra = self.encode_extra

        def convert(record: list[str]) -> tuple[Any, ...] | str:
            if len(record) != field_count and (
                    len(record) < field_count or any(record[field_count:])):
                return t("imports.skip.field_count", lang, expected=field_count,
                         actual=len(record))
            values: list[Any] = list(map(str.strip, picks(record)))
            if "" in values:  # rare in orders, so the cheap test comes first
                values = [value or None for value in values]
            key = values[key_at]
            if key is None:
                return t("imports.skip.empty_key", lang, column=key_header)
            if "E+" in key and EXCEL_EXPONENT.fullmatch(key):
                return t("imports.skip.excel_exponent", lang, column=key_header, value=key)
            for position, header in price_at:
                text = values[position]
                if text is None:
                    continue
                digits = text.replace(",", "").removesuffix("원")
                amount = int(digits) if digits.isdigit() and digits.isascii() \
                    else parse_won(text)
                if amount is None:
                    return t("imports.skip.bad_price", lang, column=header,
                             value=text[:SHOWN_VALUE_CHARS])
                values[position] = amount
            for position, header in date_at:
                text = values[position]
                if text is None:
                    continue
                moment = kst_to_naive_utc(text)
                if moment is None:
                    return t("imports.skip.bad_date", lang, column=header,
                             value=text[:SHOWN_VALUE_CHARS])
                values[position] = encode_time(moment)
            if extra_at:
                extra = {name: record[index].strip() for name, index in extra_at
                         if index < len(record) and record[index].strip()}
                values.append(encode_extra(extra) if extra else None)
            else:
                values.append(None)
            return tuple(values)

        return convert

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def __enter__(self) -> ExportReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_export(path: Path, fmt: ExportFormat, lang: str, **encoders: Any) -> ExportReader:
    """Open and check an export (blocking: call it in a worker thread); `encoders` are
    `ExportReader`'s `encode_time` / `encode_extra`."""
    return ExportReader(path, fmt, lang, **encoders).open()


def _unchanged(value: Any) -> Any:
    return value


def _aware_utc(naive_utc: datetime) -> datetime:
    return naive_utc.replace(tzinfo=UTC)
