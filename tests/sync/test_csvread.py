"""Reading export files: encodings, headers, values and the lines a reader must skip.

These need no database: the reader turns a file into rows or says, in the operator's
language, why it cannot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from sync.csvread import SQLITE_TIME_TEXT, kst_to_naive_utc, open_export, parse_kst, parse_won
from sync.errors import ErrorKind, SyncError
from sync.exports import MEMBERS, ORDERS, REFUNDS
from sync.sandbox.fake_exports import Generator, write
from tests.exportfiles import csv_bytes


def read_all(path: Path, fmt=ORDERS, lang: str = "ko", size: int = 1000):  # type: ignore[no-untyped-def]
    with open_export(path, fmt, lang) as reader:
        chunks = list(reader.chunks(size))
    rows = [row for chunk in chunks for row in chunk.rows]
    skipped = [row for chunk in chunks for row in chunk.skipped]
    return reader, rows, skipped


def invalid(path: Path, fmt=ORDERS, lang: str = "ko") -> SyncError:  # type: ignore[no-untyped-def]
    with pytest.raises(SyncError) as caught:
        open_export(path, fmt, lang)
    assert caught.value.kind is ErrorKind.FILE_INVALID
    return caught.value


@pytest.mark.parametrize(("text", "won"), [
    ("1,000원", 1000), ("50,000원", 50000), ("500", 500), ("12,900 원", 12900),
    ("₩3,000", 3000), ("-1,000원", -1000), ("0원", 0),
])
def test_prices_in_won(text: str, won: int) -> None:
    assert parse_won(text) == won


@pytest.mark.parametrize("text", ["abc", "1.5원", "12,9OO원", "１２３", "", "원", "1_000"])
def test_not_prices(text: str) -> None:
    assert parse_won(text) is None


@pytest.mark.parametrize(("text", "utc"), [
    ("2024-12-27 15:30:45", datetime(2024, 12, 27, 6, 30, 45, tzinfo=UTC)),
    ("2024-12-27 15:30", datetime(2024, 12, 27, 6, 30, tzinfo=UTC)),
    ("2024-12-27", datetime(2024, 12, 26, 15, 0, tzinfo=UTC)),
    ("2024-03-01 03:00:00", datetime(2024, 2, 29, 18, 0, tzinfo=UTC)),  # leap day, UTC side
])
def test_console_times_are_korea_time_stored_as_utc(text: str, utc: datetime) -> None:
    assert parse_kst(text) == utc


@pytest.mark.parametrize("text", ["27/12/2024", "2024-13-01", "2024-12-27 25:00",
                                  "2024-12-27 15:30+09", "2024.12.27", "yesterday"])
def test_not_console_times(text: str) -> None:
    assert parse_kst(text) is None


def test_generated_export_reads_back_every_row(tmp_path: Path) -> None:
    path = write(tmp_path / "orders.csv", ORDERS, Generator(seed=3).orders(2500))
    reader, rows, skipped = read_all(path, size=1000)
    assert reader.encoding == "utf-8-sig"
    assert len(rows) == 2500 and skipped == []
    assert all(isinstance(row[reader.columns.index("price")], int) for row in rows)


def test_chunks_stream_in_the_size_asked(tmp_path: Path) -> None:
    path = write(tmp_path / "members.csv", MEMBERS, Generator(seed=3).members(2500))
    with open_export(path, MEMBERS, "ko") as reader:
        sizes = [len(chunk.rows) for chunk in reader.chunks(1000)]
    assert sizes == [1000, 1000, 500]


def test_utf8_without_bom_reads(tmp_path: Path) -> None:
    path = tmp_path / "refunds.csv"
    path.write_bytes(csv_bytes(REFUNDS.headers, [["A-1", "Requested", "500", "김", "M1",
                                                  "2024-12-27"]], encoding="utf-8"))
    reader, rows, _ = read_all(path, REFUNDS)
    assert reader.encoding == "utf-8" and rows[0][3] == "김"


def test_neither_utf8_nor_cp949_is_invalid_and_says_which_encodings_work(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(b"Number,Order Number\r\n1,\xff\xfe\xfd\xfc\x80\x80\r\n")
    error = invalid(path)
    assert "인코딩" in error.message and "CP949" in error.message


def _damage(data: bytes, line: int) -> bytes:
    """`data` with the first byte of a Korean character on `line` replaced by one that no
    UTF-8 text holds there."""
    start = sum(len(text) + 1 for text in data.split(b"\n")[:line - 1])
    at = data.index("김".encode(), start)
    return data[:at] + b"\xff" + data[at + 1:]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_damaged_utf8_is_invalid_naming_the_line_not_read_as_cp949(
        tmp_path: Path, encoding: str) -> None:
    rows = [[f"A-{n}", "Requested", "500", f"김민{n}", f"M{n}", "2024-12-27"]
            for n in range(1, 30)]
    path = tmp_path / "refunds.csv"
    path.write_bytes(_damage(csv_bytes(REFUNDS.headers, rows, encoding=encoding), line=4))
    error = invalid(path, REFUNDS)
    assert "4번째 줄에 깨진 글자" in error.message and "refunds.csv" in error.message


def test_cp949_with_a_stray_valid_utf8_sequence_is_still_cp949(tmp_path: Path) -> None:
    rows = [[f"A-{n}", "Requested", "500", "김민지", f"M{n}", "2024-12-27"]
            for n in range(1, 30)]
    path = tmp_path / "refunds.csv"
    path.write_bytes(csv_bytes(REFUNDS.headers, rows, encoding="cp949")
                     + "A-99,Requested,500,é,M99,2024-12-27\r\n".encode())
    reader, read, _ = read_all(path, REFUNDS)
    assert reader.encoding == "cp949" and read[0][3] == "김민지"


def test_utf16_file_is_invalid(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(",".join(ORDERS.headers).encode("utf-16"))
    assert "인코딩" in invalid(path).message


def test_excel_workbook_saved_with_csv_name_is_invalid_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 60)
    assert "xlsx" in invalid(path, lang="en").message


def test_bom_alone_is_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(b"\xef\xbb\xbf")
    assert "empty" in invalid(path, lang="en").message


def test_blank_first_line_means_no_header(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(b"\xef\xbb\xbf,,,\r\n1,2,3,4\r\n")
    assert "머리글" in invalid(path).message


def test_missing_columns_are_all_named_in_english_too(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    header = [name for name in MEMBERS.headers if name not in ("Member Code", "Sign-up Date")]
    path.write_bytes(csv_bytes(header, []))
    message = invalid(path, MEMBERS, lang="en").message
    assert "Member Code, Sign-up Date" in message
    assert "Columns in the file: Username, E-mail" in message


def test_same_column_twice_is_invalid(tmp_path: Path) -> None:
    path = tmp_path / "refunds.csv"
    path.write_bytes(csv_bytes([*REFUNDS.headers, "Refund Status"], []))
    assert "Refund Status" in invalid(path, REFUNDS).message


def test_padded_headers_blank_lines_and_trailing_empty_columns_are_tolerated(
        tmp_path: Path) -> None:
    header = [f" {name} " for name in REFUNDS.headers] + [""]
    rows = [["A-1", "Requested", "500", "u", "M1", "2024-12-27", ""], [],
            ["", "", "", "", "", "", ""], ["A-2", " Refunded ", "500", "u", "M1",
                                           "2024-12-27", ""]]
    path = tmp_path / "refunds.csv"
    path.write_bytes(csv_bytes(header, rows))
    reader, stored, skipped = read_all(path, REFUNDS)
    assert [row[0] for row in stored] == ["A-1", "A-2"]
    assert stored[1][1] == "Refunded"
    assert skipped == [] and reader.extra_headers == []


def test_row_with_missing_cells_is_skipped_with_the_counts(tmp_path: Path) -> None:
    path = tmp_path / "refunds.csv"
    path.write_bytes(csv_bytes(REFUNDS.headers, [["A-1", "Requested", "500"],
                                                 ["A-2", "Requested", "500", "u", "M1",
                                                  "2024-12-27"]]))
    _, rows, skipped = read_all(path, REFUNDS, lang="en")
    assert [row[0] for row in rows] == ["A-2"]
    assert skipped[0].line == 2 and "header 6, this line 3" in skipped[0].reason


def test_broken_quoting_mid_file_skips_only_that_line(tmp_path: Path) -> None:
    good = 'A-1,Requested,500,u,M1,2024-12-27\r\n'
    broken = 'A-2,"Requested"x,500,u,M1,2024-12-27\r\n'
    path = tmp_path / "refunds.csv"
    path.write_bytes((",".join(REFUNDS.headers) + "\r\n" + good + broken
                      + good.replace("A-1", "A-3")).encode())
    _, rows, skipped = read_all(path, REFUNDS)
    assert [row[0] for row in rows] == ["A-1", "A-3"]
    assert skipped[0].line == 3 and "CSV" in skipped[0].reason


def test_order_numbers_mangled_by_excel_are_skipped_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "refunds.csv"
    path.write_bytes(csv_bytes(REFUNDS.headers, [
        ["2.02412E+13", "Requested", "500", "u", "M1", "2024-12-27"],
        ["20241227000123", "Requested", "500", "u", "M1", "2024-12-27"]], encoding="cp949"))
    _, rows, skipped = read_all(path, REFUNDS)
    assert [row[0] for row in rows] == ["20241227000123"]
    assert skipped[0].line == 2 and "엑셀" in skipped[0].reason and "2.02412E+13" in \
        skipped[0].reason


def _messy_orders() -> list[list[str]]:
    """Orders with every kind of line to skip, spread between clean runs, and times that
    cross hour, day and year boundaries in both console shapes."""
    header_count = len(ORDERS.headers)
    times = ["2024-12-31 23:59:59", "2025-01-01 08:59:59", "2025-01-01 09:00:00",
             "2025-01-01 09:00", "2025-01-01T09:30:15", "2025-01-01 09:59", "2024-02-29 00:00:01",
             "2024-03-01 08:00:00", "2024-12-27"]
    rows = []
    for number in range(60):
        moment = times[number % len(times)]
        rows.append([str(number + 1), f"2024{number:010d}", "베이직", "Membership plan",
                     f"{(number % 4 + 1) * 1000:,}원", "박유준", "a@example.com",
                     f"M{number}", "Regular Payment", "Card", moment])
    bad = {7: (4, "공짜"), 13: (10, "2024-12-27 24:00:00"), 19: (1, ""),
           23: (1, "2.02412E+13"), 29: (10, "2024-12-27 15:30:60"), 31: (4, ""),
           37: (10, "2024-13-01 10:00"), 41: (6, "")}
    for at, (column, value) in bad.items():
        rows[at][column] = value
    rows[47][1] = rows[3][1]  # a repeated order number
    rows[52] = rows[52][:header_count - 2]  # a short line
    rows[2][2] = "베이직\r\n멤버십"  # quoted line breaks: later line numbers shift
    rows[40][2] = "베이직\n\n멤버십"
    return rows


@pytest.mark.parametrize("stored_as_text", [True, False])
def test_batched_conversion_gives_what_row_by_row_gives(tmp_path: Path,
                                                        stored_as_text: bool) -> None:
    """However the rows are handed out (one chunk for the whole file, or many small ones),
    the rows, the skipped lines and their reasons are the same."""
    path = tmp_path / "orders.csv"
    path.write_bytes(csv_bytes(ORDERS.headers, _messy_orders()))
    encoders = {"encode_time": SQLITE_TIME_TEXT} if stored_as_text else {}

    def read(size: int) -> tuple[list[Any], list[Any]]:
        with open_export(path, ORDERS, "en", **encoders) as reader:
            chunks = list(reader.chunks(size))
        return ([row for chunk in chunks for row in chunk.rows],
                [(row.line, row.reason) for chunk in chunks for row in chunk.skipped])

    rows_one_by_one, skipped_one_by_one = read(10**9)
    assert [line for line, _reason in skipped_one_by_one] == [10, 16, 22, 26, 32, 40, 52, 57]
    assert len(rows_one_by_one) == 52  # an empty price or e-mail is no reason to skip
    for size in (1, 2, 3, 5, 8, 13, 50):
        assert read(size) == (rows_one_by_one, skipped_one_by_one), size


@pytest.mark.parametrize("shapes", [("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"),
                                    ("%Y-%m-%d %H:%M:%S",), ("%Y-%m-%d %H:%M",)])
def test_times_read_in_batches_match_a_full_parse(tmp_path: Path, shapes) -> None:  # type: ignore[no-untyped-def]
    """Many orders per hour, as in a real export: every stored time equals its own full
    parse, across day, month and year ends, whether a column's times share one shape or
    not."""
    rows = []
    start = datetime(2024, 12, 31, 20, 0, 0)
    for number in range(3000):
        moment = start + timedelta(seconds=number * 7)
        shape = shapes[-1] if number % 3 == 0 else shapes[0]
        rows.append([str(number), f"2025{number:010d}", "p", "t", "1,000원", "n", "e",
                     "m", "pt", "pm", moment.strftime(shape)])
    path = tmp_path / "orders.csv"
    path.write_bytes(csv_bytes(ORDERS.headers, rows))
    with open_export(path, ORDERS, "ko", encode_time=SQLITE_TIME_TEXT) as reader:
        stored = [row for chunk in reader.chunks(1000) for row in chunk.rows]
    paid_at = reader.columns.index("paid_at")
    expected = [SQLITE_TIME_TEXT(kst_to_naive_utc(row[-1])) for row in rows]
    assert [row[paid_at] for row in stored] == expected
    assert stored[0][paid_at] == "2024-12-31 11:00:00.000000"
