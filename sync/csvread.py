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
from itertools import islice, repeat
from pathlib import Path
from typing import IO, Any, cast

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
# What follows the hour in a console time (`:30:45`, `:30`), and what completes it as text.
TIME_RESTS = frozenset([f":{m:02d}:{s:02d}" for m in range(60) for s in range(60)]
                       + [f":{m:02d}" for m in range(60)])
TEXT_TIME_TAILS = {19: ".000000", 16: ":00.000000"}
REMEMBERED_PRICES = 10_000
# What a BIGINT column holds; a price beyond it would fail the whole import's INSERT.
PRICE_LIMIT = 2**63 - 1
# Longer digit strings are never read as numbers (Python refuses beyond 4,300 digits, and
# anything past 19 is beyond PRICE_LIMIT anyway).
MAX_PRICE_DIGITS = 19
# A key kept as an int in memory: short enough to convert cheaply.
MAX_INT_KEY_DIGITS = 18
NUL = "\x00"
VALUE_LIKE = re.compile(r"[0-9@원]")
# Records converted together. Small enough that a batch is gone before the garbage
# collector's next pass: records kept longer get scanned again and again by it.
BATCH_RECORDS = 200


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

    def _invalid(self, key: str, **fields: object) -> SyncError:
        type_name = t(f"type.{self.fmt.sync_type.value}", self.lang)
        shown = printable(self.path.name)
        message = t(key, self.lang, type=type_name, file=shown, **fields)
        # The detail names the check, not the cells: those are in the message when safe.
        return SyncError(ErrorKind.FILE_INVALID, message, f"{shown}: {key}")

    # --- reading ------------------------------------------------------------------------

    def chunks(self, size: int) -> Iterator[ParsedChunk]:
        """The file's rows, `size` at a time, each chunk with the lines it skipped.

        Records are read `BATCH_RECORDS` at a time (plus one held back, so that the file's
        last record is recognised: in a cut-off download only the last record is broken).
        A batch of well-formed records is converted a column at a time; a batch with any
        record to skip, and the last batch, go record by record, so that every skipped
        line gets its exact reason. Both ways give the same rows."""
        values = _ValueReaders(self.encode_time)
        convert = self._row_converter(values)
        convert_batch = self._batch_converter(values)
        key_at = self.columns.index(self.key_column)
        # Every key so far, to catch repeats. A million order numbers as text would take
        # ~100 MB; plain digit strings are kept as ints (half the size, still exact: a
        # canonical number string and its int map one to one; leading zeros stay text).
        seen: set[str | int] = set()

        def accept(chunk: ParsedChunk, line: int, record: list[str] | csv.Error,
                   is_last: bool) -> None:
            """File one record into `chunk`: as a row, or as a skipped line."""
            if isinstance(record, csv.Error):
                why = self._reason_for_error(record, is_last)
                chunk.skipped.append(SkippedRow(line, why.reason, why.code))
                return
            if not record:
                return  # an empty line carries nothing
            if is_last and not self._ends_cleanly:
                # Every export ends its last line with a line break; without one, even a
                # row that parses may have lost characters (`15:30:45` cut to `15:30`).
                why = skip_reason("imports.skip.cut_off", self.lang)
                chunk.skipped.append(SkippedRow(line, why.reason, why.code))
                return
            row = convert(record)
            if isinstance(row, Skip):
                if any(record):  # a line of empty cells (Excel leaves these) carries nothing
                    chunk.skipped.append(SkippedRow(line, row.reason, row.code))
                return
            key = _compact_key(row[key_at])
            if key in seen:
                why = skip_reason("imports.skip.duplicate_key", self.lang,
                                  column=self.fmt.key_header, value=row[key_at])
                chunk.skipped.append(SkippedRow(line, why.reason, why.code))
                return
            seen.add(key)
            chunk.rows.append(row)

        chunk = ParsedChunk()
        batch = _Batch()
        while True:
            wanted = min(BATCH_RECORDS, max(size - len(chunk.rows), 1))
            if self._read(batch, wanted + 1):  # the file ended: the last record is here
                last = len(batch.records) - 1
                for index, (line, record) in enumerate(zip(batch.lines, batch.records,
                                                           strict=True)):
                    accept(chunk, line, record, index == last)
                    if len(chunk.rows) >= size:
                        yield chunk
                        chunk = ParsedChunk()
                if chunk.rows or chunk.skipped:
                    yield chunk
                return
            held = batch.split_last()
            rows = None if batch.broken else convert_batch(
                cast(list[list[str]], batch.records), seen)
            if rows is not None:
                chunk.rows.extend(rows)
            else:
                for line, record in zip(batch.lines, batch.records, strict=True):
                    accept(chunk, line, record, False)
            if len(chunk.rows) >= size:
                yield chunk
                chunk = ParsedChunk()
            batch = held

    def _read(self, batch: _Batch, count: int) -> bool:
        """Read records into `batch` until it holds `count`; True when the file ended.

        Records are taken by `islice` at C speed; the line each starts on is worked out
        afterwards from the reader's line count, or, when some record spans several lines,
        from the line breaks inside its fields. On a csv.Error, `list.extend` has kept the
        records read before it (CPython appends as it iterates)."""
        reader = self._reader
        records, lines = batch.records, batch.lines
        while len(records) < count:
            first, line = len(records), reader.line_num + 1
            try:
                records.extend(islice(reader, count - first))
                error = None
            except csv.Error as caught:
                error = caught
            added = len(records) - first
            if error is None and reader.line_num - line + 1 == added:
                lines.extend(range(line, line + added))
            else:
                for record in islice(records, first, None):
                    lines.append(line)
                    line += _lines_spanned(record)  # type: ignore[arg-type]
            if error is not None:
                records.append(error)
                lines.append(line)
                batch.broken = True
            elif added < count - first:
                return True
        return False

    def _reason_for_error(self, error: csv.Error, is_last: bool) -> Skip:
        if is_last and ("unexpected end of data" in str(error) or not self._ends_cleanly):
            return skip_reason("imports.skip.cut_off", self.lang)
        return skip_reason("imports.skip.malformed", self.lang, reason=str(error))

    def _extra_of(self, record: list[str]) -> Any:
        """The record's values under unknown headers, encoded; None when it has none."""
        extra = {name: record[index].strip() for name, index in self._extra_at
                 if index < len(record) and record[index].strip()}
        return self.encode_extra(extra) if extra else None

    def _row_converter(self, read: _ValueReaders) -> Callable[[list[str]], tuple[Any, ...] | Skip]:
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
            for wanted, reader, reason in ((ValueKind.PRICE, read.price, "imports.skip.bad_price"),
                                           (ValueKind.DATE, read.time, "imports.skip.bad_date"))
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

    def _batch_converter(self, read: _ValueReaders) -> Callable[
            [list[list[str]], set[str | int]], list[tuple[Any, ...]] | None]:
        """A function turning a batch of records into rows a column at a time, adding
        their keys to `seen`; it returns None, and leaves `seen` alone, as soon as any
        record would be skipped. A million-row file runs through here, so the per-value
        work is done by C-level `map` and `zip` rather than by a Python loop per row."""
        field_count = self._field_count
        picks = self._picks
        kinds = value_kinds(self.table, self.columns)
        limits = dict(length_limits(self.table, self.columns))
        key_at = self.columns.index(self.key_column)
        has_nul = self._has_nul

        def convert_batch(records: list[list[str]],
                          seen: set[str | int]) -> list[tuple[Any, ...]] | None:
            if set(map(len, records)) != {field_count}:
                return None
            if has_nul and NUL in "".join(map("".join, records)):
                return None
            # Transposing whole records and then picking columns makes no tuple per record.
            columns: list[list[Any]] = [list(map(str.strip, column)) for column in
                                        picks(list(zip(*records, strict=True)))]
            for position, kind in enumerate(kinds):
                texts = columns[position]
                if "" in texts:
                    if position == key_at:
                        return None
                    texts = columns[position] = [text or None for text in texts]
                limit = limits.get(position)
                if limit is not None and max(map(len, filter(None, texts)), default=0) > limit:
                    return None
                if kind is ValueKind.TEXT:
                    continue
                values = read.prices(texts) if kind is ValueKind.PRICE else read.times(texts)
                if None in values and values.count(None) != texts.count(None):
                    return None  # an unreadable price or time
                columns[position] = values
            keys = columns[key_at]
            if "E+" in "\n".join(keys):
                return None
            fresh = set(_compact_keys(keys))
            if len(fresh) != len(keys) or not seen.isdisjoint(fresh):
                return None
            seen |= fresh
            extras = map(self._extra_of, records) if self._extra_at else repeat(None)
            return list(zip(*columns, extras, strict=False))  # `repeat` never ends

        return convert_batch

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def __enter__(self) -> ExportReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class _Batch:
    """Records read but not yet converted, each with the line it starts on."""

    def __init__(self) -> None:
        self.records: list[list[str] | csv.Error] = []
        self.lines: list[int] = []
        self.broken = False  # a record the csv module could not parse

    def split_last(self) -> _Batch:
        """Move the last record into a new batch, which is returned."""
        rest = _Batch()
        rest.records.append(self.records.pop())
        rest.lines.append(self.lines.pop())
        rest.broken = isinstance(rest.records[0], csv.Error)
        self.broken = self.broken and any(
            isinstance(record, csv.Error) for record in self.records)
        return rest


class _ValueReaders:
    """The price and time readers of one file, with what they remember between rows.

    A shop sells a handful of products, so each distinct price text is read once. On
    SQLite times are stored as text, and consecutive orders mostly share their hour: the
    converted hour is remembered, and a time within it needs only its minutes and seconds
    copied (they do not change from KST to UTC). Both give exactly what a full parse gives:
    a remembered hour was itself read in full, and the minutes and seconds are checked."""

    def __init__(self, encode_time: Callable[[datetime], Any]) -> None:
        self.encode_time = encode_time
        self._amounts: dict[str | None, int] = {}
        self._kst_hour = ""  # `2024-12-27 15` of the last time read in full …
        self._utc_hour = ""  # … and its UTC hour, `2024-12-27 06`
        self.as_text = encode_time is SQLITE_TIME_TEXT
        self.time: Callable[[str], Any] = self._time_as_text if self.as_text else self._time

    def price(self, text: str) -> int | None:
        """`12,900원` → 12900; None when it is not an amount."""
        amount = self._amounts.get(text)
        if amount is None:
            digits = text.replace(",", "").removesuffix("원")
            amount = int(digits) if (digits.isdigit() and digits.isascii()
                                     and len(digits) < MAX_PRICE_DIGITS) else parse_won(text)
            if amount is not None and len(self._amounts) < REMEMBERED_PRICES:
                self._amounts[text] = amount
        return amount

    def prices(self, texts: list[str | None]) -> list[int | None]:
        """`price` of each text; None stays None."""
        amounts = list(map(self._amounts.get, texts))
        if None in amounts:
            amounts = [self.price(text) if amount is None and text is not None else amount
                       for text, amount in zip(texts, amounts, strict=True)]
        return amounts

    def times(self, texts: list[str | None]) -> list[Any]:
        """`time` of each text; None stays None."""
        if None in texts:
            return [None if text is None else self.time(text) for text in texts]
        if self.as_text:
            whole = self._column_as_text(cast(list[str], texts))
            if whole is not None:
                return whole
        return list(map(self.time, cast(list[str], texts)))

    def _column_as_text(self, texts: list[str]) -> list[str] | None:
        """`_time_as_text` of a whole column at C speed: every time of one length, each
        hour converted once; None (read them one by one) when anything is unusual."""
        lengths = set(map(len, texts))
        tail = TEXT_TIME_TAILS.get(lengths.pop()) if len(lengths) == 1 else None
        if tail is None:
            return None
        rests = list(map(operator.itemgetter(slice(13, None)), texts))
        if not TIME_RESTS.issuperset(rests):
            return None
        hours = list(map(operator.itemgetter(slice(13)), texts))
        utc_hours: dict[str, str] = {}
        for hour in set(hours):
            moment = kst_to_naive_utc(hour + ":00")
            if moment is None:
                return None
            utc_hours[hour] = SQLITE_TIME_TEXT(moment)[:13]
        return list(map(operator.add, map(operator.add, map(utc_hours.__getitem__, hours),
                                          rests), repeat(tail)))

    def _time(self, text: str) -> Any:
        moment = kst_to_naive_utc(text)
        return None if moment is None else self.encode_time(moment)

    def _time_as_text(self, text: str) -> str | None:
        """`_time` when times are stored as SQLite text (`2024-12-27 06:30:45.000000`)."""
        rest = text[13:]
        tail = TEXT_TIME_TAILS.get(len(text))
        if tail is not None and text[:13] == self._kst_hour and rest in TIME_RESTS:
            return self._utc_hour + rest + tail
        moment = kst_to_naive_utc(text)
        if moment is None:
            return None
        encoded: str = SQLITE_TIME_TEXT(moment)
        if tail is not None:
            self._kst_hour, self._utc_hour = text[:13], encoded[:13]
        return encoded



def _lines_spanned(record: list[str]) -> int:
    """How many lines of the file a record took: one, plus each line break inside a
    quoted field (CR LF, LF or CR: the file is read with newline="")."""
    breaks = sum(field.count("\n") + field.count("\r") - field.count("\r\n")
                 for field in record)
    return 1 + breaks

def _compact_key(key: str) -> str | int:
    """How a key is remembered: a canonical digit string as its int (half the memory)."""
    return int(key) if (key.isdigit() and key.isascii() and key[0] != "0"
                        and len(key) <= MAX_INT_KEY_DIGITS) else key


def _compact_keys(keys: list[str]) -> list[str | int]:
    """`_compact_key` of each key, at C speed when all are canonical digit strings."""
    digits = "".join(keys)
    if (digits.isdigit() and digits.isascii() and "\n0" not in "\n" + "\n".join(keys)
            and max(map(len, keys)) <= MAX_INT_KEY_DIGITS):
        return list(map(int, keys))
    return list(map(_compact_key, keys))


def open_export(path: Path, fmt: ExportFormat, lang: str, **encoders: Any) -> ExportReader:
    """Open and check an export (blocking: call it in a worker thread); `encoders` are
    `ExportReader`'s `encode_time` / `encode_extra`."""
    return ExportReader(path, fmt, lang, **encoders).open()


def _unchanged(value: Any) -> Any:
    return value


def _aware_utc(naive_utc: datetime) -> datetime:
    return naive_utc.replace(tzinfo=UTC)
