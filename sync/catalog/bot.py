"""Texts of the Slack bot: the command's answers, run reports, status, help, refusals."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- /publ-sync answers ---------------------------------------------------------------
    "bot.ack.starting": {"ko": "동기화를 시작합니다…", "en": "Starting the sync…"},
    "bot.ack.reset_starting": {
        "ko": "저장된 로그인 세션을 치우고 새로 로그인해서 동기화합니다…",
        "en": "Setting the saved login session aside and syncing with a fresh login…",
    },
    "bot.refused": {
        "ko": "죄송합니다. 이 작업은 허락된 사용자만 할 수 있습니다. 필요하시면 관리자에게 "
              "SLACK_ALLOWED_USERS에 추가해 달라고 요청해 주세요. (`/publ-sync status`와 "
              "`/publ-sync help`는 누구나 쓸 수 있습니다.)",
        "en": "Sorry, only permitted users can do this. Ask the administrator to add you to "
              "SLACK_ALLOWED_USERS if you need to. (`/publ-sync status` and `/publ-sync help` "
              "are open to everyone.)",
    },
    "bot.already_running": {
        "ko": "이미 동기화가 진행 중입니다 ({who}, {time} 시작). 새 동기화는 시작하지 않았습니다. "
              "끝나면 결과가 채널에 올라옵니다.",
        "en": "A sync is already running (started by {who} at {time}). No new sync was "
              "started; its result will appear in the channel when it ends.",
    },
    "bot.reset.done": {
        "ko": "저장된 로그인 세션을 치워 두었습니다 (trash 폴더). 다음 동기화 때 새로 "
              "로그인합니다.",
        "en": "The saved login session was set aside (trash folder). The next sync logs in "
              "afresh.",
    },
    "bot.reset.none": {
        "ko": "저장된 로그인 세션이 없습니다. 다음 동기화 때 새로 로그인합니다.",
        "en": "There is no saved login session. The next sync logs in afresh.",
    },
    "bot.reset.busy": {
        "ko": "지금은 세션을 치울 수 없습니다. {running}",
        "en": "The session cannot be set aside right now. {running}",
    },
    "bot.status.failed_to_read": {
        "ko": "상태를 읽지 못했습니다 ({reason}). 데이터베이스 연결을 `publ-sync doctor`로 "
              "확인해 주세요.",
        "en": "Could not read the status ({reason}). Check the database with "
              "`publ-sync doctor`.",
    },
    "bot.reset.failed": {
        "ko": "세션 파일을 치우지 못했습니다: {reason}",
        "en": "Could not set the session file aside: {reason}",
    },
    # --- who or what started a run ----------------------------------------------------------
    "bot.trigger.slash": {"ko": "{who}님이 /publ-sync로 실행",
                          "en": "Run by {who} with /publ-sync"},
    "bot.trigger.button": {"ko": "{who}님이 버튼으로 실행", "en": "Run by {who} with a button"},
    "bot.trigger.schedule": {"ko": "매일 예약 동기화", "en": "Daily scheduled sync"},
    "bot.trigger.catch_up": {
        "ko": "봇이 꺼져 있던 동안 놓친 예약 동기화",
        "en": "Scheduled sync missed while the bot was off",
    },
    "bot.trigger.cli": {"ko": "명령줄(publ-sync run)에서 실행", "en": "Run from the command line"},
    "bot.trigger.other": {"ko": "{trigger}", "en": "{trigger}"},
    "bot.someone": {"ko": "누군가", "en": "someone"},
    # --- the run message ------------------------------------------------------------------
    "bot.run.running_header": {"ko": "⏳ publ 동기화 진행 중…", "en": "⏳ publ sync running…"},
    "bot.run.running_body": {
        "ko": "회원 · 주문 · 환불 데이터를 내려받아 저장하고 있습니다. 끝나면 이 메시지가 "
              "결과로 바뀝니다.",
        "en": "Downloading and saving members, orders and refunds. This message turns into "
              "the result when it ends.",
    },
    "bot.run.success_header": {"ko": "✅ publ 동기화 완료", "en": "✅ publ sync finished"},
    "bot.run.failed_header": {"ko": "❌ publ 동기화 실패", "en": "❌ publ sync failed"},
    "bot.run.counts": {
        "ko": "신규 {new} · 변경 {updated} · 그대로 {unchanged} · 건너뜀 {skipped}",
        "en": "new {new} · updated {updated} · unchanged {unchanged} · skipped {skipped}",
    },
    "bot.run.type_failed": {"ko": "실패 — {kind}", "en": "failed — {kind}"},
    # One reason's skipped lines: `가격 형식 오류: 15, 27줄` (`{more}` is "" or " 외 3개").
    "bot.run.skipped_reason_one": {
        "ko": "{reason}: {lines}번째 줄{more}", "en": "{reason}: line {lines}{more}",
    },
    "bot.run.skipped_reason_many": {
        "ko": "{reason}: {lines}줄{more}", "en": "{reason}: lines {lines}{more}",
    },
    "bot.run.skipped_reason_more": {"ko": " 외 {count}개", "en": " and {count} more"},
    "bot.run.started": {"ko": "시작 {time}", "en": "started {time}"},
    "bot.run.duration": {"ko": "소요 {seconds}초", "en": "took {seconds} s"},
    "bot.run.what_happened": {"ko": "*무슨 일이 있었나요*\n{message}",
                              "en": "*What happened*\n{message}"},
    "bot.run.what_to_do": {"ko": "*어떻게 하면 되나요*\n{hint}", "en": "*What to do*\n{hint}"},
    "bot.run.crashed": {
        "ko": "동기화를 실행하지 못했습니다 ({reason}). 봇 기록(로그)을 확인해 주세요.",
        "en": "The sync could not run ({reason}). Please check the bot's log.",
    },
    "bot.run.stopped": {
        "ko": "봇이 종료되어 동기화를 중단했습니다. 저장 중이던 내용은 되돌려졌습니다. 봇을 "
              "다시 켠 뒤 `/publ-sync`로 다시 실행해 주세요.",
        "en": "The bot was shut down, so the sync was stopped; anything half-saved was rolled "
              "back. Run `/publ-sync` again once the bot is back.",
    },
    "bot.run.fallback_success": {
        "ko": "publ 동기화 완료: {summary}", "en": "publ sync finished: {summary}",
    },
    "bot.run.fallback_failed": {
        "ko": "publ 동기화 실패: {message}", "en": "publ sync failed: {message}",
    },
    "bot.run.fallback_running": {"ko": "publ 동기화 진행 중…", "en": "publ sync running…"},
    # --- what to do, per error kind ---------------------------------------------------------
    "bot.hint.login_failed": {
        "ko": "publ 로그인이 거절되었습니다. .env의 PUBL_EMAIL과 PUBL_PASSWORD가 맞는지 "
              "확인한 뒤 `/publ-sync reset-session`으로 다시 실행해 주세요.",
        "en": "publ refused the login. Check PUBL_EMAIL and PUBL_PASSWORD in .env, then run "
              "`/publ-sync reset-session`.",
    },
    "bot.hint.layout_changed": {
        "ko": "publ 화면이 바뀐 것 같습니다. `publ-sync doctor`로 어느 화면이 다른지 확인하고, "
              "바뀐 버튼 이름·주소를 .env의 PUBL_… 설정에 맞춰 주세요.",
        "en": "The publ pages seem to have changed. Run `publ-sync doctor` to see which, and "
              "adjust the PUBL_… settings in .env to the new names and paths.",
    },
    "bot.hint.download_failed": {
        "ko": "네트워크나 publ 쪽 문제일 수 있습니다. 잠시 뒤 `/publ-sync`로 다시 실행해 "
              "주세요. 계속되면 `/publ-sync reset-session`을 써 보세요.",
        "en": "This may be the network or publ. Run `/publ-sync` again in a while; if it keeps "
              "failing, try `/publ-sync reset-session`.",
    },
    "bot.hint.file_missing": {
        "ko": "내려받은 파일이 없습니다. `/publ-sync reset-session`으로 새로 로그인해서 다시 "
              "실행해 주세요.",
        "en": "A downloaded file is missing. Run `/publ-sync reset-session` to log in afresh "
              "and sync again.",
    },
    "bot.hint.file_invalid": {
        "ko": "파일 형식이 예상과 다릅니다. 저장된 데이터는 바뀌지 않았습니다. publ에서 "
              "내보내기 형식이 바뀌었는지 확인해 주세요.",
        "en": "The file is not in the expected format; stored data was not changed. Check "
              "whether publ changed its export format.",
    },
    "bot.hint.stale_file": {
        "ko": "저장된 데이터는 바뀌지 않았습니다. 더 새 내보내기를 이미 가져왔으니 보통은 따로 "
              "하실 일이 없습니다. 그 파일을 꼭 가져와야 하면 서버 관리자가 "
              "`publ-sync import --force <파일>` 을 실행합니다.",
        "en": "Stored data was not changed. A newer export was already imported, so usually "
              "there is nothing to do; to import that file anyway, whoever runs the server "
              "runs `publ-sync import --force <file>`.",
    },
    "bot.hint.database": {
        "ko": "데이터베이스에 저장하지 못했습니다. 저장된 데이터는 바뀌지 않았습니다. "
              "`publ-sync doctor`로 데이터베이스 연결을 확인해 주세요.",
        "en": "Saving to the database failed; stored data was not changed. Check the database "
              "with `publ-sync doctor`.",
    },
    "bot.hint.unexpected": {
        "ko": "다시 실행해 보시고, 계속되면 봇 기록(로그)과 함께 담당자에게 알려 주세요.",
        "en": "Try again; if it keeps happening, tell the maintainer and include the bot's log.",
    },
    # --- status ---------------------------------------------------------------------------
    "bot.status.header": {"ko": "📊 publ 동기화 상태", "en": "📊 publ sync status"},
    "bot.status.type_line": {
        "ko": "*{type}* — {status}, {time}\n{counts}",
        "en": "*{type}* — {status}, {time}\n{counts}",
    },
    "bot.status.never": {"ko": "*{type}* — 아직 동기화한 적 없음",
                         "en": "*{type}* — never synced"},
    "bot.status.success": {"ko": "성공", "en": "succeeded"},
    "bot.status.failed": {"ko": "실패 ({kind})", "en": "failed ({kind})"},
    "bot.status.streak_none": {"ko": "연속 실패: 없음", "en": "Failure streak: none"},
    "bot.status.streak": {
        "ko": "연속 실패: {count}회 ({since}부터)", "en": "Failure streak: {count} ({since} on)",
    },
    "bot.status.session": {
        "ko": "저장된 로그인 세션: {age} 전에 저장", "en": "Saved login session: saved {age} ago",
    },
    "bot.status.no_session": {
        "ko": "저장된 로그인 세션: 없음 (다음 동기화 때 로그인)",
        "en": "Saved login session: none (the next sync logs in)",
    },
    "bot.status.next_run": {"ko": "다음 예약 동기화: {time}", "en": "Next scheduled sync: {time}"},
    "bot.status.next_run_unknown": {
        "ko": "다음 예약 동기화: 알 수 없음 (SYNC_SCHEDULE 확인: {schedule})",
        "en": "Next scheduled sync: unknown (check SYNC_SCHEDULE: {schedule})",
    },
    "bot.status.running_now": {
        "ko": "지금 진행 중: {who}, {time} 시작", "en": "Running now: {who}, started {time}",
    },
    "bot.age.minutes": {"ko": "{n}분", "en": "{n} min"},
    "bot.age.hours": {"ko": "{n}시간", "en": "{n} h"},
    "bot.age.days": {"ko": "{n}일 {h}시간", "en": "{n} d {h} h"},
    # --- help -----------------------------------------------------------------------------
    "bot.help": {
        "ko": "*publ 동기화 사용법*\n"
              "• `/publ-sync` — 지금 회원·주문·환불을 동기화합니다. 결과는 이 채널에 올라옵니다.\n"
              "• `/publ-sync status` — 마지막 동기화 결과, 연속 실패, 로그인 세션, 다음 예약 시간\n"
              "• `/publ-sync reset-session` — 저장된 로그인 세션을 치워 둡니다. 다음 "
              "동기화 때 새로 로그인합니다 (로그인 문제가 계속될 때)\n"
              "• `/publ-sync help` — 이 도움말",
        "en": "*publ sync — how to use*\n"
              "• `/publ-sync` — sync members, orders and refunds now; the result appears in "
              "this channel.\n"
              "• `/publ-sync status` — last results, failure streak, login session, next "
              "scheduled sync\n"
              "• `/publ-sync reset-session` — set the saved login session aside; the next "
              "sync logs in afresh (when login problems persist)\n"
              "• `/publ-sync help` — this help",
    },
    "bot.help.unknown": {
        "ko": "`{word}`은(는) 모르는 명령입니다.", "en": "`{word}` is not a command I know.",
    },
    # --- starting the bot -----------------------------------------------------------------
    "bot.start.missing": {
        "ko": "publ-bot을 시작할 수 없습니다: {names} 설정이 비어 있습니다. .env를 확인해 "
              "주세요 (README.ko.md 참고).",
        "en": "publ-bot cannot start: {names} is not set. Check .env (see README).",
    },
    "bot.start.invalid": {
        "ko": "publ-bot을 시작할 수 없습니다: 설정 값이 잘못되었습니다 ({names}). .env를 확인해 "
              "주세요.",
        "en": "publ-bot cannot start: invalid setting(s) {names}. Check .env.",
    },
    "bot.start.no_channel": {
        "ko": "SLACK_CHANNEL이 비어 있어 예약 동기화 결과, 일일 요약, 실패 알림을 올릴 곳이 "
              "없습니다. .env에 채널 ID를 넣어 주세요.",
        "en": "SLACK_CHANNEL is empty: scheduled results, daily summaries and failure alerts "
              "have nowhere to go. Put a channel id in .env.",
    },
    "bot.start.socket": {"ko": "publ-bot이 Socket Mode로 시작했습니다.",
                         "en": "publ-bot started in Socket Mode."},
    "bot.start.http": {
        "ko": "publ-bot이 HTTP 모드로 시작했습니다: 포트 {port}, 경로 /slack/events",
        "en": "publ-bot started in HTTP mode on port {port}, path /slack/events",
    },
}
