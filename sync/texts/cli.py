"""Texts of the `publ-sync` command line itself: its help and its settings errors."""

MESSAGES: dict[str, dict[str, str]] = {
    "cli.description": {
        "ko": "publ.biz의 회원·주문·환불을 데이터베이스로 동기화합니다.",
        "en": "Sync publ.biz members, orders and refunds into a database.",
    },
    "cli.help.verbose": {"ko": "하는 일을 자세히 기록합니다", "en": "log what happens"},
    "cli.help.commands": {"ko": "명령 목록", "en": "commands"},
    "cli.help.command": {"ko": "명령", "en": "COMMAND"},
    "cli.help.run": {"ko": "내보내기 세 가지를 내려받아 가져옵니다",
                     "en": "download the three exports and import them"},
    "cli.help.all_orders": {"ko": "주문 페이지를 모두 가져옵니다",
                            "en": "fetch every orders page"},
    "cli.help.import": {"ko": "이미 받아 둔 내보내기 파일을 가져옵니다",
                        "en": "import export files already on disk"},
    "cli.help.files": {"ko": "CSV 파일 (없으면 종류마다 가장 새 파일)",
                       "en": "CSV files (default: newest of each type)"},
    "cli.help.type": {"ko": "파일의 종류", "en": "the files' type"},
    "cli.help.force": {
        "ko": "이미 가져온 가장 새 파일보다 오래된 내보내기도 가져옵니다 "
              "(휴지통 trash/로 옮겨진 남은 파일 등)",
        "en": "import even an export older than the newest one already imported "
              "(a leftover set aside in trash/, say)",
    },
    "cli.help.status": {"ko": "종류별 마지막 실행, 연속 실패, 세션 나이, 다음 예약 동기화",
                        "en": "last run per type, failure streak, session age, next run"},
    "cli.help.report": {"ko": "최근 며칠의 주문·매출·회원·환불 (건수와 합계만)",
                        "en": "orders, revenue, members and refunds of the last days "
                              "(counts and sums only)"},
    "cli.help.days": {"ko": "며칠치를 볼지 (기본 7일)", "en": "how many full days (default 7)"},
    "cli.help.doctor": {"ko": "설정, 브라우저, 로그인, 페이지, 데이터베이스, Slack 점검",
                        "en": "check settings, browser, login, pages, database, Slack"},
    "cli.help.snapshot": {"ko": "콘솔 페이지마다 화면 구조도 저장합니다 (개인정보는 가림)",
                          "en": "also save each console page's structure, personal data masked"},
    "cli.help.reset_session": {"ko": "저장된 로그인 세션을 휴지통으로 옮깁니다",
                               "en": "set the saved login session aside"},
    "cli.help.demo": {"ko": "내장 샌드박스 콘솔로 전체 과정을 시험합니다",
                      "en": "the whole pipeline against the built-in sandbox console"},
    "cli.help.db": {"ko": "데이터베이스 작업", "en": "database tasks"},
    "cli.help.adopt": {"ko": "대시보드의 기존 테이블을 이어받습니다",
                       "en": "take over the dashboard's existing tables"},
    "cli.help.dry_run": {
        "ko": "계획(테이블, 추가할 열, 인덱스, 유지되는 행)만 보여 주고 아무것도 바꾸지 않습니다",
        "en": "print the plan (tables, columns, indexes, rows kept); change nothing",
    },
    "cli.settings_invalid": {
        "ko": "설정 값이 잘못되었습니다: {names}. .env를 확인해 주세요.",
        "en": "Invalid setting(s): {names}. Check .env.",
    },
}
