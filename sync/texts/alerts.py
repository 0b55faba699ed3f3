"""Texts of the daily schedule, the daily summary and the failure alerts.

Every alert improves on the seed incident's checklist (look in downloads/, read the sync
log, set the session aside, run again) by saying which of those steps fits the error.
Fields in `{braces}` are filled by `bot.alerts` / `bot.summary`; outside text arrives
already escaped for Slack.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # --- the alert ---------------------------------------------------------------------
    "alerts.title": {
        "ko": "🚨 publ 동기화가 {count}번 연속 실패했습니다",
        "en": "🚨 The publ sync has failed {count} times in a row",
    },
    "alerts.title_once": {
        "ko": "🚨 publ 동기화가 실패했습니다",
        "en": "🚨 The publ sync failed",
    },
    "alerts.what": {
        "ko": "*무엇이:* {kind} ({types})",
        "en": "*What:* {kind} ({types})",
    },
    "alerts.since": {
        "ko": "*언제부터:* {since} (처음 실패한 동기화)",
        "en": "*Since:* {since} (the first failed sync)",
    },
    "alerts.count": {
        "ko": "*몇 번:* {count}번 연속 실패",
        "en": "*How often:* {count} failed runs in a row",
    },
    "alerts.last_error": {
        "ko": "*마지막 오류:* {message}",
        "en": "*Last error:* {message}",
    },
    "alerts.steps_title": {
        "ko": "*이렇게 해 보세요*",
        "en": "*What to do*",
    },
    # One recommended action per kind (see `sync.advice`): a button when pressing it can
    # help, otherwise who has to act at the server and what they do.
    "alerts.steps.login_failed": {
        "ko": "1. 봇이 저장된 세션을 휴지통으로 옮기고 새로 로그인까지 해 보았지만 publ이 로그인을 "
              "받아주지 않았습니다.\n"
              "2. *서버 관리자*가 서버의 `.env` 파일에서 `PUBL_EMAIL` 과 `PUBL_PASSWORD` 를 "
              "publ 콘솔에 직접 로그인할 때 쓰는 값으로 고치고 봇을 다시 시작해야 합니다.\n"
              "3. 고친 뒤 아래 *세션 초기화 후 재시도* 를 누르면 새 값으로 로그인합니다.",
        "en": "1. The bot already set the saved session aside and tried a fresh login, but "
              "publ did not accept it.\n"
              "2. *Whoever runs the server* has to put what you use to log in to the publ "
              "console into `PUBL_EMAIL` and `PUBL_PASSWORD` in the server's `.env` file, "
              "and restart the bot.\n"
              "3. After that, *Reset session and retry* below logs in with the new values.",
    },
    "alerts.steps.layout_changed": {
        "ko": "1. publ이 화면을 바꾼 것 같습니다: 봇이 찾는 페이지나 버튼이 보이지 "
              "않았습니다.{screenshot}\n"
              "2. *서버 관리자*가 서버에서 `publ-sync doctor` 를 실행해 ✗ 로 표시된 페이지와 "
              "버튼을 찾고, `.env` 의 {settings} 을(를) 지금 publ 화면에 보이는 이름이나 "
              "주소로 고쳐야 합니다.\n"
              "3. 고친 뒤 아래 *다시 시도* 를 누르세요.",
        "en": "1. publ may have changed its page: a page or button the bot looks for was not "
              "there.{screenshot}\n"
              "2. *Whoever runs the server* has to run `publ-sync doctor` there (it marks "
              "each page and button ✓/✗) and change {settings} in `.env` to the name or "
              "address the publ page shows now.\n"
              "3. Then press *Retry* below.",
    },
    "alerts.screenshot_note": {
        "ko": " 이 알림의 스레드에 실패 당시 화면 캡처(개인정보 가림)를 첨부했습니다.",
        "en": " A screenshot of the failure (personal data masked) is attached in this "
              "alert's thread.",
    },
    "alerts.steps.download_failed": {
        "ko": "1. 네트워크 문제이거나 publ 서버가 잠시 응답하지 않는 것 같습니다. 봇이 "
              "이미 여러 번 다시 받아 보았습니다.\n"
              "2. 기다리시면 다음 예약 동기화({next_run})에 자동으로 다시 시도합니다. 지금 "
              "받으려면 아래 *다시 시도* 를 누르세요.",
        "en": "1. A network problem or a publ outage: the bot already retried the download "
              "several times.\n"
              "2. It retries by itself at the next scheduled sync ({next_run}); to fetch "
              "now, press *Retry* below.",
    },
    "alerts.steps.file_missing": {
        "ko": "1. 다운로드는 끝났다고 했지만 내보내기 파일이 없습니다: {message}\n"
              "2. publ이 다운로드 버튼을 보여주지 않는 반쯤 만료된 세션일 때 이렇게 됩니다: "
              "아래 *세션 초기화 후 재시도* 를 누르세요.\n"
              "3. 그래도 같으면 *서버 관리자*가 서버의 `storage/downloads/` 폴더에 오늘 날짜의 "
              "CSV 파일이 있는지, 디스크 공간이 남아 있는지 확인해야 합니다.",
        "en": "1. The download finished but an export file is missing: {message}\n"
              "2. A half-expired session, which hides publ's download button, does this: "
              "press *Reset session and retry* below.\n"
              "3. If it happens again, *whoever runs the server* has to check that "
              "`storage/downloads/` has today's CSV files and that the disk is not full.",
    },
    "alerts.steps.file_invalid": {
        "ko": "1. 받은 파일이 publ 내보내기 형식과 다릅니다. 문제가 된 곳: {message}\n"
              "2. 파일은 서버의 `storage/downloads/` 에 그대로 남아 있고, 데이터베이스는 "
              "바뀌지 않았습니다.\n"
              "3. *서버 관리자*가 파일을 열어 위에 적힌 열(column)이나 줄(line)을 확인해야 "
              "합니다. publ이 열 이름을 바꿨다면 개발 담당자에게 알리고, 파일을 고쳤다면 "
              "서버에서 `publ-sync import <파일>` 로 가져옵니다.",
        "en": "1. The file does not look like a publ export. Where: {message}\n"
              "2. The file is still in the server's `storage/downloads/` and the database "
              "was not changed.\n"
              "3. *Whoever runs the server* has to open it at the column or line named "
              "above: if publ renamed a column, tell the developer; after fixing the file, "
              "`publ-sync import <file>` on the server imports it.",
    },
    "alerts.steps.stale_file": {
        "ko": "1. 이미 가져온 것보다 오래된 내보내기 파일이라 가져오지 않았습니다: {message}\n"
              "2. 데이터베이스는 바뀌지 않았습니다. 보통은 따로 하실 일이 없습니다.\n"
              "3. 정말 그 파일을 가져와야 한다면 *서버 관리자*가 "
              "`publ-sync import --force <파일>` 을 실행합니다.",
        "en": "1. The export is older than one already imported, so it was not imported: "
              "{message}\n"
              "2. The database was not changed; usually there is nothing to do.\n"
              "3. If that file really must be imported, *whoever runs the server* runs "
              "`publ-sync import --force <file>`.",
    },
    "alerts.steps.database": {
        "ko": "1. 데이터베이스에 저장하지 못했습니다. 저장하던 내용은 모두 되돌려져서 "
              "데이터는 그대로입니다.\n"
              "2. *서버 관리자*가 서버에서 데이터베이스(`DATABASE_URL`)가 켜져 있는지, 디스크 "
              "공간이 남아 있는지 확인해야 합니다.\n"
              "3. 고친 뒤 아래 *다시 시도* 를 누르세요.",
        "en": "1. Saving to the database failed. Everything it was saving was rolled back, "
              "so the data is as it was.\n"
              "2. *Whoever runs the server* has to check that the database (`DATABASE_URL`) "
              "is up and the disk is not full.\n"
              "3. Then press *Retry* below.",
    },
    "alerts.steps.unexpected": {
        "ko": "1. 예상하지 못한 오류입니다. 아래 *다시 시도* 를 누르세요.\n"
              "2. 계속되면 *서버 관리자*가 서버에서 `publ-sync status` 로 최근 동기화 기록을 "
              "확인하고, 개발 담당자에게 이 실행 번호를 전해 주세요: `{run_id}`",
        "en": "1. An unexpected error. Press *Retry* below.\n"
              "2. If it keeps happening, *whoever runs the server* can see the recent syncs "
              "with `publ-sync status` there; give the developer this run id: `{run_id}`",
    },
    "alerts.layout_settings_fallback": {
        "ko": "`PUBL_MEMBERS_BUTTON` (회원 다운로드 버튼 이름), "
              "`PUBL_EXPORT_ICON_SELECTOR` (주문·환불 내보내기 아이콘), "
              "`PUBL_MEMBERS_PATH` / `PUBL_ORDERS_PATH` / `PUBL_REFUNDS_PATH` (페이지 주소)",
        "en": "`PUBL_MEMBERS_BUTTON` (the members download button's name), "
              "`PUBL_EXPORT_ICON_SELECTOR` (the orders/refunds export icon), "
              "`PUBL_MEMBERS_PATH` / `PUBL_ORDERS_PATH` / `PUBL_REFUNDS_PATH` (page paths)",
    },
    "alerts.no_next_run": {"ko": "예약 없음", "en": "none scheduled"},
    "alerts.button.retry": {"ko": "다시 시도", "en": "Retry"},
    "alerts.button.reset_retry": {"ko": "세션 초기화 후 재시도", "en": "Reset session and retry"},
    "alerts.screenshot_title": {
        "ko": "실패 당시 화면 (개인정보 가림)",
        "en": "The page when it failed (personal data masked)",
    },
    "alerts.screenshot_kept": {
        "ko": "실패 당시 화면을 Slack에 올리지 못했습니다. 서버의 `{path}` 에 보관되어 있습니다 "
              "(개인정보 가림).",
        "en": "The screenshot of the failure could not be uploaded to Slack. It is kept on the "
              "server at `{path}` (personal data masked).",
    },
    "alerts.reminder": {
        "ko": "⏰ 아직 복구되지 않았습니다: {since}부터 {down_for}째, {count}번 연속 "
              "실패했습니다.\n*마지막 오류:* {message}",
        "en": "⏰ Still failing: since {since} ({down_for}), {count} failed runs in a row.\n"
              "*Last error:* {message}",
    },
    "alerts.recovered": {
        "ko": "✅ 복구되었습니다. {down_for} 동안 동기화가 실패했었습니다 ({count}번). "
              "{at}에 다시 성공했습니다.",
        "en": "✅ Recovered. The sync had been failing for {down_for} ({count} runs). "
              "It succeeded again at {at}.",
    },
    "alerts.resolved.header": {"ko": "✅ 해결됨", "en": "✅ Resolved"},
    "alerts.resolved.body": {
        "ko": "*복구 시각:* {at}\n*중단 기간:* {since}부터 {down_for}\n"
              "*실패한 동기화:* {count}번\n*원인이었던 오류:* {kind}",
        "en": "*Recovered at:* {at}\n*Down:* {down_for} since {since}\n"
              "*Failed syncs:* {count}\n*The error was:* {kind}",
    },
    "alerts.refused": {
        "ko": "이 버튼을 누를 권한이 없습니다. 필요하면 관리자에게 `SLACK_ALLOWED_USERS` 에 "
              "추가해 달라고 요청하세요. 아무것도 실행하지 않았습니다.",
        "en": "You are not allowed to press this button; ask an admin to add you to "
              "`SLACK_ALLOWED_USERS`. Nothing was started.",
    },
    # --- the daily summary -------------------------------------------------------------
    "summary.title": {
        "ko": "📊 {date} 일일 동기화 요약",
        "en": "📊 Daily sync summary, {date}",
    },
    "summary.run_ok": {
        "ko": "*이번 동기화:* 성공 ({duration}초)",
        "en": "*This sync:* succeeded ({duration} s)",
    },
    "summary.run_failed": {
        "ko": "*이번 동기화:* 실패 — {kind}",
        "en": "*This sync:* failed — {kind}",
    },
    "summary.type_line": {
        "ko": "• {type}: 신규 {new} · 변경 {updated} · 그대로 {unchanged} · 건너뜀 {skipped}",
        "en": "• {type}: {new} new · {updated} updated · {unchanged} unchanged · "
              "{skipped} skipped",
    },
    "summary.type_failed": {
        "ko": "• {type}: 실패 ({kind})",
        "en": "• {type}: failed ({kind})",
    },
    "summary.totals": {
        "ko": "*데이터베이스 합계:* 회원 {members}명 · 주문 최근 1일 {orders_day}건 / "
              "최근 7일 {orders_week}건 · 처리 대기 환불 요청 {open_refunds}건",
        "en": "*In the database:* {members} members · orders {orders_day} in the last day / "
              "{orders_week} in 7 days · {open_refunds} open refund requests",
    },
    "summary.health": {
        "ko": "*상태:* 연속 실패 {streak}번 · 로그인 세션 {session}",
        "en": "*Health:* failure streak {streak} · login session {session}",
    },
    "summary.session_age": {"ko": "{age} 전 저장", "en": "saved {age} ago"},
    "summary.session_none": {
        "ko": "없음 (다음 동기화에서 새로 로그인)",
        "en": "none (the next sync logs in afresh)",
    },
    "summary.next_run": {
        "ko": "다음 예약 동기화: {next_run}",
        "en": "Next scheduled sync: {next_run}",
    },
    # --- the schedule ------------------------------------------------------------------
    "schedule.bad_cron": {
        "ko": "SYNC_SCHEDULE 값 {value!r} 을(를) 이해할 수 없습니다: 분 시 일 월 요일 다섯 "
              "칸으로 적어 주세요 (예: `0 9 * * *` 은 매일 9시, `0 9 * * 1` 은 매주 월요일 "
              "9시).",
        "en": "SYNC_SCHEDULE {value!r} is not a schedule: write five fields, minute hour day "
              "month weekday (e.g. `0 9 * * *` daily at 9:00, `0 9 * * 1` Mondays at 9:00).",
    },
    "schedule.bad_timezone": {
        "ko": "TIMEZONE 값 {value!r} 은(는) 알 수 없는 시간대입니다 (예: `Asia/Seoul`).",
        "en": "TIMEZONE {value!r} is not a known time zone (e.g. `Asia/Seoul`).",
    },
}
