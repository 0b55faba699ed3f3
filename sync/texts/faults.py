"""Texts for faults of the machine and the database (sync/faults.py) and file permissions."""

MESSAGES: dict[str, dict[str, str]] = {
    "fault.disk_full": {
        "ko": "디스크가 가득 찼습니다 (남은 공간 {free}). 저장 폴더 {folder} 안의 archive/, "
              "trash/, debug/에서 오래된 파일을 지우거나 디스크 공간을 늘린 뒤 다시 실행하세요.",
        "en": "The disk is full ({free} free). Delete old files from archive/, trash/ and "
              "debug/ in the storage folder {folder}, or free space on the disk, then run "
              "again.",
    },
    "fault.database_locked": {
        "ko": "다른 프로그램이 데이터베이스 {path}를 {seconds}초 넘게 잠그고 있어 쓰지 "
              "못했습니다. 그 프로그램(열어 둔 DB 도구 등)을 닫고 다시 실행하세요.",
        "en": "Another program kept the database {path} locked for more than {seconds} s, so "
              "nothing could be written. Close that program (a database tool left open, say) "
              "and run again.",
    },
    "fault.database_damaged": {
        "ko": "데이터베이스 파일이 손상되었습니다: {path}를 다른 곳으로 옮기고 다시 "
              "실행하세요 (새 데이터베이스가 만들어집니다).",
        "en": "The database file is damaged: move {path} aside and run again (a new "
              "database is then created).",
    },
    "fault.read_only": {
        "ko": "{path}에 쓸 수 없습니다 (읽기 전용이거나 권한 없음). 이 사용자가 쓸 수 "
              "있게 한 뒤 다시 실행하세요.",
        "en": "Cannot write to {path} (read-only, or no permission). Let this user write "
              "there, then run again.",
    },
    "fault.database_unreachable": {
        "ko": "데이터베이스 서버 {where}에 연결할 수 없습니다. 서버가 켜져 있는지, "
              "DATABASE_URL의 주소가 맞는지 확인하세요.",
        "en": "Cannot connect to the database server at {where}. Check that it is running "
              "and that DATABASE_URL points to it.",
    },
    "fault.database_url": {
        "ko": "DATABASE_URL이 올바른 데이터베이스 주소가 아닙니다. .env.example의 예처럼 "
              "고치세요.",
        "en": "DATABASE_URL is not a valid database URL. Write it as in the example in "
              ".env.example.",
    },
}
