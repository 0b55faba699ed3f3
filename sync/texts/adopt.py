"""Texts of adopting the dashboard's existing database (`publ-sync db adopt`, doctor, start)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- refusals: one sentence each, saying what to do ---------------------------------
    "adopt.refuse.no_id": {
        "ko": "{table} 표에 정수 기본 키 id 열이 없어 가져올 수 없습니다. Rails 마이그레이션으로 "
              "id 기본 키를 만든 뒤 다시 실행해 주세요.",
        "en": "The {table} table has no integer primary key column id, so it cannot be "
              "adopted; give it an id primary key in a Rails migration and run again.",
    },
    "adopt.refuse.key_missing": {
        "ko": "{table} 표에 키 열 {column}이(가) 없어 가져올 수 없습니다. 대시보드에서 이 열을 "
              "만든 뒤 다시 실행해 주세요.",
        "en": "The {table} table has no key column {column}, so it cannot be adopted; add "
              "that column in the dashboard and run again.",
    },
    "adopt.refuse.duplicates": {
        "ko": "{table} 표의 {column} 값 {count}개가 두 번 이상 저장되어 있어 고유 인덱스를 만들 수 "
              "없습니다: {keys}. 중복된 행을 정리한 뒤 다시 실행해 주세요.",
        "en": "{count} values of {table}.{column} are stored more than once, which blocks "
              "its unique index: {keys}; remove the duplicate rows and run again.",
    },
    "adopt.refuse.duplicates_more": {
        "ko": "{table} 표의 {column} 값 {count}개가 두 번 이상 저장되어 있어 고유 인덱스를 만들 수 "
              "없습니다: {keys} 외 {more}개. 중복된 행을 정리한 뒤 다시 실행해 주세요.",
        "en": "{count} values of {table}.{column} are stored more than once, which blocks "
              "its unique index: {keys} and {more} more; remove the duplicate rows and run "
              "again.",
    },
    "adopt.refuse.bad_type": {
        "ko": "{table}.{column} 열의 형식이 {found}(이)라 publ-sync가 저장하는 값({needed})과 "
              "맞지 않습니다. 열 형식을 바꾸거나 열 이름을 바꾼 뒤 다시 실행해 주세요.",
        "en": "The column {table}.{column} is of type {found}, which cannot hold what "
              "publ-sync stores there ({needed}); change its type or rename it, then run "
              "again.",
    },
    "adopt.refuse.required_column": {
        "ko": "{table}.{column} 열은 값이 꼭 있어야 하는데(NOT NULL, 기본값 없음) publ-sync는 "
              "이 열을 채우지 않습니다. NULL을 허용하거나 기본값을 준 뒤 다시 실행해 주세요.",
        "en": "The column {table}.{column} requires a value (NOT NULL, no default) that "
              "publ-sync does not fill; allow NULL or give it a default, then run again.",
    },
    "adopt.refuse.no_sequence": {
        "ko": "{table}.id 열에 번호를 매기는 시퀀스가 없어 새 행을 넣을 수 없습니다. id를 "
              "bigserial(또는 identity)로 만든 뒤 다시 실행해 주세요.",
        "en": "The column {table}.id has no sequence to number new rows; make it a "
              "bigserial (or identity) column, then run again.",
    },
    "adopt.refuse.no_rowid": {
        "ko": "{table}.id 열이 INTEGER PRIMARY KEY 가 아니라서 SQLite 가 새 행에 번호를 매기지 "
              "않습니다. id를 INTEGER PRIMARY KEY 로 만든 뒤 다시 실행해 주세요.",
        "en": "The column {table}.id is not an INTEGER PRIMARY KEY, so SQLite does not number "
              "new rows; make it INTEGER PRIMARY KEY, then run again.",
    },
    "adopt.refused": {
        "ko": "기존 데이터베이스를 가져오지 않았습니다. 아무것도 바꾸지 않았습니다.",
        "en": "The existing database was not adopted; nothing was changed.",
    },
    # --- the plan ------------------------------------------------------------------------
    "adopt.plan.title_dry_run": {
        "ko": "기존 데이터베이스 가져오기 계획 (--dry-run: 아무것도 바꾸지 않았습니다)",
        "en": "Plan for adopting the existing database (--dry-run: nothing was changed)",
    },
    "adopt.plan.title_done": {
        "ko": "기존 데이터베이스를 가져왔습니다",
        "en": "The existing database was adopted",
    },
    "adopt.plan.not_needed": {
        "ko": "가져올 것이 없습니다: 이 데이터베이스는 이미 publ-sync가 관리하거나 비어 있습니다.",
        "en": "Nothing to adopt: publ-sync already manages this database, or it is empty.",
    },
    "adopt.plan.table": {
        "ko": "{table}: 기존 행 {rows}개를 id 까지 그대로 둡니다",
        "en": "{table}: keeps every existing row ({rows}), ids included",
    },
    "adopt.plan.columns": {
        "ko": "  추가할 열: {columns}",
        "en": "  columns to add: {columns}",
    },
    "adopt.plan.no_columns": {
        "ko": "  추가할 열 없음",
        "en": "  no columns to add",
    },
    "adopt.plan.indexes": {
        "ko": "  만들 인덱스: {indexes}",
        "en": "  indexes to create: {indexes}",
    },
    "adopt.plan.sequence": {
        "ko": "  새 id는 {after} 다음부터 매깁니다 ({sequence})",
        "en": "  new ids continue after {after} ({sequence})",
    },
    "adopt.plan.create": {
        "ko": "새로 만들 표: {tables}",
        "en": "tables to create: {tables}",
    },
    "adopt.plan.untouched": {
        "ko": "다른 표(schema_migrations, ar_internal_metadata 등)와 기존 열은 건드리지 않습니다.",
        "en": "Other tables (schema_migrations, ar_internal_metadata, …) and existing columns "
              "are left untouched.",
    },
    "adopt.plan.revision": {
        "ko": "마지막으로 Alembic 리비전 {revision} 을 기록하고 이후 리비전을 적용합니다.",
        "en": "Finally Alembic revision {revision} is recorded and the later revisions "
              "applied.",
    },
    "adopt.plan.next_dry_run": {
        "ko": "적용하려면 `publ-sync db adopt`를 실행하세요 (`publ-sync run`도 시작할 때 "
              "이렇게 가져옵니다).",
        "en": "To apply it run `publ-sync db adopt` (`publ-sync run` also adopts this way "
              "when it starts).",
    },
    # --- doctor ------------------------------------------------------------------------
    "adopt.doctor.needed": {
        "ko": "데이터베이스: 대시보드의 기존 표를 가져와야 합니다 (기존 행 {rows}개 유지). "
              "`publ-sync db adopt --dry-run`으로 계획을 확인하세요. 다음 실행 때 자동으로 "
              "가져옵니다.",
        "en": "Database: the dashboard's existing tables need adopting ({rows} rows kept); "
              "see the plan with `publ-sync db adopt --dry-run`. The next run adopts them "
              "by itself.",
    },
    "adopt.doctor.refused": {
        "ko": "데이터베이스: 대시보드의 기존 표를 가져올 수 없습니다. {reasons}",
        "en": "Database: the dashboard's existing tables cannot be adopted. {reasons}",
    },
    # --- status: rows of the dashboard's old importer ---------------------------------------
    "adopt.status.history_time": {
        "ko": "{time} (이전 기록)",
        "en": "{time} (earlier history)",
    },
    "adopt.status.history_line": {
        "ko": "*{type}*: 이전 가져오기 도구의 기록 — {status} · {time}",
        "en": "*{type}*: earlier history from the old importer — {status} · {time}",
    },
}
