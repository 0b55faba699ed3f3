"""Texts of the bot's Home tab in Slack."""

MESSAGES: dict[str, dict[str, str]] = {
    "home.incident": {
        "ko": "🚨 *열린 장애:* {since}부터 {count}번 연속 실패 ({kind})",
        "en": "🚨 *Open incident:* {count} failed syncs in a row since {since} ({kind})",
    },
    "home.no_incident": {"ko": "✅ 열린 장애 없음", "en": "✅ No open incident"},
    "home.waiting": {
        "ko": "📮 Slack 전달 대기 중인 메시지: {count}건",
        "en": "📮 Messages waiting for delivery to Slack: {count}",
    },
    "home.runs_title": {"ko": "*최근 동기화 {count}번*", "en": "*Last {count} syncs*"},
    "home.no_runs": {"ko": "아직 동기화한 적이 없습니다.", "en": "No sync has run yet."},
    "home.run_ok": {
        "ko": "✅ {time} · {who} · {duration}", "en": "✅ {time} · {who} · {duration}",
    },
    "home.run_failed": {"ko": "❌ {time} · {who} · {kind}", "en": "❌ {time} · {who} · {kind}"},
    "home.run_running": {"ko": "⏳ {time} · {who} · 진행 중", "en": "⏳ {time} · {who} · running"},
    "home.button.run": {"ko": "지금 동기화", "en": "Sync now"},
    "home.button.reset_run": {"ko": "세션 초기화 후 동기화", "en": "Reset session and sync"},
    "home.buttons_note": {
        "ko": "동기화 결과는 채널에 올라오고, 이 화면도 끝나면 새로 고쳐집니다.",
        "en": "The result appears in the channel, and this page refreshes when it ends.",
    },
    "home.failed_to_read": {
        "ko": "상태를 읽지 못했습니다 ({reason}). 서버 관리자가 `publ-sync doctor` 로 "
              "데이터베이스를 확인해야 합니다.",
        "en": "Could not read the status ({reason}). Whoever runs the server has to check "
              "the database with `publ-sync doctor`.",
    },
}
