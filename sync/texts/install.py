"""Texts about where a command runs: the install folder, its `.env`, who owns the storage."""

MESSAGES: dict[str, dict[str, str]] = {
    "install.no_env": {
        "ko": "이 폴더에는 .env가 없습니다: 설치 폴더에서 실행하세요 (지금 폴더: {folder}). "
              "아무것도 만들지 않았습니다.",
        "en": "There is no .env in this folder: run this in the install folder (this folder: "
              "{folder}). Nothing was created.",
    },
    "install.env_unreadable": {
        "ko": "{path}을(를) 읽을 수 없습니다: 주인이 {owner}인데 지금 사용자는 {user}입니다. "
              "이렇게 고친 뒤 다시 실행하세요: {fix}",
        "en": "Cannot read {path}: it belongs to {owner} and this runs as {user}. Fix it with "
              "this command, then run again: {fix}",
    },
    "install.foreign_owner": {
        "ko": "{path}의 주인이 {owner}라서 지금 사용자({user})가 쓸 수 없습니다{more}. 다른 "
              "사용자(예: sudo로 root)로 명령을 실행하면 이렇게 됩니다. 이렇게 고친 뒤 다시 "
              "실행하세요: {fix}",
        "en": "{path} belongs to {owner}, so this user ({user}) cannot use it{more}. This "
              "happens when a command is run as another user (root, with sudo). Fix it with "
              "this command, then run again: {fix}",
    },
    "install.root_in_users_folder": {
        "ko": "{path}은(는) {owner} 사용자의 것입니다. root로 실행하면 {owner}(서비스)가 쓸 수 "
              "없는 파일이 생기므로 실행하지 않았습니다. {owner} 사용자로 실행하세요: {fix}",
        "en": "{path} belongs to the user {owner}. Run as root, this would leave files "
              "{owner} (the service) cannot use, so nothing was done. Run it as {owner}: {fix}",
    },
    "install.and_more": {"ko": " (그 밖에 {count}개도 마찬가지)", "en": " ({count} more alike)"},
}
