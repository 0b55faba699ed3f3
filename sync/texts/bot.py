"""Texts of the Slack bot: the command's answers, run reports, status, help, refusals."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- /publ-sync answers ---------------------------------------------------------------
    "bot.ack.starting": {"ko": "동기화를 시작합니다…", "en": "Starting the sync…"},
    "bot.ack.reset_starting": {
        "ko": "저장된 로그인 세션을 휴지통으로 옮기고 새로 로그인해서 동기화합니다…",
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
        "ko": "이미 동기화가 진행 중입니다 ({who} 시작, {time}). 새 동기화는 시작하지 "
              "않았습니다. 끝나면 결과가 채널에 올라옵니다.",
        "en": "A sync is already running (started by {who} at {time}). No new sync was "
              "started; its result will appear in the channel when it ends.",
    },
    "bot.reset.done": {
        "ko": "저장된 로그인 세션을 휴지통(trash 폴더)으로 옮겼습니다. 다음 동기화 때 "
              "새로 로그인합니다.",
        "en": "The saved login session was set aside (trash folder). The next sync logs in "
              "afresh.",
    },
    "bot.reset.busy": {
        "ko": "지금은 세션을 휴지통으로 옮길 수 없습니다. {running}",
        "en": "The session cannot be set aside right now. {running}",
    },
    "bot.status.failed_to_read": {
        "ko": "상태를 읽지 못했습니다 ({reason}). 데이터베이스 연결을 `publ-sync doctor`로 "
              "확인해 주세요.",
        "en": "Could not read the status ({reason}). Check the database with "
              "`publ-sync doctor`.",
    },
    "bot.reset.failed": {
        "ko": "세션 파일을 휴지통으로 옮기지 못했습니다: {reason}",
        "en": "Could not set the session file aside: {reason}",
    },
    # --- who or what started a run ----------------------------------------------------------
    # `{trigger}` is the trigger's word (`trigger.*`, the terminal's too); the mention of
    # who pressed or typed is Slack's own addition. A trigger with no sentence of its own
    # (one written by a newer version, say) is its word alone.
    "bot.trigger.slash": {"ko": "{who}님이 {trigger}로 실행",
                          "en": "Run by {who} with {trigger}"},
    "bot.trigger.button": {"ko": "{who}님이 {trigger}으로 실행",
                           "en": "Run by {who} with the {trigger}"},
    "bot.trigger.catch_up": {
        "ko": "봇이 꺼져 있던 동안 {trigger}",
        "en": "Catch-up of a {trigger} (the bot was off)",
    },
    "bot.trigger.cli": {"ko": "{trigger}(publ-sync run)에서 실행", "en": "Run from the {trigger}"},
    "bot.someone": {"ko": "누군가", "en": "someone"},
    # who started a run, as the busy note says it ("started by …")
    "bot.starter.slash": {"ko": "{who}님이 {trigger}로", "en": "{who} with {trigger}"},
    "bot.starter.button": {"ko": "{who}님이 {trigger}으로", "en": "{who} with the {trigger}"},
    "bot.starter.schedule": {"ko": "{trigger}가", "en": "the {trigger}"},
    "bot.starter.catch_up": {"ko": "{trigger}가", "en": "the catch-up of a {trigger}"},
    "bot.starter.cli": {"ko": "{trigger}(publ-sync run)에서", "en": "the {trigger}"},
    "bot.starter.other": {"ko": "{trigger}(으)로", "en": "the {trigger} trigger"},
    # --- the run message ------------------------------------------------------------------
    "bot.run.running_header": {"ko": "⏳ publ 동기화 진행 중…", "en": "⏳ publ sync running…"},
    "bot.run.running_body": {
        "ko": "회원 · 주문 · 환불 데이터를 내려받아 저장하고 있습니다. 끝나면 이 메시지가 "
              "결과로 바뀝니다.",
        "en": "Downloading and saving members, orders and refunds. This message turns into "
              "the result when it ends.",
    },
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
    "bot.run.duration": {"ko": "소요 {duration}", "en": "took {duration}"},
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
        "ko": "저장된 세션을 휴지통으로 옮기고 새로 로그인해도 publ이 받아주지 않았습니다. "
              "서버 관리자가 .env의 PUBL_EMAIL과 PUBL_PASSWORD를 publ 콘솔에 직접 로그인할 때 "
              "쓰는 값으로 고치고 봇을 다시 시작한 뒤 `/publ-sync`로 다시 실행해야 합니다.",
        "en": "publ refused even a fresh login. Whoever runs the server has to put the "
              "publ console login into PUBL_EMAIL and PUBL_PASSWORD in .env and restart the "
              "bot; then run `/publ-sync` again.",
    },
    "bot.hint.layout_changed": {
        "ko": "서버 관리자가 서버에서 `publ-sync doctor`를 실행해 ✗로 표시된 화면을 찾고, "
              ".env의 PUBL_… 설정을 지금 publ 화면의 버튼 이름·주소로 고친 뒤 "
              "`/publ-sync`로 다시 실행해야 합니다.",
        "en": "Whoever runs the server has to run `publ-sync doctor` there to see which page "
              "is marked ✗, set the PUBL_… settings in .env to the names and paths publ "
              "shows now, then run `/publ-sync` again.",
    },
    "bot.hint.download_failed": {
        "ko": "네트워크나 publ 쪽 문제로 보입니다 (봇이 이미 여러 번 다시 받아 보았습니다). "
              "다음 예약 동기화 때 자동으로 다시 시도하고, 지금 받으려면 잠시 뒤 "
              "`/publ-sync`로 다시 실행하세요.",
        "en": "This looks like the network or publ (the bot already retried several times). "
              "The next scheduled sync tries again by itself; to fetch now, run `/publ-sync` "
              "again in a while.",
    },
    "bot.hint.file_missing": {
        "ko": "publ이 다운로드 버튼을 보여주지 않는 반쯤 만료된 세션일 수 있습니다. "
              "`/publ-sync reset-session`으로 저장된 세션을 휴지통으로 옮긴 뒤 `/publ-sync`로 다시 "
              "실행하세요.",
        "en": "A half-expired session can hide publ's download button. Set it aside with "
              "`/publ-sync reset-session`, then run `/publ-sync` again.",
    },
    "bot.hint.file_invalid": {
        "ko": "저장된 데이터는 바뀌지 않았고 파일은 서버의 storage/downloads/에 남아 있습니다. "
              "서버 관리자가 파일을 확인하고, publ이 내보내기 형식을 바꿨다면 개발 담당자에게 "
              "알려야 합니다.",
        "en": "Stored data was not changed and the file is kept in the server's "
              "storage/downloads/. Whoever runs the server has to look at it and, if publ "
              "changed its export format, tell the developer.",
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
        "ko": "저장된 데이터는 바뀌지 않았습니다. 서버 관리자가 `publ-sync doctor`로 "
              "데이터베이스 연결과 디스크 공간을 확인한 뒤 `/publ-sync`로 다시 실행해야 합니다.",
        "en": "Stored data was not changed. Whoever runs the server has to check the database "
              "and the disk with `publ-sync doctor`, then run `/publ-sync` again.",
    },
    "bot.hint.unexpected": {
        "ko": "`/publ-sync`로 다시 실행해 보세요. 계속되면 서버 관리자가 봇 기록(로그)과 함께 "
              "개발 담당자에게 알려야 합니다.",
        "en": "Run `/publ-sync` again; if it keeps happening, whoever runs the server has to "
              "tell the developer and include the bot's log.",
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
    "bot.status.outbox_waiting": {
        "ko": "Slack에 아직 전달하지 못한 메시지: {count}건 (Slack이 응답하면 보냅니다)",
        "en": "Messages not yet delivered to Slack: {count} (sent when Slack answers)",
    },
    # --- doctor's Slack checks (bot/slack_channel.py) ---------------------------------------
    "bot.doctor.scopes_ok": {
        "ko": "Slack 권한: 봇에 필요한 권한이 모두 있습니다",
        "en": "Slack scopes: the bot has every scope it needs",
    },
    "bot.doctor.scopes_missing": {
        "ko": "Slack 권한: {scopes} 권한이 없습니다. manifest.yaml 을 다시 붙여 넣고 앱을 다시 "
              "설치하세요 (api.slack.com/apps → 앱 → App Manifest, 그다음 Install App).",
        "en": "Slack scopes: {scopes} missing. Paste manifest.yaml again and reinstall the app "
              "(api.slack.com/apps → the app → App Manifest, then Install App).",
    },
    "bot.doctor.channel_not_found": {
        "ko": "Slack 채널: {channel}을(를) 찾지 못했습니다. 채널 ID를 확인하고, 비공개 채널이면 "
              "`/invite @publ-sync`",
        "en": "Slack channel: {channel} not found. Check the channel id, and if it is a "
              "private channel, type `/invite @publ-sync` in it",
    },
    "bot.doctor.not_member_public": {
        "ko": "Slack 채널: 봇이 {channel}에 들어가 있지 않습니다. publ-bot 이 시작할 때 들어가며, "
              "지금 들어가게 하려면 채널에서 `/invite @publ-sync`",
        "en": "Slack channel: the bot is not in {channel}. publ-bot joins it when it starts; "
              "to add it now, type `/invite @publ-sync` in the channel",
    },
    "bot.doctor.not_member_private": {
        "ko": "Slack 채널: 봇이 비공개 채널 {channel}에 없습니다. 채널에서 `/invite @publ-sync`",
        "en": "Slack channel: the bot is not in the private channel {channel}. Type "
              "`/invite @publ-sync` in it",
    },
    # --- delivery -------------------------------------------------------------------------
    "bot.delivery.late": {
        "ko": "{time} 결과 — Slack 장애로 늦게 전달됨",
        "en": "{time} result — delivered late because Slack was unreachable",
    },
    "bot.delivery.pointer": {
        "ko": "⬇️ 이 동기화의 결과는 아래 새 메시지에 있습니다.",
        "en": "⬇️ This sync's result is in the new message below.",
    },
    "bot.downtime": {
        "ko": "봇이 {hours}시간 꺼져 있었습니다; 놓친 동기화를 실행합니다.",
        "en": "The bot was off for {hours} hours; running the missed sync.",
    },
    "bot.age.minutes": {"ko": "{n}분", "en": "{n} min"},
    "bot.age.hours": {"ko": "{n}시간", "en": "{n} h"},
    "bot.age.days": {"ko": "{n}일 {h}시간", "en": "{n} d {h} h"},
    # --- help -----------------------------------------------------------------------------
    "bot.help": {
        "ko": "*publ 동기화 사용법*\n"
              "• `/publ-sync` — 지금 회원·주문·환불을 동기화합니다. 결과는 이 채널에 올라옵니다.\n"
              "• `/publ-sync status` — 마지막 동기화 결과, 연속 실패, 로그인 세션, 다음 예약 시간\n"
              "• `/publ-sync report` (또는 `report 30d`) — 최근 7일(30일) 주문·매출·회원·환불 "
              "요약, 나만 보기\n"
              "• `/publ-sync reset-session` — 저장된 로그인 세션을 휴지통으로 옮깁니다. 다음 "
              "동기화 때 새로 로그인합니다 (로그인 문제가 계속될 때)\n"
              "• `/publ-sync help` — 이 도움말",
        "en": "*publ sync — how to use*\n"
              "• `/publ-sync` — sync members, orders and refunds now; the result appears in "
              "this channel.\n"
              "• `/publ-sync status` — last results, failure streak, login session, next "
              "scheduled sync\n"
              "• `/publ-sync report` (or `report 30d`) — orders, revenue, members and "
              "refunds of the last 7 (30) days, shown only to you\n"
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
    "bot.start.missing_mode": {
        "ko": "publ-bot을 시작할 수 없습니다: {names} 설정이 비어 있습니다 (Socket Mode; HTTP "
              "모드로 쓸 때는 SLACK_APP_TOKEN 대신 SLACK_SIGNING_SECRET). .env를 확인해 주세요 "
              "(README.ko.md 참고).",
        "en": "publ-bot cannot start: {names} is not set (Socket Mode; for HTTP mode set "
              "SLACK_SIGNING_SECRET instead of SLACK_APP_TOKEN). Check .env (see README).",
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
    "bot.start.ready": {
        "ko": "publ-bot 준비 완료: Slack 요청과 예약 동기화를 받습니다.",
        "en": "publ-bot is ready: taking Slack requests and running the schedule.",
    },
    "bot.start.http": {
        "ko": "publ-bot이 HTTP 모드로 시작했습니다: 포트 {port}, 경로 /slack/events",
        "en": "publ-bot started in HTTP mode on port {port}, path /slack/events",
    },
    "bot.stop.stopping": {
        "ko": "publ-bot을 멈춥니다: 새 요청은 받지 않고, 진행 중인 동기화가 있으면 끝날 때까지 "
              "기다립니다.",
        "en": "publ-bot is stopping: no new requests; a running sync may finish first.",
    },
    # --- opening the Socket Mode connection (bot/connection.py) ---------------------------
    "bot.connect.attempt_failed": {
        "ko": "Slack 연결 시도 {attempt}/{attempts} 실패 ({reason}). {seconds}초 뒤 다시 "
              "시도합니다.",
        "en": "Slack connection attempt {attempt}/{attempts} failed ({reason}); trying again "
              "in {seconds} s.",
    },
    "bot.connect.refused": {
        "ko": "publ-bot을 시작할 수 없습니다: Slack이 SLACK_APP_TOKEN을 거절했습니다 ({reason}). "
              "Slack 앱 설정의 Basic Information → App-Level Tokens에서 connections:write "
              "권한으로 xapp- 토큰을 새로 만들어 .env의 SLACK_APP_TOKEN에 넣고 봇을 다시 시작해 "
              "주세요.",
        "en": "publ-bot cannot start: Slack refused SLACK_APP_TOKEN ({reason}). Generate a new "
              "xapp- token with connections:write under Basic Information → App-Level Tokens "
              "in the Slack app's settings, put it in SLACK_APP_TOKEN in .env and start the bot "
              "again.",
    },
    "bot.connect.unreachable": {
        "ko": "publ-bot을 시작할 수 없습니다: {attempts}번 시도했지만 Slack에 연결하지 "
              "못했습니다 ({reason}). 이 서버의 인터넷 연결과 SLACK_API_URL({url})을 확인해 "
              "주세요. systemd로 실행 중이면 잠시 뒤 다시 시작합니다.",
        "en": "publ-bot cannot start: could not reach Slack after {attempts} attempts "
              "({reason}). Check this server's internet connection and SLACK_API_URL ({url}); "
              "under systemd it is started again shortly.",
    },
}
