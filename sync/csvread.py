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

from sqlalchemy import BigInteger, String, Table

from sync.errors import ErrorKind, SyncError
from sync.exports import FORMATS, ExportFormat
from sync.filenames import printable
from sync.i18n import t
from sync.models import Base, UTCDateTime
from sync.report import SkippedRow

# Korea has kept UTC+9 without daylight saving since 1988; a fixed offset is exact for
# every timestamp the console can show and far cheaper than a zone lookup per row.
KST_OFFSET = timedelta(hours=9)
SCAN_BLOCK = 1 << 20
FALLBACK_ENCODING = "cp949"
# A file that is not valid UTF-8 is still taken for (damaged) UTF-8 when it holds at least
# this many valid non-ASCII characters per broken one.
UTF8_MAJORITY = 10
XLSX_MAGIC = b"PK\x03\x04"
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
DATE_LENGTHS = frozenset({10, 16, 19})  # 2024-12-27 / 2024-12-27 15:30 / 2024-12-27 15:30:45
SHOWN_VALUE_CHARS = 40
# Excel shows long numbers as `2.02412E+13` and saves them that way: the digits are gone.
EXCEL_EXPONENT = re.compile(r"\d(\.\d+)?E\+\d+")
# SQLAlchemy's text format for a naive datetime on SQLite: `2024-12-27 06:30:45.000000`.
SQLITE_TIME_TEXT = operator.methodcaller("isoformat", " ", "microseconds")
# What a BIGINT column holds; a price beyond it would fail the whole import's INSERT.
PRICE_LIMIT = 2**63 - 1
# Longer digit strings are never read as numbers (Python refuses beyond 4,300 digits, and
# anything past 19 is beyond PRICE_LIMIT anyway).
MAX_PRICE_DIGITS = 19
# A key kept as an int in memory: short enough to convert cheaply.
MAX_INT_KEY_DIGITS = 18
NUL = "\x00"
VALUE_LIKE = re.compile(r"[0-9@원]")


class Skip:
    """Why a record is skipped: a code to group by (`bad_price`, …) and the sentence."""

    __slots__ = ("code", "reason")

    def __init__(self, code: str, reason: str) -> None:
        self.code = code
        self.reason = reason


def skip_reason(key: str, lang: str, **fields: object) -> Skip:
    """The `imports.skip.<code>` sentence, with its code."""
    return Skip(key.rsplit(".", 1)[-1], t(key, lang, **fields))


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
    amount = int(digits) if len(unsigned) <= MAX_PRICE_DIGITS else None
    return amount if amount is not None and -PRICE_LIMIT <= amount <= PRICE_LIMIT else None


def price_too_large(text: str) -> bool:
    """Whether `text` is an amount, only too large to store (the reason says so)."""
    digits = text.replace(",", "").replace("원", "").replace("₩", "").strip().lstrip("-")
    return digits.isascii() and digits.isdigit()


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
    try:
        return local - KST_OFFSET
    except OverflowError:  # before 0001-01-01 09:00 in Korea: no such UTC time
        return None


def looks_like_header(cells: list[str]) -> bool:
    """Whether a first line clearly is a header: at least half its cells are column names
    some export uses, and none looks like a value (digits, `@`, `원`, a date)."""
    known = {name for fmt in FORMATS.values() for name in fmt.headers}
    if 2 * sum(cell in known for cell in cells) < len(cells):
        return False
    return not any(VALUE_LIKE.search(cell) or kst_to_naive_utc(cell) for cell in cells)


def length_limits(table: Table, columns: list[str]) -> list[tuple[int, int]]:
    """(position, longest value) of each column with a length. PostgreSQL refuses a longer
    value for the whole statement; SQLite would take it: both skip its row instead."""
    limits = []
    for position, name in enumerate(columns):
        column_type = table.c[name].type
        if isinstance(column_type, String) and column_type.length:
            limits.append((position, column_type.length))
    return limits


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
                 encode_extra: Callable[[dict[str, str]], Any] | None = None,
                 shown_name: str | None = None) -> None:
        self.path = path
        # How messages name the file: its own name, or what it is (an orders page, say).
        self.shown_name = shown_name
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
        # The first line's cells once read, even when they fail the checks (None before).
        self.header_cells: list[str] | None = None
        self.encoding = ""
        self._stream: IO[str] | None = None
        self._reader: Any = None
        self._ends_cleanly = True
        self._field_count = 0
        # Whether any NUL byte is in the file at all (noted while its encoding is checked):
        # nearly every file has none, and then no cell needs looking at for one.
        self._has_nul = False

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
        self.header_cells = [cell.strip().lstrip("\ufeff") for cell in header]
        self._check_header(self.header_cells)
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
        bom = head.startswith(codecs.BOM_UTF8)
        bad_at, cut_bytes = self._scan("utf-8", skip=len(codecs.BOM_UTF8) if bom else 0)
        if bad_at is None:
            return ("utf-8-sig" if bom else "utf-8"), cut_bytes
        # A UTF-8 file with a damaged byte must not pass for CP949: it would decode, and
        # every Korean text in it would be stored garbled.
        if bom or self._mostly_utf8():
            raise self._invalid("imports.error.damaged", line=self._line_at(bad_at))
        bad_at, cut_bytes = self._scan(FALLBACK_ENCODING)
        if bad_at is None:
            return FALLBACK_ENCODING, cut_bytes
        raise self._invalid("imports.error.encoding")

    def _scan(self, encoding: str, skip: int = 0) -> tuple[int | None, int]:
        """Decode the whole file from byte `skip`: (the offset of the first byte that is not
        `encoding`, or None; the number of trailing bytes that only a cut-off download
        explains, 0 for a whole file)."""
        decoder = codecs.getincrementaldecoder(encoding)()
        fed = skip
        with self.path.open("rb") as handle:
            handle.seek(skip)
            while block := handle.read(SCAN_BLOCK):
                self._has_nul = self._has_nul or b"\x00" in block
                held = len(decoder.getstate()[0])  # decoded together with `block`
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as error:
                    return fed - held + error.start, 0
                fed += len(block)
        pending, _flags = decoder.getstate()
        return None, len(pending)

    def _mostly_utf8(self) -> bool:
        """Whether a file that failed to decode as UTF-8 is still UTF-8 nearly everywhere
        (a damaged file), rather than another encoding: Korean text in CP949 yields almost
        no valid UTF-8 characters beyond ASCII."""
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        valid = broken = 0
        with self.path.open("rb") as handle:
            while block := handle.read(SCAN_BLOCK):
                text = decoder.decode(block)
                damaged = text.count("\ufffd")
                broken += damaged
                valid += len(text) - len(text.encode("ascii", "ignore")) - damaged
        return valid >= UTF8_MAJORITY * broken

    def _line_at(self, offset: int) -> int:
        """The line (header = 1) holding byte `offset`; a quoted line break counts."""
        lines = 1
        with self.path.open("rb") as handle:
            while offset > 0 and (block := handle.read(min(SCAN_BLOCK, offset))):
                lines += block.count(b"\n")
                offset -= len(block)
        return lines

    def _last_byte(self) -> bytes:
        with self.path.open("rb") as handle:
            handle.seek(-1, 2)
            return handle.read(1)

    def _check_header(self, header: list[str]) -> None:
        named = [name for name in header if name]
        if not named:
            self.close()
            raise self._invalid("imports.error.no_header")
        # The first line's cells are named in a message only when they are column names:
        # a file without its header starts with a member's data.
        shown = looks_like_header(named)
        repeated = sorted({name for name in named if named.count(name) > 1})
        if repeated:
            self.close()
            if not shown:
                raise self._not_header()
            raise self._invalid("imports.error.duplicate_headers", columns=", ".join(repeated))
        missing = [name for name in self.fmt.columns if name not in header]
        if missing:
            self.close()
            if not shown:
                raise self._not_header()
            raise self._invalid("imports.error.missing_columns", missing=", ".join(missing),
                                found=", ".join(named))
        known = set(self.fmt.columns) | set(self.fmt.ignored)
        self.extra_headers = [name for name in named if name not in known]
        self._field_count = len(header)
        self._header = header
        self._picks = operator.itemgetter(*(header.index(name) for name in self.fmt.columns))
        self._extra_at = [(name, header.index(name)) for name in self.extra_headers]

    def _not_header(self) -> SyncError:
        return self._invalid("imports.error.not_header", expected=", ".join(self.fmt.headers))

    def invalid(self, key: str, **fields: object) -> SyncError:
        """The file_invalid error `key` (an `imports.error.*` text) about this file."""
        return self._invalid(key, **fields)

    def _invalid(self, key: str, **fields: object) -> SyncError:
        type_name = t(f"type.{self.fmt.sync_type.value}", self.lang)
        shown = self.shown_name or printable(self.path.name)
        message = t(key, self.lang, type=type_name, file=shown, **fields)
        # The detail names the check, not the cells: those are in the message when safe.
        return SyncError(ErrorKind.FILE_INVALID, message, f"{shown}: {key}")

    # --- reading ------------------------------------------------------------------------

    def records(self) -> Iterator[tuple[int, list[str] | csv.Error, bool]]:
        """Every record after the header as the csv module reads it (a `csv.Error` where it
        cannot), with the line it starts on and whether it is the file's last (in a
        cut-off download only the last record is broken). Merging pages and importing
        both read a file through here, so both see the same records."""
        reader = self._reader
        held: tuple[int, list[str] | csv.Error] | None = None
        while True:
            line = reader.line_num + 1
            try:
                record: list[str] | csv.Error = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                record = error
            if held is not None:
                yield held[0], held[1], False
            held = (line, record)
        if held is not None:
            yield held[0], held[1], True

    def broken_record(self, record: list[str] | csv.Error, is_last: bool) -> Skip | None:
        """Why a record cannot be read at all (unparseable, or cut off), or None."""
        if isinstance(record, csv.Error):
            return self._reason_for_error(record, is_last)
        if is_last and record and not self._ends_cleanly:
            # Every export ends its last line with a line break; without one, even a
            # row that parses may have lost characters (`15:30:45` cut to `15:30`).
            return skip_reason("imports.skip.cut_off", self.lang)
        return None

    def chunks(self, size: int) -> Iterator[ParsedChunk]:
        """The file's rows, `size` at a time, each chunk with the lines it skipped, read
        record by record so that every skipped line gets its exact reason."""
        convert = self._row_converter()
        key_at = self.columns.index(self.key_column)
        # Every key so far, to catch repeats. A million order numbers as text would take
        # ~100 MB; plain digit strings are kept as ints (half the size, still exact: a
        # canonical number string and its int map one to one; leading zeros stay text).
        seen: set[str | int] = set()
        chunk = ParsedChunk()
        for line, record, is_last in self.records():
            why = self.broken_record(record, is_last)
            if why is not None:
                chunk.skipped.append(SkippedRow(line, why.reason, why.code))
            elif not isinstance(record, csv.Error) and record:  # an empty line carries nothing
                row = convert(record)
                if isinstance(row, Skip):
                    if any(record):  # a line of empty cells (Excel leaves these) carries nothing
                        chunk.skipped.append(SkippedRow(line, row.reason, row.code))
                elif (key := _compact_key(row[key_at])) in seen:
                    why = skip_reason("imports.skip.duplicate_key", self.lang,
                                      column=self.fmt.key_header, value=row[key_at])
                    chunk.skipped.append(SkippedRow(line, why.reason, why.code))
                else:
                    seen.add(key)
                    chunk.rows.append(row)
                    if len(chunk.rows) >= size:
                        yield chunk
                        chunk = ParsedChunk()
        if chunk.rows or chunk.skipped:
            yield chunk

    def _reason_for_error(self, error: csv.Error, is_last: bool) -> Skip:
        if is_last and ("unexpected end of data" in str(error) or not self._ends_cleanly):
            return skip_reason("imports.skip.cut_off", self.lang)
        return skip_reason("imports.skip.malformed", self.lang, reason=str(error))

    def _extra_of(self, record: list[str]) -> Any:
        """The record's values under unknown headers, encoded; None when it has none."""
        extra = {name: record[index].strip() for name, index in self._extra_at
                 if index < len(record) and record[index].strip()}
        return self.encode_extra(extra) if extra else None

    def _row_converter(self) -> Callable[[list[str]], tuple[Any, ...] | Skip]:
        """A function turning one CSV record into a row tuple, or the reason (a `Skip`) it
        has to be skipped."""
        lang = self.lang
        field_count = self._field_count
        picks = self._picks
        extra_at = self._extra_at
        kinds = value_kinds(self.table, self.columns)
        limits = length_limits(self.table, self.columns)
        headers = list(self.fmt.columns)
        file_header = self._header
        has_nul = self._has_nul
        # Typed columns: where, what the file calls it, how it is read, why a row is skipped
        # (prices first, then dates: the first bad value is the one reported).
        typed: list[tuple[int, str, Callable[[str], Any], str]] = [
            (i, headers[i], reader, reason)
            for wanted, reader, reason in ((ValueKind.PRICE, parse_won, "imports.skip.bad_price"),
                                           (ValueKind.DATE, self._time, "imports.skip.bad_date"))
            for i, kind in enumerate(kinds) if kind is wanted]
        key_at = self.columns.index(self.key_column)
        key_header = self.fmt.key_header

        def convert(record: list[str]) -> tuple[Any, ...] | Skip:
            if len(record) != field_count and (
                    len(record) < field_count or any(record[field_count:])):
                return skip_reason("imports.skip.field_count", lang, expected=field_count,
                                   actual=len(record))
            if has_nul and any(NUL in value for value in record):
                # PostgreSQL cannot store it in text (nor in JSON); SQLite could: neither does.
                at = next(i for i, value in enumerate(record) if NUL in value)
                column = file_header[at] if at < len(file_header) else str(at + 1)
                return skip_reason("imports.skip.nul_byte", lang, column=column)
            values: list[Any] = [value or None for value in map(str.strip, picks(record))]
            key = values[key_at]
            if key is None:
                return skip_reason("imports.skip.empty_key", lang, column=key_header)
            for position, limit in limits:
                text = values[position]
                if text is not None and len(text) > limit:
                    return skip_reason("imports.skip.too_long", lang, column=headers[position],
                                       limit=limit, length=len(text))
            if "E+" in key and EXCEL_EXPONENT.fullmatch(key):
                return skip_reason("imports.skip.excel_exponent", lang, column=key_header,
                                   value=key)
            for position, header, reader, reason in typed:
                text = values[position]
                if text is not None:
                    values[position] = value = reader(text)
                    if value is None:
                        if reason == "imports.skip.bad_price" and price_too_large(text):
                            return skip_reason("imports.skip.price_too_large", lang,
                                               column=header, digits=len(text))
                        return skip_reason(reason, lang, column=header,
                                           value=text[:SHOWN_VALUE_CHARS])
            values.append(self._extra_of(record) if extra_at else None)
            return tuple(values)

        return convert

    def _time(self, text: str) -> Any:
        """A console time as the rows carry it (`encode_time`); None when it is not one."""
        moment = kst_to_naive_utc(text)
        return None if moment is None else self.encode_time(moment)

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def __enter__(self) -> ExportReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _compact_key(key: str) -> str | int:
    """How a key is remembered: a canonical digit string as its int (half the memory)."""
    return int(key) if (key.isdigit() and key.isascii() and key[0] != "0"
                        and len(key) <= MAX_INT_KEY_DIGITS) else key


def open_export(path: Path, fmt: ExportFormat, lang: str, **options: Any) -> ExportReader:
    """Open and check an export (blocking: call it in a worker thread); `options` are
    `ExportReader`'s `encode_time` / `encode_extra` / `shown_name`."""
    return ExportReader(path, fmt, lang, **options).open()


def _unchanged(value: Any) -> Any:
    return value


def _aware_utc(naive_utc: datetime) -> datetime:
    return naive_utc.replace(tzinfo=UTC)
