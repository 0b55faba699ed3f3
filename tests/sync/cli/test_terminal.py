"""The terminal report says each distinct error once."""

from datetime import UTC, datetime

from rich.console import Console

from sync.cli.terminal import print_report
from sync.errors import ErrorKind, SyncError
from sync.i18n import Words
from sync.presented import Presenter
from sync.report import SYNC_TYPES, RunReport, SyncType, TypeResult


def _report(errors: dict[SyncType, SyncError]) -> RunReport:
    now = datetime(2026, 11, 27, tzinfo=UTC)
    report = RunReport(run_id="r1", trigger="cli", requested_by=None, started_at=now,
                       finished_at=now, results={s: TypeResult(s, status="success")
                                                 for s in SYNC_TYPES})
    for sync_type, error in errors.items():
        report.results[sync_type].fail(error)
    return report


def _printed(report: RunReport) -> str:
    console = Console(record=True, width=200)
    print_report(console, report, Presenter(Words("ko")))
    return console.export_text()


def test_a_login_failure_is_said_once_for_all_three_types() -> None:
    error = SyncError(ErrorKind.LOGIN_FAILED, "publ 로그인에 실패했습니다.")
    text = _printed(_report({s: error for s in SYNC_TYPES}))
    assert text.count("publ 로그인에 실패했습니다.") == 1
    assert "회원·주문·환불 — 로그인 실패" in text


def test_different_errors_each_get_their_line() -> None:
    text = _printed(_report({
        SyncType.MEMBERS: SyncError(ErrorKind.FILE_INVALID, "헤더에 'Member Code' 열이 없습니다."),
        SyncType.REFUNDS: SyncError(ErrorKind.DATABASE, "데이터베이스에 저장하지 못했습니다."),
    }))
    assert "회원 — 파일 형식 오류: 헤더에 'Member Code' 열이 없습니다." in text
    assert "환불 — 데이터베이스 오류: 데이터베이스에 저장하지 못했습니다." in text
    assert "주문 —" not in text
