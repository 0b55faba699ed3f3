"""Texts of the sync engine: error kinds, type names, report words."""

MESSAGES: dict[str, dict[str, str]] = {
    "duration.days": {"ko": "{days}일 {hours}시간", "en": "{days} d {hours} h"},
    "duration.hours": {"ko": "{hours}시간 {minutes}분", "en": "{hours} h {minutes} min"},
    "duration.minutes": {"ko": "{minutes}분", "en": "{minutes} min"},
    "duration.under_minute": {"ko": "1분 미만", "en": "under a minute"},
    "duration.seconds": {"ko": "{seconds}초", "en": "{seconds} s"},
    "duration.minutes_seconds": {"ko": "{minutes}분 {seconds}초",
                                 "en": "{minutes} min {seconds} s"},
    # What started a run (`sync.report.TRIGGERS`), the one vocabulary of the terminal and of
    # Slack; Slack's sentences (`bot.trigger.*`, `bot.starter.*`) put these words in.
    "trigger.slash": {"ko": "/publ-sync", "en": "/publ-sync"},
    "trigger.button": {"ko": "버튼", "en": "Slack button"},  # an alert's Retry or Home's Run
    "trigger.schedule": {"ko": "매일 예약 동기화", "en": "daily schedule"},
    "trigger.catch_up": {"ko": "놓친 예약 동기화", "en": "missed scheduled sync"},
    "trigger.cli": {"ko": "명령줄", "en": "command line"},
    # Said alike by the terminal and by Slack.
    "run.title_ok": {"ko": "✅ publ 동기화 완료", "en": "✅ publ sync finished"},
    "run.title_failed": {"ko": "❌ publ 동기화 실패", "en": "❌ publ sync failed"},
    "session.none_to_reset": {
        "ko": "저장된 로그인 세션이 없습니다. 다음 동기화 때 새로 로그인합니다.",
        "en": "There is no saved login session. The next sync logs in afresh.",
    },
    "status.no_streak": {"ko": "연속 실패: 없음", "en": "Failure streak: none"},
    "status.streak": {
        "ko": "연속 실패: {count}회 ({since}부터)", "en": "Failure streak: {count} ({since} on)",
    },
    "type.members": {"ko": "회원", "en": "Members"},
    "type.orders": {"ko": "주문", "en": "Orders"},
    "type.refunds": {"ko": "환불", "en": "Refunds"},
    "kind.login_failed": {"ko": "로그인 실패", "en": "Login failed"},
    "kind.layout_changed": {"ko": "publ 화면 변경", "en": "publ page changed"},
    "kind.download_failed": {"ko": "다운로드 실패", "en": "Download failed"},
    "kind.file_missing": {"ko": "파일 없음", "en": "File missing"},
    "kind.file_invalid": {"ko": "파일 형식 오류", "en": "Invalid file"},
    "kind.stale_file": {"ko": "오래된 파일", "en": "Older export"},
    "kind.database": {"ko": "데이터베이스 오류", "en": "Database error"},
    "kind.unexpected": {"ko": "예상치 못한 오류", "en": "Unexpected error"},
    "error.file_missing": {
        "ko": "{type} CSV 파일을 찾을 수 없습니다.",
        "en": "The {type} CSV file could not be found.",
    },
    "error.stale_file": {
        "ko": "{type} 파일 {file} ({made} 내보내기)은(는) 이미 가져온 {newest} 내보내기"
              "({newest_file})보다 오래되어 가져오지 않았습니다. 가져오면 더 새 값이 옛 값으로 "
              "되돌아갑니다. 그래도 가져오려면 `publ-sync import --force {path}` 를 실행하세요.",
        "en": "The {type} file {file} (exported {made}) is older than the export already "
              "imported ({newest}, {newest_file}), so it was not imported: it would put older "
              "values over newer ones. To import it anyway, run "
              "`publ-sync import --force {path}`.",
    },
    "error.symlink_refused": {
        "ko": "{type} 파일 {file} 은(는) downloads 폴더 안의 심볼릭 링크라서 가져오지 "
              "않았습니다. 링크가 아닌 실제 파일을 가져와 주세요.",
        "en": "The {type} file {file} is a symbolic link in the downloads folder, so it was "
              "not imported. Import the real file instead.",
    },
    "error.database": {
        "ko": "데이터베이스에 저장하지 못했습니다: {reason}",
        "en": "Could not save to the database: {reason}",
    },
    "error.unexpected": {
        "ko": "예상치 못한 오류가 발생했습니다: {reason}",
        "en": "An unexpected error occurred: {reason}",
    },
    "error.not_imported_after": {
        "ko": "이전 단계가 실패하여 가져오지 않았습니다: {reason}",
        "en": "Not imported because an earlier step failed: {reason}",
    },
    "error.run_not_closed": {
        "ko": "이 동기화는 마지막 기록을 데이터베이스에 쓰지 못한 채 끝났습니다. "
              "가져오지 못한 종류의 데이터는 변경되지 않았습니다.",
        "en": "This sync ended without being able to write its last record to the database. "
              "Data of the types it did not import was not changed.",
    },
    "error.process_died": {
        "ko": "동기화 도중 프로그램이 중단되었습니다 (프로세스 {owner}). "
              "저장된 데이터는 변경되지 않았습니다.",
        "en": "The program stopped during the sync (process {owner}). Stored data was not changed.",
    },
}
