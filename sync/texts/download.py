"""Texts of the downloader, the sandbox demo and the browser commands (run, doctor, …)."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- pages, as an operator knows them -------------------------------------------------
    "download.page.login": {"ko": "로그인", "en": "login"},
    "download.page.channels": {"ko": "채널 목록", "en": "channel list"},
    "download.page.members": {"ko": "회원", "en": "members"},
    "download.page.orders": {"ko": "주문", "en": "orders"},
    "download.page.refunds": {"ko": "환불", "en": "refunds"},
    # One page's export, as a message about a damaged page names it.
    "download.page_file": {"ko": "{page} {number}페이지에서 내려받은 파일",
                           "en": "the file of {page} page {number}"},
    # what the download stage was doing, for "stopped after SYNC_TIMEOUT_SECONDS"
    "download.step.browser": {"ko": "브라우저를 시작하는 중", "en": "starting the browser"},
    "download.step.login": {"ko": "로그인하는 중", "en": "logging in"},
    "download.step.page": {"ko": "{page} {number}페이지를 내려받는 중",
                           "en": "downloading {page} page {number}"},
    "download.step.export": {"ko": "{page} 파일을 내려받는 중", "en": "downloading {page}"},
    "download.sync_timeout": {
        "ko": "{step} {limit} 지나 중단했습니다. 다음 동기화는 평소처럼 다시 시도합니다.",
        "en": "Stopped after {limit} while {step}. The next sync tries again as usual.",
    },
    "download.fallback_wrong_file": {
        "ko": "{page} 화면의 `{setting}` 이 맞지 않아 비슷한 버튼을 눌렀지만, 받은 파일이 {page} "
              "내보내기가 아니었습니다. 서버 관리자에게 `{setting}` 설정을 새 화면에 맞게 "
              "바꿔 달라고 전해 주세요.",
        "en": "On the {page} page `{setting}` no longer matched; a similar button was pressed "
              "but its file was not the {page} export. Ask whoever maintains the server to "
              "update the `{setting}` setting.",
    },
    # drift warnings: a control found only through a looser fallback
    "drift.how.name": {"ko": "이름(띄어쓰기·대소문자 무시)",
                       "en": "name, spacing and case ignored"},
    "drift.how.attributes": {"ko": "입력란 속성", "en": "form attributes"},
    "drift.how.alert": {"ko": "role=alert", "en": "role=alert"},
    "drift.how.near_form": {"ko": "로그인 양식 근처의 글", "en": "text near the login form"},
    "drift.how.icon_title": {"ko": "아이콘 버튼의 제목", "en": "the icon button's title"},
    "drift.line": {
        "ko": "publ 화면이 조금 바뀌었지만 동기화는 정상입니다: {page} 화면의 `{setting}` 대신 "
              "{how}(으)로 찾았습니다 (\"{found}\").",
        "en": "publ's screen changed a little but syncing works: on the {page} page, "
              "`{setting}` no longer matched; found by {how} (\"{found}\").",
    },
    "drift.notice": {
        "ko": "지금 하실 일은 없습니다. 서버 관리자에게 `{setting}` 설정을 새 화면에 맞게 "
              "바꿔 달라고 전해 주세요.",
        "en": "Nothing needs doing now. Ask whoever maintains the server to update the "
              "`{setting}` setting to the new screen.",
    },
    "drift.status_title": {"ko": "publ 화면 변화 경고", "en": "publ screen drift warnings"},
    # --- errors ---------------------------------------------------------------------------
    "download.browser_missing": {
        "ko": "브라우저(Chromium)를 찾을 수 없습니다{where}. "
              "`sudo apt-get install chromium` 또는 `playwright install chromium`으로 설치하거나, "
              ".env의 CHROMIUM_PATH에 브라우저 실행 파일 경로를 적어 주세요.",
        "en": "No Chromium browser was found{where}. Install one with "
              "`sudo apt-get install chromium` or `playwright install chromium`, or put the "
              "browser's path in CHROMIUM_PATH in .env.",
    },
    "download.browser_missing_at": {
        "ko": " (CHROMIUM_PATH={path} 에 파일이 없습니다)",
        "en": " (CHROMIUM_PATH={path} does not exist)",
    },
    "download.browser_failed": {
        "ko": "브라우저를 시작하지 못했습니다: {reason}",
        "en": "The browser could not be started: {reason}",
    },
    "download.login_failed": {
        "ko": "publ 로그인에 실패했습니다. 로그인 화면의 메시지: “{said}”",
        "en": "Logging in to publ failed. The login page said: “{said}”",
    },
    "download.login_no_message": {
        "ko": "(메시지 없이 로그인 화면에 머물렀습니다)",
        "en": "(it stayed on the login page without a message)",
    },
    "download.element_missing": {
        "ko": "publ {page} 화면에서 ‘{what}’을(를) 찾지 못했습니다 (설정 {setting}). publ 화면이 "
              "바뀌었을 수 있습니다.",
        "en": "Could not find ‘{what}’ on the publ {page} page (setting {setting}). The publ "
              "page may have changed.",
    },
    "download.page_timeout": {
        "ko": "publ {page} 페이지가 {seconds}초 안에 열리지 않았습니다.",
        "en": "The publ {page} page did not open within {seconds} s.",
    },
    "download.network": {
        "ko": "publ에 연결하지 못했습니다 ({reason}). 인터넷 연결을 확인해 주세요.",
        "en": "Could not reach publ ({reason}). Check the internet connection.",
    },
    "download.not_started": {
        "ko": "{type} 파일 다운로드가 {seconds}초 안에 시작되지 않았습니다.",
        "en": "The {type} download did not start within {seconds} s.",
    },
    "download.broken": {
        "ko": "{type} 파일 다운로드가 중간에 끊겼습니다.",
        "en": "The {type} download broke off part-way.",
    },
    "download.browser_crashed": {
        "ko": "다운로드 중 브라우저가 멈췄습니다 ({reason}).",
        "en": "The browser stopped during the download ({reason}).",
    },
    "download.gave_up": {
        "ko": "{reason} {attempts}번 시도했지만 모두 실패했습니다.",
        "en": "{reason} All {attempts} attempts failed.",
    },
    "download.no_key_column": {
        "ko": "{type} 파일에 ‘{column}’ 열이 없습니다. publ의 내보내기 형식이 바뀌었을 수 "
              "있습니다.",
        "en": "The {type} file has no ‘{column}’ column. publ's export format may have changed.",
    },
    "download.session_redirected": {
        "ko": "publ {page} 페이지가 로그인 화면으로 돌아갔습니다 (세션이 도중에 끊김).",
        "en": "The publ {page} page sent us back to the login page (the session ended).",
    },
    # --- the CLI --------------------------------------------------------------------------
    "download.cli.settings_missing": {
        "ko": "다음 설정이 비어 있습니다: {names}. .env 파일(또는 환경 변수)에 값을 넣어 주세요. "
              "예: PUBL_EMAIL=you@example.com",
        "en": "These settings are empty: {names}. Put values in .env (or the environment), "
              "e.g. PUBL_EMAIL=you@example.com",
    },
    "download.cli.already_running": {
        "ko": "이미 동기화가 진행 중입니다 (실행 {run_id}, {trigger}, {started} 시작). "
              "끝난 뒤 다시 실행해 주세요.",
        "en": "A sync is already running (run {run_id}, {trigger}, started {started}). "
              "Try again when it ends.",
    },
    "download.cli.session_reset": {
        "ko": "저장된 로그인 세션을 휴지통으로 옮겼습니다: {path}. "
              "다음 동기화 때 새로 로그인합니다.",
        "en": "The saved login session was moved to the trash: {path}. The next sync logs in "
              "again.",
    },
    "download.cli.debug_files": {
        "ko": "화면 캡처와 HTML (이 컴퓨터에만 보관): {paths}",
        "en": "Screenshots and HTML (kept on this machine only): {paths}",
    },
    "download.demo.intro": {
        "ko": "데모: 내장 샌드박스 콘솔({url})과 임시 폴더({folder})로 실제 동기화 과정을 "
              "실행합니다. 설정된 저장소와 데이터베이스는 건드리지 않습니다.",
        "en": "Demo: running the real sync against the built-in sandbox console ({url}) in a "
              "temporary folder ({folder}). Your configured storage and database are not "
              "touched.",
    },
    "download.demo.first": {
        "ko": "1) 첫 동기화 (빈 데이터베이스: 주문 전체 페이지를 가져옵니다)",
        "en": "1) First sync (empty database: every orders page is fetched)",
    },
    "download.demo.second": {
        "ko": "2) 새 주문 {orders}건과 새 회원 {members}명이 생긴 뒤 다시 동기화 "
              "(저장된 세션 재사용)",
        "en": "2) Sync again after {orders} new orders and {members} new members "
              "(reusing the saved session)",
    },
    "download.demo.done": {
        "ko": "데모 완료. 실제 publ 계정으로 쓰려면 .env에 PUBL_EMAIL, PUBL_PASSWORD, "
              "PUBL_CHANNEL_ID를 넣고 `publ-sync doctor`로 확인하세요.",
        "en": "Demo finished. To use your publ account, put PUBL_EMAIL, PUBL_PASSWORD and "
              "PUBL_CHANNEL_ID in .env and check with `publ-sync doctor`.",
    },
    "download.demo.failed": {
        "ko": "데모 동기화가 실패했습니다. 위 보고서를 확인해 주세요.",
        "en": "The demo sync failed; see the report above.",
    },
    # --- doctor ---------------------------------------------------------------------------
    "download.doctor.title": {"ko": "publ-sync 점검", "en": "publ-sync check"},
    "download.doctor.settings_ok": {
        "ko": "설정: PUBL_EMAIL, PUBL_PASSWORD, PUBL_CHANNEL_ID가 있습니다",
        "en": "Settings: PUBL_EMAIL, PUBL_PASSWORD, PUBL_CHANNEL_ID are set",
    },
    "download.doctor.settings_bad": {"ko": "설정: {problem}", "en": "Settings: {problem}"},
    "download.doctor.browser_ok": {
        "ko": "브라우저: {path} 실행됨", "en": "Browser: {path} starts",
    },
    "download.doctor.browser_bad": {"ko": "브라우저: {problem}", "en": "Browser: {problem}"},
    "download.doctor.login_ok": {
        "ko": "로그인: {email} 계정으로 로그인됨", "en": "Login: logged in as {email}",
    },
    "download.doctor.login_bad": {"ko": "로그인: {problem}", "en": "Login: {problem}"},
    "download.doctor.page_ok": {
        "ko": "{page} 페이지: ‘{what}’ 있음", "en": "{page} page: ‘{what}’ found",
    },
    "download.doctor.page_bad": {"ko": "{page} 페이지: {problem}", "en": "{page} page: {problem}"},
    "download.doctor.screenshot": {
        "ko": "화면 캡처: {path}", "en": "Screenshot: {path}",
    },
    "download.doctor.skipped_no_login": {
        "ko": "{page} 페이지: 로그인하지 못해 확인하지 않았습니다",
        "en": "{page} page: not checked because the login failed",
    },
    "download.doctor.permissions_ok": {
        "ko": "파일 권한: .env, 데이터베이스, 저장 폴더는 이 사용자만 읽을 수 있습니다",
        "en": "File permissions: .env, the database and the storage folder are this "
              "user's only",
    },
    "download.doctor.permissions_loose": {
        "ko": "파일 권한: {path}을(를) 다른 사용자도 읽을 수 있습니다 ({mode}). "
              "고치려면: {chmod}",
        "en": "File permissions: other users can read {path} ({mode}). To fix: {chmod}",
    },
    "download.doctor.database_ok": {
        "ko": "데이터베이스: 연결됨 ({url})", "en": "Database: connected ({url})",
    },
    "download.doctor.database_bad": {
        "ko": "데이터베이스: 연결하지 못했습니다 ({reason}). DATABASE_URL을 확인해 주세요.",
        "en": "Database: could not connect ({reason}). Check DATABASE_URL.",
    },
    "download.doctor.slack_skipped": {
        "ko": "Slack: SLACK_BOT_TOKEN이 없어 확인하지 않았습니다 (CLI만 쓸 때는 필요 없습니다)",
        "en": "Slack: not checked, SLACK_BOT_TOKEN is empty (not needed for the CLI alone)",
    },
    "download.doctor.slack_token_ok": {
        "ko": "Slack 토큰: {team} 워크스페이스의 봇 {user}",
        "en": "Slack token: bot {user} in {team}",
    },
    "download.doctor.slack_token_bad": {
        "ko": "Slack 토큰: 거부됨 ({reason}). SLACK_BOT_TOKEN(xoxb-…)을 다시 확인해 주세요.",
        "en": "Slack token: refused ({reason}). Check SLACK_BOT_TOKEN (xoxb-…).",
    },
    "download.doctor.slack_channel_ok": {
        "ko": "Slack 채널: {channel} 확인됨", "en": "Slack channel: {channel} found",
    },
    "download.doctor.slack_channel_missing": {
        "ko": "Slack 채널: SLACK_CHANNEL이 비어 있어 예약 보고와 알림을 보낼 곳이 없습니다",
        "en": "Slack channel: SLACK_CHANNEL is empty, so scheduled reports and alerts have "
              "nowhere to go",
    },
    "download.doctor.slack_channel_bad": {
        "ko": "Slack 채널: {channel}을(를) 찾지 못했습니다 ({reason}). 채널 ID(C…)를 확인하고 "
              "봇을 채널에 초대해 주세요.",
        "en": "Slack channel: {channel} not found ({reason}). Check the channel id (C…) and "
              "invite the bot to the channel.",
    },
    "download.doctor.app_token_ok": {
        "ko": "Slack 앱 토큰: Socket Mode 연결 가능",
        "en": "Slack app token: Socket Mode can connect",
    },
    "download.doctor.app_token_bad": {
        "ko": "Slack 앱 토큰: 거부됨 ({reason}). Slack 앱 설정의 Basic Information → "
              "App-Level Tokens에서 connections:write 권한으로 새 xapp- 토큰을 만들어 "
              "SLACK_APP_TOKEN에 넣어 주세요.",
        "en": "Slack app token: refused ({reason}). Generate a new xapp- token with "
              "connections:write under Basic Information → App-Level Tokens and put it in "
              "SLACK_APP_TOKEN.",
    },
    "download.doctor.app_token_unreachable": {
        "ko": "Slack 앱 토큰: Slack에 연결하지 못했습니다 ({reason}). 이 서버의 인터넷 연결과 "
              "SLACK_API_URL({url})을 확인해 주세요.",
        "en": "Slack app token: could not reach Slack ({reason}). Check this server's "
              "internet connection and SLACK_API_URL ({url}).",
    },
    "download.doctor.snapshot_saved": {
        "ko": "publ 화면 구조를 저장했습니다: {path}\n"
              "이름·이메일·전화번호 같은 개인정보는 가려져 있습니다. publ 화면이 바뀌어 "
              "동기화가 안 될 때 이 파일을 개발 담당자에게 보내 주세요.",
        "en": "Saved the structure of the publ pages: {path}\n"
              "Personal data such as names, e-mails and phone numbers is masked. When publ "
              "changes its pages and syncing stops, send this file to the developer.",
    },
    "download.doctor.snapshot_not_saved": {
        "ko": "publ 화면 구조를 저장하지 못했습니다: {reason}",
        "en": "Could not save the structure of the publ pages: {reason}",
    },
    "download.doctor.snapshot_no_pages": {
        "ko": "열 수 있는 페이지가 없었습니다 (위의 ✗ 항목을 먼저 고쳐 주세요)",
        "en": "no page could be opened (fix the items marked ✗ above first)",
    },
    "download.doctor.all_ok": {
        "ko": "모든 점검을 통과했습니다.", "en": "Every check passed.",
    },
    "download.doctor.some_bad": {
        "ko": "위에서 ✗ 표시된 항목을 고친 뒤 `publ-sync doctor`를 다시 실행해 주세요.",
        "en": "Fix the items marked ✗ above, then run `publ-sync doctor` again.",
    },
}
