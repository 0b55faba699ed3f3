"""Texts of the sync engine: error kinds, type names, report words."""

MESSAGES: dict[str, dict[str, str]] = {
    "duration.days": {"ko": "{days}일 {hours}시간", "en": "{days} d {hours} h"},
    "duration.hours": {"ko": "{hours}시간 {minutes}분", "en": "{hours} h {minutes} min"},
    "duration.minutes": {"ko": "{minutes}분", "en": "{minutes} min"},
    "duration.under_minute": {"ko": "1분 미만", "en": "under a minute"},
    "type.members": {"ko": "회원", "en": "Members"},
    "type.orders": {"ko": "주문", "en": "Orders"},
    "type.refunds": {"ko": "환불", "en": "Refunds"},
    "kind.login_failed": {"ko": "로그인 실패", "en": "Login failed"},
    "kind.layout_changed": {"ko": "publ 화면 변경", "en": "publ page changed"},
    "kind.download_failed": {"ko": "다운로드 실패", "en": "Download failed"},
    "kind.file_missing": {"ko": "파일 없음", "en": "File missing"},
    "kind.file_invalid": {"ko": "파일 형식 오류", "en": "Invalid file"},
    "kind.database": {"ko": "데이터베이스 오류", "en": "Database error"},
    "kind.unexpected": {"ko": "예상치 못한 오류", "en": "Unexpected error"},
    "error.file_missing": {
        "ko": "{type} CSV 파일을 찾을 수 없습니다.",
        "en": "The {type} CSV file could not be found.",
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
    "error.process_died": {
        "ko": "동기화 도중 프로그램이 중단되었습니다 (프로세스 {owner}). "
              "저장된 데이터는 변경되지 않았습니다.",
        "en": "The program stopped during the sync (process {owner}). Stored data was not changed.",
    },
}
