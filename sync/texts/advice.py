"""What to do about a failure, as the terminal says it after `publ-sync run` / `import`: the
same one recommended action as in Slack (`sync.advice`), in command-line words."""

MESSAGES: dict[str, dict[str, str]] = {
    "advice.cli.login_failed": {
        "ko": "할 일: .env의 PUBL_EMAIL과 PUBL_PASSWORD를 publ 콘솔에 직접 로그인할 때 쓰는 값으로 "
              "고친 뒤 `publ-sync run`을 다시 실행하세요.",
        "en": "What to do: put the publ console login into PUBL_EMAIL and PUBL_PASSWORD in "
              ".env, then run `publ-sync run` again.",
    },
    "advice.cli.layout_changed": {
        "ko": "할 일: `publ-sync doctor`로 ✗ 표시된 화면을 찾아 .env의 PUBL_… 설정을 지금 "
              "publ 화면에 맞게 고친 뒤 `publ-sync run`을 다시 실행하세요.",
        "en": "What to do: find the page marked ✗ with `publ-sync doctor`, set the PUBL_… "
              "settings in .env to what publ shows now, then run `publ-sync run` again.",
    },
    "advice.cli.download_failed": {
        "ko": "할 일: 인터넷 연결과 publ 콘솔이 열리는지 확인하고 잠시 뒤 `publ-sync run`을 "
              "다시 실행하세요.",
        "en": "What to do: check that the internet and the publ console are reachable, then "
              "run `publ-sync run` again in a while.",
    },
    "advice.cli.file_missing": {
        "ko": "할 일: `publ-sync reset-session`으로 저장된 세션을 휴지통으로 옮긴 뒤 "
              "`publ-sync run`을 다시 실행하세요.",
        "en": "What to do: set the saved session aside with `publ-sync reset-session`, then "
              "run `publ-sync run` again.",
    },
    "advice.cli.file_invalid": {
        "ko": "할 일: 파일의 위에 적힌 열이나 줄을 확인하세요. 고쳤다면 `publ-sync import "
              "<파일>`로 가져오고, publ이 형식을 바꿨다면 개발 담당자에게 알려 주세요.",
        "en": "What to do: look at the column or line named above. After fixing the file, "
              "`publ-sync import <file>` imports it; if publ changed its format, tell the "
              "developer.",
    },
    "advice.cli.database": {
        "ko": "할 일: `publ-sync doctor`로 데이터베이스 연결과 디스크 공간을 확인한 뒤 다시 "
              "실행하세요.",
        "en": "What to do: check the database and the disk with `publ-sync doctor`, then run "
              "again.",
    },
    "advice.cli.unexpected": {
        "ko": "할 일: 다시 실행해 보시고, 계속되면 `publ-sync status` 결과와 함께 개발 담당자에게 "
              "알려 주세요.",
        "en": "What to do: run it again; if it keeps happening, tell the developer and include "
              "what `publ-sync status` shows.",
    },
}
