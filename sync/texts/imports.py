"""Texts of the import engine, the report and status tables, and `publ-sync import/status`."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- a file that cannot be imported at all (error kind file_invalid) ------------------
    "imports.error.empty_file": {
        "ko": "{type} 파일이 비어 있습니다 ({file}). 다시 내려받아 주세요.",
        "en": "The {type} file is empty ({file}). Please download it again.",
    },
    "imports.error.encoding": {
        "ko": "{type} 파일의 글자 인코딩을 읽을 수 없습니다 ({file}). "
              "UTF-8 또는 엑셀의 CSV(CP949) 형식으로 저장해 주세요.",
        "en": "The {type} file's text encoding cannot be read ({file}). "
              "Save it as UTF-8 or Excel CSV (CP949).",
    },
    "imports.error.damaged": {
        "ko": "{type} 파일의 {line}번째 줄에 깨진 글자가 있습니다 ({file}). "
              "파일이 손상된 것 같습니다. 다시 내려받아 주세요.",
        "en": "Line {line} of the {type} file has broken characters ({file}). "
              "The file looks damaged; please download it again.",
    },
    "imports.error.damaged_line": {
        "ko": "{type} 파일의 {line}번째 줄을 읽을 수 없습니다 ({file}): {reason}. "
              "다시 내려받아 주세요.",
        "en": "Line {line} of the {type} file cannot be read ({file}): {reason}. "
              "Please download it again.",
    },
    "imports.error.xlsx": {
        "ko": "{type} 파일이 CSV가 아니라 엑셀 통합 문서(xlsx)입니다 ({file}). "
              "엑셀에서 'CSV UTF-8'로 저장해 주세요.",
        "en": "The {type} file is an Excel workbook (xlsx), not a CSV ({file}). "
              "Save it from Excel as 'CSV UTF-8'.",
    },
    "imports.error.no_header": {
        "ko": "{type} 파일에 머리글(첫 줄의 열 이름)이 없습니다 ({file}).",
        "en": "The {type} file has no header row with column names ({file}).",
    },
    "imports.error.missing_columns": {
        "ko": "{type} 파일에 꼭 있어야 할 열이 없습니다: {missing}. 파일에 있는 열: {found}",
        "en": "The {type} file lacks required column(s): {missing}. Columns in the file: {found}",
    },
    "imports.error.not_header": {
        "ko": "{type} 파일의 첫 줄이 예상한 머리글(열 이름)이 아닙니다 ({file}). 머리글 줄이 "
              "빠졌거나 다른 파일인 것 같습니다. 첫 줄에 있어야 할 열: {expected}",
        "en": "The first line of the {type} file is not the expected header ({file}): the "
              "header row is missing or this is another file. Expected columns: {expected}",
    },
    "imports.error.duplicate_headers": {
        "ko": "{type} 파일에 같은 이름의 열이 두 번 있습니다: {columns}",
        "en": "The {type} file has the same column twice: {columns}",
    },
    "imports.error.unreadable": {
        "ko": "{type} 파일을 읽지 못했습니다 ({file}): {reason}",
        "en": "Could not read the {type} file ({file}): {reason}",
    },
    # --- why one row was skipped ------------------------------------------------------------
    "imports.skip.empty_key": {
        "ko": "'{column}' 값이 비어 있습니다",
        "en": "'{column}' is empty",
    },
    "imports.skip.bad_price": {
        "ko": "'{column}' 값 '{value}'을(를) 금액으로 읽을 수 없습니다",
        "en": "'{column}' value '{value}' is not an amount",
    },
    "imports.skip.bad_date": {
        "ko": "'{column}' 값 '{value}'을(를) 날짜로 읽을 수 없습니다",
        "en": "'{column}' value '{value}' is not a date",
    },
    "imports.skip.price_too_large": {
        "ko": "'{column}' 값이 저장할 수 있는 금액보다 큽니다 ({digits}자리)",
        "en": "'{column}' is larger than any amount that can be stored ({digits} digits)",
    },
    "imports.skip.too_long": {
        "ko": "'{column}' 값이 {limit}자보다 깁니다 ({length}자)",
        "en": "'{column}' is longer than {limit} characters ({length})",
    },
    "imports.skip.nul_byte": {
        "ko": "'{column}' 값에 NUL 문자(0x00)가 들어 있습니다 (손상된 값)",
        "en": "'{column}' contains a NUL character (0x00): a damaged value",
    },
    "imports.skip.duplicate_key": {
        "ko": "'{column}' {value}이(가) 파일에 이미 나왔습니다 (앞의 줄을 가져왔습니다)",
        "en": "'{column}' {value} already appeared in the file (the earlier line was imported)",
    },
    "imports.skip.excel_exponent": {
        "ko": "'{column}' 값 {value}은(는) 엑셀이 긴 숫자를 지수 표기로 바꿔 저장한 것입니다 "
              "(원래 숫자를 알 수 없습니다). 엑셀에서 다시 저장하지 말고 내려받은 파일을 그대로 "
              "사용해 주세요",
        "en": "'{column}' value {value} is a long number Excel rewrote in exponent form (the "
              "real number is lost). Use the downloaded file as it is, not re-saved by Excel",
    },
    "imports.skip.field_count": {
        "ko": "열 개수가 맞지 않습니다 (머리글 {expected}개, 이 줄 {actual}개)",
        "en": "wrong number of columns (header {expected}, this line {actual})",
    },
    "imports.skip.cut_off": {
        "ko": "파일이 이 줄 중간에서 끝납니다 (내려받기가 중간에 끊긴 것 같습니다)",
        "en": "the file ends in the middle of this line (the download was probably cut off)",
    },
    "imports.skip.malformed": {
        "ko": "CSV 형식이 깨진 줄입니다 ({reason})",
        "en": "malformed CSV line ({reason})",
    },
    # --- a reason in a few words, for a summary of skipped lines (no values) ------------
    "imports.skip_label.bad_price": {"ko": "가격 형식 오류", "en": "bad price"},
    "imports.skip_label.price_too_large": {"ko": "가격이 너무 큼", "en": "price too large"},
    "imports.skip_label.bad_date": {"ko": "날짜 형식 오류", "en": "bad date"},
    "imports.skip_label.empty_key": {"ko": "키 값 없음", "en": "empty key"},
    "imports.skip_label.duplicate_key": {"ko": "중복된 키", "en": "repeated key"},
    "imports.skip_label.excel_exponent": {"ko": "엑셀 지수 표기", "en": "Excel exponent form"},
    "imports.skip_label.field_count": {"ko": "열 개수 불일치", "en": "wrong number of columns"},
    "imports.skip_label.cut_off": {"ko": "중간에 끊긴 줄", "en": "cut-off line"},
    "imports.skip_label.malformed": {"ko": "CSV 형식 깨짐", "en": "malformed CSV"},
    "imports.skip_label.too_long": {"ko": "값이 너무 김", "en": "value too long"},
    "imports.skip_label.nul_byte": {"ko": "NUL 문자", "en": "NUL character"},
    "imports.skip_label.other": {"ko": "기타", "en": "other"},
    # --- what to do about an older export refused (the other kinds: texts/advice.py) ----
    "advice.cli.stale_file": {
        "ko": "할 일: 보통은 없습니다 (더 새 내보내기를 이미 가져왔습니다). 그 파일을 꼭 "
              "가져와야 하면 `publ-sync import --force <파일>`을 실행하세요.",
        "en": "What to do: usually nothing (a newer export is already imported). To import "
              "that file anyway, run `publ-sync import --force <file>`.",
    },
    # --- the report table ---------------------------------------------------------------
    "imports.report.col_type": {"ko": "종류", "en": "Type"},
    "imports.report.col_result": {"ko": "결과", "en": "Result"},
    "imports.report.col_new": {"ko": "신규", "en": "New"},
    "imports.report.col_updated": {"ko": "변경", "en": "Updated"},
    "imports.report.col_unchanged": {"ko": "그대로", "en": "Unchanged"},
    "imports.report.col_skipped": {"ko": "건너뜀", "en": "Skipped"},
    "imports.report.col_seconds": {"ko": "시간(초)", "en": "Seconds"},
    "imports.report.col_file": {"ko": "파일", "en": "File"},
    "imports.report.footer": {
        "ko": "실행 ID {run_id} · {trigger} · 총 {duration}",
        "en": "Run {run_id} · {trigger} · {duration} in total",
    },
    "imports.report.error": {
        "ko": "{type} — {kind}: {message}", "en": "{type} — {kind}: {message}",
    },
    "imports.report.skipped_header": {
        "ko": "{type}: 가져오지 않은 줄 {count}개", "en": "{type}: {count} line(s) not imported",
    },
    "imports.report.skipped_line": {"ko": "{line}번째 줄: {reason}", "en": "line {line}: {reason}"},
    "imports.report.skipped_more": {
        "ko": "… 외 {count}개 (전체 목록은 sync_logs 의 details 에 있습니다)",
        "en": "… and {count} more (the full list is in sync_logs.details)",
    },
    "imports.report.set_aside": {
        "ko": "끝나지 않은 이전 실행이 downloads/에 남긴 것 {count}개를 {folder} 로 옮겼습니다 "
              "(지우지 않았습니다): {names}. 필요하면 `publ-sync import --force <파일>` 로 "
              "가져올 수 있습니다.",
        "en": "Moved {count} leftover(s) of unfinished runs from downloads/ to {folder} (not "
              "deleted): {names}. `publ-sync import --force <file>` imports one if needed.",
    },
    "imports.report.extra_columns": {
        "ko": "{type}: 알 수 없는 열 {columns} — 값은 extra 열에 보관했습니다",
        "en": "{type}: unknown column(s) {columns} — their values are kept in `extra`",
    },
    "imports.result.success": {"ko": "성공", "en": "Success"},
    "imports.result.failed": {"ko": "실패", "en": "Failed"},
    "imports.result.running": {"ko": "진행 중", "en": "Running"},
    # --- publ-sync import ---------------------------------------------------------------
    "imports.cli.file_not_found": {
        "ko": "파일이 없습니다: {path}", "en": "No such file: {path}",
    },
    "imports.cli.unknown_type": {
        "ko": "파일 이름으로 종류를 알 수 없습니다: {path}. "
              "--type members, --type orders 또는 --type refunds 로 알려 주세요.",
        "en": "Cannot tell the export type from the file name: {path}. "
              "Say it with --type members, --type orders or --type refunds.",
    },
    "imports.cli.same_type_twice": {
        "ko": "{type} 파일이 두 개입니다: {first}, {second}. "
              "종류마다 한 파일씩 가져올 수 있습니다.",
        "en": "Two {type} files were given: {first}, {second}. Import one file per type.",
    },
    "imports.cli.nothing_to_import": {
        "ko": "가져올 파일이 없습니다: {folder} 폴더에 publ 내보내기 CSV가 없습니다.",
        "en": "Nothing to import: there is no publ export CSV in {folder}.",
    },
    "imports.cli.already_running": {
        "ko": "다른 동기화가 이미 진행 중입니다 ({trigger}, {started} 시작). "
              "끝난 뒤 다시 실행해 주세요.",
        "en": "Another sync is already running ({trigger}, started {started}). "
              "Try again when it has finished.",
    },
    "imports.cli.database_unreachable": {
        "ko": "데이터베이스를 열지 못했습니다: {reason}",
        "en": "Could not open the database: {reason}",
    },
    "imports.cli.bad_timezone": {
        "ko": "TIMEZONE 설정 '{timezone}'은(는) 알 수 없는 시간대입니다 (예: Asia/Seoul).",
        "en": "TIMEZONE '{timezone}' is not a known time zone (e.g. Asia/Seoul).",
    },
    # --- publ-sync status ---------------------------------------------------------------
    "imports.status.title": {"ko": "publ-sync 상태", "en": "publ-sync status"},
    "imports.status.col_last_run": {"ko": "마지막 실행", "en": "Last run"},
    "imports.status.col_error": {"ko": "오류", "en": "Error"},
    "imports.status.never": {"ko": "기록 없음", "en": "never"},
    "imports.status.session": {
        "ko": "저장된 로그인 세션: {age} 전에 저장됨", "en": "Saved login session: saved {age} ago",
    },
    "imports.status.no_session": {
        "ko": "저장된 로그인 세션: 없음", "en": "Saved login session: none",
    },
    "imports.status.next_run": {
        "ko": "다음 예약 동기화: {when} ({schedule})",
        "en": "Next scheduled run: {when} ({schedule})",
    },
    "imports.status.bad_schedule": {
        "ko": "다음 예약 동기화: SYNC_SCHEDULE 값 '{schedule}'을(를) 읽을 수 없습니다",
        "en": "Next scheduled run: SYNC_SCHEDULE '{schedule}' cannot be read",
    },
    "imports.status.running_now": {
        "ko": "지금 실행 중: {trigger}, {started} 시작",
        "en": "Running now: {trigger}, started {started}",
    },
    # `status` only reads: what it found instead of a database it could show, and runs whose
    # process ended that it leaves for the next sync or bot start to close (the CLI and Slack).
    "imports.status.database_none": {
        "ko": "아직 동기화한 적이 없습니다 (데이터베이스가 아직 비어 있습니다). "
              "`publ-sync run`으로 첫 동기화를 하세요.",
        "en": "No sync yet (the database is still empty). Run `publ-sync run` for the first "
              "sync.",
    },
    "imports.status.database_unmigrated": {
        "ko": "데이터베이스가 이 버전의 publ-sync에 맞게 아직 갱신되지 않아 내용을 보여 주지 "
              "않습니다. 봇을 시작하거나 `publ-sync run`을 하면 갱신됩니다 "
              "(status는 읽기만 합니다).",
        "en": "The database is not yet updated for this version of publ-sync, so nothing is "
              "shown; starting the bot or `publ-sync run` updates it (status only reads).",
    },
    "imports.status.database_to_adopt": {
        "ko": "데이터베이스에 대시보드의 기존 표가 있어 아직 내용을 보여 주지 않습니다. 봇을 "
              "시작하거나 `publ-sync run`을 하면 그 표를 이어받습니다 (status는 읽기만 합니다).",
        "en": "The database holds the dashboard's existing tables, not yet taken over, so "
              "nothing is shown; starting the bot or `publ-sync run` adopts them (status only "
              "reads).",
    },
    "imports.status.stopped": {
        "ko": "멈춘 실행: {trigger}, {started} 시작 — 프로그램이 끝나 마치지 못했습니다. 다음 "
              "동기화나 봇 시작 때 실패로 기록됩니다.",
        "en": "Stopped run: {trigger}, started {started} — its program ended before it "
              "finished. The next sync or bot start records it as failed.",
    },
    "imports.status.outbox_waiting": {
        "ko": "Slack에 아직 전달하지 못한 메시지: {count}건 (봇이 Slack에 다시 연결되면 보냅니다)",
        "en": "Messages not yet delivered to Slack: {count} (the bot sends them when Slack "
              "answers)",
    },
}
